"""Admin table columns for people: a work unit named with the units above it, and whether the
person has activated their account."""

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from wagtail.admin.ui.tables import Column

from people.models import UnitKerja


class UnitColumn(Column):
    """A work unit as ``UnitKerja.labels`` names it among all units ("BKPSDM — Kab. Bungo", and a
    unique name as it is), worked out once per table, with one query, when its first cell is drawn;
    the same labels as the unit filter and the exports.

    ``unit_of(row)`` gives the row's unit, or its ``(path, name)``; by default the row's ``unit``."""

    def __init__(self, name, *, unit_of=None, **kwargs):
        super().__init__(name, **kwargs)
        self.unit_of = unit_of or (lambda row: getattr(row, "unit", None))

    def _pair(self, row):
        unit = self.unit_of(row)
        if unit is None:
            return None
        return (unit.path, unit.name) if isinstance(unit, UnitKerja) else unit

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        table = parent_context.get("table")
        labels = getattr(table, "_unit_labels", None)
        if labels is None:
            labels = UnitKerja.labels(UnitKerja.objects.values_list("path", "name").order_by())
            if table is not None:
                table._unit_labels = labels
        pair = self._pair(instance)
        context["value"] = labels.get(pair[0], pair[1]) if pair and pair[0] else (pair[1] if pair else "")
        return context


def activation_status(user) -> str:
    """``Belum aktivasi``, or when the account was activated and when its owner last signed in (WIB)."""
    if user.activated_at is None:
        return _("Not activated")
    activated = formats.date_format(timezone.localtime(user.activated_at), "j M Y")
    if user.last_login is None:
        return _("Activated %(date)s, never signed in") % {"date": activated}
    last = formats.date_format(timezone.localtime(user.last_login), "j M Y H:i")
    return _("Activated %(date)s, last sign-in %(last)s WIB") % {"date": activated, "last": last}


class ActivationColumn(Column):
    """The account's activation status; reads the row's ``user`` (the listing joins it)."""

    def get_value(self, instance):
        return activation_status(instance.user)
