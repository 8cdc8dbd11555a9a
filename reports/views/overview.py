"""The overview of the reports: this year's numbers for the viewer's scope, per work unit."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from reports import filters, selectors
from reports.columns import as_of
from reports.views.base import ReportAccessMixin


def _with(query, **values) -> str:
    """The overview's query string (year, unit) with ``values`` set, for a link to a filtered list."""
    query = query.copy()
    for key, value in values.items():
        query[key] = value
    return query.urlencode()


class OverviewView(ReportAccessMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "reports/overview.html"
    page_title = gettext_lazy("Reports: overview")
    header_icon = "home"

    def get_breadcrumbs_items(self):
        return [{"url": "", "label": _("Reports")}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = filters.OverviewFilterSet(self.request.GET or None, scope=self.scope, request=self.request)
        labels = filterset.unit_labels
        values = filterset.values() if self.request.GET else {}
        year = values.get("year") or selectors.current_year()
        unit = values.get("unit")
        summary = selectors.overview(scope=self.scope, year=year, unit=unit, unit_labels=labels)
        context.update(
            filters=filterset,
            overview=summary,
            scope=self.scope,
            year=year,
            unit=unit,
            unit_label=labels.get(unit.path, unit.name) if unit else "",
            query=self.request.GET.urlencode(),
            bar_max=max([bar.asn for bar in summary.bars] or [0]),
            data_as_of=as_of(summary.computed_at) if summary.computed_at else "",
            not_activated=selectors.not_activated_count(scope=self.scope, unit=unit),
            not_activated_query=_with(self.request.GET, activation=selectors.Activation.NOT_ACTIVATED),
        )
        return context
