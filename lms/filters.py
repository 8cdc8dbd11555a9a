"""Admin filters shared by the apps."""

import django_filters


class SubtreeFilter(django_filters.ModelChoiceFilter):
    """Rows whose tree node (``field_name``: a treebeard materialised-path model such as a work unit or
    a question category) is the chosen node or below it: one indexed path-prefix condition."""

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__path__startswith": value.path})
