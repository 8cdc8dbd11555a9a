"""Admin filters shared by the apps."""

import django_filters


class SubtreeFilter(django_filters.ModelChoiceFilter):
    """Rows whose tree node (``field_name``: a treebeard materialised-path model such as a work unit or
    a question category) is the chosen node or below it: one indexed path-prefix condition."""

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__path__startswith": value.path})

    @property
    def field(self):
        """Options named by the model's ``labels`` when it has them (a work unit: "BKPSDM — Kab.
        Bungo", not eleven times "BKPSDM"), worked out for every option in one query."""
        field = super().field
        labels_of = getattr(field.queryset.model, "labels", None)
        if labels_of is not None and not getattr(field, "_labelled", False):
            labels = {}

            def label(node):
                if not labels:
                    labels.update(labels_of(field.queryset.values_list("path", "name").order_by()))
                return labels.get(node.path, str(node))

            field.label_from_instance = label
            field._labelled = True
        return field
