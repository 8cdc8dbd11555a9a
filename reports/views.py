"""Report screens in the Wagtail admin (menu "Laporan"): thin views over ``reports/selectors.py``.

Every view resolves the viewer's scope once (``reports/scoping.py``); a course or person outside it
is a 404. Listings are Wagtail listing views: filters, search, sorting and page live in the URL, and
the export buttons download the same rows (all pages) as CSV or XLSX.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, localize, number_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.generic import TemplateView
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import BaseListingView, WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton

from courses.models import CoursePage, ProgressStatus
from courses.services import WIB
from people.nip import format_nip, normalise
from reports import filters, scoping, selectors
from reports.exports import StreamedSpreadsheetExportMixin, sheet_name


def number(value, decimals: int = 1) -> str:
    """A number the Indonesian way (``1.234,5``): Django's number format for the active language,
    thousands grouped, no decimals for a whole number."""
    value = float(value)
    if round(value, decimals).is_integer():
        return number_format(round(value), decimal_pos=0, force_grouping=True)
    return number_format(value, decimal_pos=decimals, force_grouping=True)


def _percent(value) -> str:
    if value is None:
        return "–"
    return f"{number(value)}%"


def _signed(value) -> str:
    if value is None:
        return "–"
    sign = "+" if value > 0 else ("-" if value < 0 else "")
    return sign + number(abs(value))


def wib_datetime(moment) -> str:
    """A time as a reader in Jambi reads it, whatever time zone the process or the viewer's admin
    profile is in: ``1 Jan 2027, 00.30``."""
    if moment is None:
        return "–"
    return date_format(timezone.localtime(moment, WIB), "j M Y, H.i")


def _bar(percent, text: str | None = None) -> str:
    """A progress bar (decorative) followed by its number as text, which is what a screen reader reads."""
    value = max(0, min(100, round(float(percent or 0))))
    return format_html(
        '<span class="lms-bar" aria-hidden="true"><span style="width:{}%"></span></span> {}',
        value,
        text if text is not None else f"{value}%",
    )


def _yes_no(value) -> str:
    if value is None:
        return "–"
    return _("Yes") if value else _("No")


def _person_link(row):
    return format_html('<a href="{}">{}</a>', reverse("reports:person", args=[row.user_id]), row.full_name)


def as_of(moment) -> str:
    """When precomputed figures were computed, as a reader in Jambi reads it."""
    return wib_datetime(moment)


class PlainColumn(Column):
    """A cell written out in Python. Wagtail renders one template per cell, which for a page of 50
    rows and ten columns costs more than the report's queries; the markup is the same as
    ``wagtailadmin/tables/cell.html``."""

    def render_cell_html(self, instance, parent_context):
        value = self.get_value(instance)
        if value is None:
            text = ""
        elif isinstance(value, int) and not isinstance(value, bool):
            text = number_format(value, force_grouping=True)
        else:
            text = localize(value) if str(value).strip() else self.empty_value_display
        classname = format_html(' class="{}"', self.classname) if self.classname else ""
        return format_html("<td{}>{}</td>", classname, text)


class GroupedPaginator(WagtailPaginator):
    """Pages over rows sorted first by a group (a quiz title) whose sizes were counted beforehand.

    A page reads only the groups it spans (``group_field__in``), so the database sorts the rows of one
    or two quizzes by name instead of every result of the scope; the counts replace the ``COUNT(*)``."""

    def __init__(self, object_list, per_page, *, groups: list[tuple[str, list, int]], group_field: str, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.groups = groups
        self.group_field = group_field

    @cached_property
    def count(self):
        return sum(size for _title, _keys, size in self.groups)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys, skip, offset = [], 0, 0
        for _title, group_keys, size in self.groups:
            if offset + size > bottom and offset < top:
                if not keys:
                    skip = bottom - offset
                keys.extend(group_keys)
            offset += size
        rows = self.object_list.filter(**{f"{self.group_field}__in": keys})[skip : skip + top - bottom]
        return self._get_page(rows, number, self)


class EstimatedCountPaginator(WagtailPaginator):
    """A paginator given a precomputed count, which may be a few minutes behind the rows: every page,
    the last included, shows a full page of rows when there are that many, rather than cutting the
    last page at a count that is already out of date."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count = count

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(self.object_list[bottom : bottom + self.per_page], number, self)


class ReportAccessMixin:
    """Only people with a reporting role; ``self.scope`` for everything after that."""

    def dispatch(self, request, *args, **kwargs):
        if not scoping.may_view_reports(request.user):
            raise PermissionDenied
        self.scope = scoping.scope_for(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [{"url": reverse("reports:overview"), "label": _("Reports")}] + super().get_breadcrumbs_items()


class ReportListingView(ReportAccessMixin, StreamedSpreadsheetExportMixin, BaseListingView):
    """A paginated, sortable, searchable, filterable report with CSV/XLSX export of the whole result."""

    paginate_by = 50
    template_name = "reports/listing.html"
    results_template_name = "reports/listing_results.html"
    summary_note = ""  # set when the page shows precomputed figures: when they were computed
    is_searchable = True
    search_fields = ["user__asn_profile__full_name"]
    nip_field = "user__asn_profile__nip"
    header_icon = "table"
    header_more_buttons = []  # the export buttons stand in the header itself
    url_name = ""

    def get_index_url(self):
        return reverse(f"reports:{self.url_name}", kwargs=self.kwargs)

    def get_index_results_url(self):
        return reverse(f"reports:{self.url_name}_results", kwargs=self.kwargs)

    def get_filterset_kwargs(self):
        return {**super().get_filterset_kwargs(), "scope": self.scope}

    @property
    def unit_labels(self) -> dict[str, str]:
        """``{path: "BKPSDM — Kab. Bungo"}`` for every unit of the scope, read with the unit filter's
        options, for the rows and the export."""
        return self.filters.unit_labels

    def unit_label(self, path: str | None, name: str | None) -> str:
        return self.unit_labels.get(path or "", name or "")

    @cached_property
    def filter_values(self) -> dict:
        return self.filters.values() if self.filters else {}

    @cached_property
    def year(self) -> int:
        return self.filter_values.get("year") or selectors.current_year()

    def filter_queryset(self, queryset):
        return queryset  # the selector has applied the filters

    tie_breakers = ("pk",)

    def order_queryset(self, queryset):
        """By the chosen column (the view's default when none or an unknown one is asked for), empty
        values last, then the tie-breakers so pages never overlap."""
        key = self.ordering.lstrip("-")
        column = F(key).desc(nulls_last=True) if self.ordering.startswith("-") else F(key).asc(nulls_last=True)
        return queryset.order_by(column, *self.tie_breakers)

    def search_queryset(self, queryset):
        """By name, or by NIP typed with or without its spaces, dots and dashes."""
        if not self.is_searching:
            return queryset
        query = self.search_query.strip()
        digits = normalise(query)
        if self.nip_field and digits.isdigit() and len(digits) >= 4:
            return queryset.filter(**{f"{self.nip_field}__startswith": digits})
        return super().search_queryset(queryset)

    sheet_has_year = False  # the report is of one year: the XLSX sheet name says which

    def get_sheet_title(self) -> str:
        title = str(self.get_page_title())
        return sheet_name(f"{title} {self.year}" if self.sheet_has_year else title)

    def get_header_buttons(self):
        return [
            HeaderButton(_("Download XLSX"), url=self.xlsx_export_url, icon_name="download", priority=10),
            HeaderButton(_("Download CSV"), url=self.csv_export_url, icon_name="download", priority=20),
        ]

    def get(self, request, *args, **kwargs):
        if self.is_export:
            # Straight to the file: building the page context would evaluate every row.
            return self.as_spreadsheet(self.get_queryset(), request.GET["export"])
        return super().get(request, *args, **kwargs)


# --- overview -----------------------------------------------------------------------------------


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
        )
        return context


# --- completion by course -----------------------------------------------------------------------


class CourseCompletionView(ReportListingView):
    url_name = "completion"
    page_title = gettext_lazy("Completion by course")
    sheet_has_year = True
    filterset_class = filters.CourseCompletionFilterSet
    search_fields = ["course__title"]
    nip_field = ""
    default_ordering = "title"
    export_filename = "laporan-penyelesaian-kursus"
    list_export = [
        "title",
        "category_name",
        "jp_value",
        "enrolled",
        "not_started",
        "in_progress",
        "completed",
        "completion_rate",
        "average_progress",
        "average_grade",
    ]

    @property
    def export_headings(self):
        return {
            "title": _("course"),
            "category_name": _("category"),
            "jp_value": _("JP"),
            "enrolled": _("enrolled"),
            "not_started": _("not started"),
            "in_progress": _("in progress"),
            "completed": _("completed"),
            "completion_rate": _("completed (%)"),
            "average_progress": _("average progress (%)"),
            "average_grade": _("average quiz grade (%)"),
        }

    custom_field_preprocess = {
        name: {
            "csv": lambda value: "" if value is None else round(float(value), 1),
            "xlsx": lambda value: None if value is None else round(float(value), 1),
        }
        for name in ("completion_rate", "average_progress", "average_grade")
    }

    @property
    def columns(self):
        query = self.request.GET.copy()
        query.pop("p", None)
        query.pop("ordering", None)
        suffix = f"?{query.urlencode()}" if query else ""
        return [
            PlainColumn(
                "title",
                label=_("Course"),
                sort_key="title",
                accessor=lambda row: format_html(
                    '<a href="{}{}">{}</a>',
                    reverse("reports:participants", args=[row["course_id"]]),
                    suffix,
                    row["title"],
                ),
            ),
            PlainColumn("category_name", label=_("Category"), accessor=lambda row: row["category_name"] or "–"),
            PlainColumn("enrolled", label=_("Enrolled"), sort_key="enrolled"),
            PlainColumn("not_started", label=_("Not started")),
            PlainColumn("in_progress", label=_("In progress")),
            PlainColumn("completed", label=_("Completed"), sort_key="completed"),
            PlainColumn(
                "completion_rate",
                label=_("Completed (%)"),
                sort_key="completion_rate",
                accessor=lambda row: _bar(row["completion_rate"]),
            ),
            PlainColumn(
                "average_progress", label=_("Average progress"), accessor=lambda row: _percent(row["average_progress"])
            ),
            PlainColumn(
                "average_grade", label=_("Average quiz grade"), accessor=lambda row: _percent(row["average_grade"])
            ),
        ]

    def get_header_buttons(self):
        query = self.request.GET.copy()
        for key in ("p", "ordering", "q", "export"):
            query.pop(key, None)
        everyone = reverse("reports:enrolments") + (f"?{query.urlencode()}" if query else "")
        return [
            HeaderButton(_("Every participant"), url=everyone, icon_name="user", priority=5),
            *super().get_header_buttons(),
        ]

    def get_base_queryset(self):
        """A list, sorted and searched by the selector: a few hundred courses at most."""
        values = self.filter_values
        rows = selectors.course_completion(
            scope=self.scope,
            unit=values.get("unit"),
            year=self.year,
            course=values.get("course"),
            category=values.get("category"),
            status=values.get("status", ""),
            search=self.search_query.strip() if self.is_searching else "",
            ordering=self.ordering,
        )
        if rows.computed_at:
            self.summary_note = _("Data as of %(time)s WIB") % {"time": as_of(rows.computed_at)}
        return rows

    def order_queryset(self, queryset):
        return queryset

    def search_queryset(self, queryset):
        return queryset

    def get_valid_orderings(self):
        return selectors.COMPLETION_ORDERINGS + [f"-{key}" for key in selectors.COMPLETION_ORDERINGS]

    def get_filename(self):
        return f"{self.export_filename}-{self.year}"


class CourseParticipantsView(ReportListingView):
    """Drill-down: the people in one course (``course_id`` in the URL) or, without it, every
    enrolment in the scope — one row per person and course — with the same filters."""

    url_name = "participants"
    default_ordering = "full_name"
    list_export = [
        "full_name",
        "nip",
        "unit_name",
        "course_title",
        "progress_status",
        "percent",
        "started_at",
        "completed_at",
        "quiz_grade",
    ]

    @property
    def filterset_class(self):
        return filters.ParticipantsFilterSet if self.course_page else filters.CourseCompletionFilterSet

    @cached_property
    def course_page(self):
        if "course_id" not in self.kwargs:
            return None
        return get_object_or_404(CoursePage.objects.filter(self.scope.courses()), pk=self.kwargs["course_id"])

    def get_index_url(self):
        return reverse("reports:participants" if self.course_page else "reports:enrolments", kwargs=self.kwargs)

    def get_index_results_url(self):
        name = "reports:participants_results" if self.course_page else "reports:enrolments_results"
        return reverse(name, kwargs=self.kwargs)

    @property
    def sheet_has_year(self):
        return self.course_page is None

    def get_page_title(self):
        if self.course_page is None:
            return _("Participants of every course")
        return _("Participants: %(course)s") % {"course": self.course_page.title}

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("reports:overview"), "label": _("Reports")},
            {"url": reverse("reports:completion"), "label": _("Completion by course")},
            {"url": "", "label": self.course_page.title if self.course_page else _("Participants of every course")},
        ]

    @property
    def export_headings(self):
        return {
            "full_name": _("name"),
            "nip": _("NIP / NI PPPK"),
            "unit_name": _("work unit"),
            "course_title": _("course"),
            "progress_status": _("progress"),
            "percent": _("percent complete"),
            "started_at": _("started at"),
            "completed_at": _("completed at"),
            "quiz_grade": _("average quiz grade (%)"),
        }

    def to_row_dict(self, item):
        row = super().to_row_dict(item)
        row["unit_name"] = self.unit_label(item.unit_path, item.unit_name)
        return row

    @cached_property
    def custom_field_preprocess(self):
        statuses = {key: str(label) for key, label in ProgressStatus.choices}
        return {
            "progress_status": {"csv": lambda v: statuses.get(v, v), "xlsx": lambda v: statuses.get(v, v)},
            "quiz_grade": {
                "csv": lambda v: "" if v is None else round(float(v), 1),
                "xlsx": lambda v: None if v is None else round(float(v), 1),
            },
        }

    @property
    def columns(self):
        columns = [
            PlainColumn("full_name", label=_("Name"), sort_key="full_name", accessor=_person_link),
            PlainColumn("nip", label=_("NIP"), accessor=lambda row: format_nip(row.nip)),
            PlainColumn(
                "unit_name",
                label=_("Work unit"),
                sort_key="unit_name",
                accessor=lambda row: self.unit_label(row.unit_path, row.unit_name),
            ),
            PlainColumn("progress_status", label=_("Progress"), accessor="get_progress_status_display"),
            PlainColumn(
                "percent",
                label=pgettext("share of the course done", "Complete"),
                sort_key="percent",
                accessor=lambda row: _bar(row.percent),
            ),
            PlainColumn(
                "completed_at",
                label=_("Completed at"),
                sort_key="completed_at",
                accessor=lambda row: wib_datetime(row.completed_at),
            ),
            PlainColumn("quiz_grade", label=_("Quiz grade"), accessor=lambda row: _percent(row.quiz_grade)),
        ]
        if self.course_page is None:
            columns.insert(3, PlainColumn("course_title", label=_("Course"), sort_key="course_title"))
        return columns

    def get_valid_orderings(self):
        keys = ["full_name", "unit_name", "percent", "completed_at", "course_title"]
        return keys + [f"-{key}" for key in keys]

    @cached_property
    def selector_filters(self) -> dict:
        values = self.filter_values
        return {
            "course": self.course_page or values.get("course"),
            "category": values.get("category"),
            "scope": self.scope,
            "unit": values.get("unit"),
            "year": self.year,
            "status": values.get("status", ""),
        }

    def get_base_queryset(self):
        return selectors.course_participants(**self.selector_filters)

    def get_paginator(self, queryset, per_page, **kwargs):
        """Counted from the summary rows while they are fresh (not when searching): counting a
        province's quarter of a million enrolments took longer than the rest of the page."""
        counted = None if self.is_searching else selectors.participants_count(**self.selector_filters)
        if counted is None:
            return super().get_paginator(queryset, per_page, **kwargs)
        count, computed_at = counted
        self.summary_note = _("Number of rows as of %(time)s WIB") % {"time": as_of(computed_at)}
        return EstimatedCountPaginator(queryset, per_page, count=count, **kwargs)

    def get_filename(self):
        if self.course_page is None:
            return f"laporan-peserta-semua-kursus-{self.year}"
        return f"laporan-peserta-kursus-{self.course_page.slug}"


# --- 20 JP compliance ---------------------------------------------------------------------------


class JPComplianceView(ReportListingView):
    url_name = "jp"
    page_title = gettext_lazy("20 JP compliance")
    sheet_has_year = True
    filterset_class = filters.JPComplianceFilterSet
    search_fields = ["full_name"]
    nip_field = "nip"
    default_ordering = "unit"
    export_filename = "laporan-kepatuhan-jp"
    list_export = ["unit.name", "full_name", "nip", "rank_display", "jabatan_name", "jp", "target", "band"]

    @property
    def export_headings(self):
        return {
            "unit.name": _("work unit"),
            "full_name": _("name"),
            "nip": _("NIP / NI PPPK"),
            "rank_display": _("rank"),
            "jabatan_name": pgettext("job title", "position"),
            "jp": _("JP %(year)s") % {"year": self.year},
            "target": _("target (JP)"),
            "band": _("20 JP status"),
        }

    @cached_property
    def band_labels(self) -> dict[str, str]:
        return {band: str(label) for band, label in selectors.JPBand.labels().items()}

    def to_row_dict(self, item):
        band = selectors.JPBand.of(item.jp)
        return {
            "unit.name": self.unit_label(item.unit.path, item.unit.name),
            "full_name": item.full_name,
            "nip": item.nip,
            "rank_display": str(item.rank_display),
            "jabatan_name": item.jabatan_name,
            "jp": item.jp,
            "target": selectors.jp_target(),
            "band": self.band_labels[band],
        }

    @property
    def columns(self):
        labels = selectors.JPBand.labels()
        target = selectors.jp_target()
        return [
            PlainColumn(
                "unit",
                label=_("Work unit"),
                sort_key="unit",
                accessor=lambda row: self.unit_label(row.unit.path, row.unit.name),
            ),
            PlainColumn(
                "full_name",
                label=_("Name"),
                sort_key="full_name",
                accessor=_person_link,
            ),
            PlainColumn("nip", label=_("NIP"), accessor=lambda row: format_nip(row.nip)),
            PlainColumn(
                "jp",
                label=_("JP %(year)s") % {"year": self.year},
                sort_key="jp",
                accessor=lambda row: _bar(
                    min(100, 100 * row.jp / target) if target else 100, f"{number(row.jp)} / {number(target)} JP"
                ),
            ),
            PlainColumn("band", label=_("Status"), accessor=lambda row: labels[selectors.JPBand.of(row.jp)]),
        ]

    def get_valid_orderings(self):
        keys = ["unit", "full_name", "jp"]
        return keys + [f"-{key}" for key in keys]

    def get_base_queryset(self):
        values = self.filter_values
        return selectors.jp_compliance(
            scope=self.scope, year=self.year, unit=values.get("unit"), band=values.get("band", "")
        )

    def order_queryset(self, queryset):
        ordering = self.ordering
        descending = "-" if ordering.startswith("-") else ""
        key = ordering.lstrip("-")
        fields = {"unit": ["unit__path", "full_name"], "full_name": ["full_name"], "jp": ["jp", "full_name"]}[key]
        return queryset.order_by(*[f"{descending}{name}" for name in fields], "pk")

    def get_filename(self):
        return f"{self.export_filename}-{self.year}"


# --- quiz results -------------------------------------------------------------------------------


class QuizResultsView(ReportListingView):
    url_name = "quizzes"
    page_title = gettext_lazy("Quiz results")
    filterset_class = filters.QuizResultsFilterSet
    default_ordering = "quiz_title"
    tie_breakers = ("full_name", "pk")
    export_filename = "laporan-hasil-kuis"
    list_export = [
        "course_title",
        "quiz_title",
        "quiz_role",
        "full_name",
        "nip",
        "unit_name",
        "attempts_finished",
        "grade_percent",
        "passed",
        "pretest_percent",
        "gain",
    ]

    @property
    def export_headings(self):
        return {
            "course_title": _("course"),
            "quiz_title": _("quiz"),
            "quiz_role": _("quiz role"),
            "full_name": _("name"),
            "nip": _("NIP / NI PPPK"),
            "unit_name": _("work unit"),
            "attempts_finished": _("attempts"),
            "grade_percent": _("grade (%)"),
            "passed": _("passed"),
            "pretest_percent": _("pre-test (%)"),
            "gain": _("gain (points)"),
        }

    @cached_property
    def role_labels(self) -> dict[str, str]:
        from quizzes.models import QuizRole

        return {role: str(label) for role, label in QuizRole.choices}

    def to_row_dict(self, item):
        roles = self.role_labels
        return {
            "course_title": item.course_title or "",
            "quiz_title": item.quiz_title,
            "quiz_role": roles.get(item.quiz_role, item.quiz_role),
            "full_name": item.full_name,
            "nip": item.nip,
            "unit_name": self.unit_label(item.unit_path, item.unit_name),
            "attempts_finished": item.attempts_finished,
            "grade_percent": None if item.grade_percent is None else float(item.grade_percent),
            "passed": _yes_no(item.passed) if item.grade_percent is not None else "",
            "pretest_percent": None if item.pretest_percent is None else float(item.pretest_percent),
            "gain": _gain(item),
        }

    @property
    def columns(self):
        return [
            PlainColumn("quiz_title", label=_("Quiz"), sort_key="quiz_title", accessor=lambda row: row.quiz_title),
            PlainColumn("course_title", label=_("Course"), accessor=lambda row: row.course_title or "–"),
            PlainColumn("full_name", label=_("Name"), sort_key="full_name", accessor=_person_link),
            PlainColumn("nip", label=_("NIP"), accessor=lambda row: format_nip(row.nip)),
            PlainColumn(
                "unit_name", label=_("Work unit"), accessor=lambda row: self.unit_label(row.unit_path, row.unit_name)
            ),
            PlainColumn("attempts_finished", label=_("Attempts")),
            PlainColumn(
                "grade_percent",
                label=_("Grade"),
                sort_key="grade_percent",
                accessor=lambda r: _percent(r.grade_percent),
            ),
            PlainColumn(
                "passed",
                label=_("Result"),
                accessor=lambda row: "–" if row.grade_percent is None else (_("Passed") if row.passed else _("Failed")),
            ),
            PlainColumn("pretest_percent", label=_("Pre-test"), accessor=lambda row: _percent(row.pretest_percent)),
            PlainColumn(
                "gain",
                label=_("Gain"),
                accessor=lambda row: _signed(_gain(row)),
            ),
        ]

    def get_valid_orderings(self):
        keys = ["quiz_title", "full_name", "grade_percent"]
        return keys + [f"-{key}" for key in keys]

    @cached_property
    def selector_filters(self) -> dict:
        values = self.filter_values
        return {
            "scope": self.scope,
            "unit": values.get("unit"),
            "course": values.get("course"),
            "quiz": values.get("quiz"),
            "passed": values.get("passed"),
            "role": values.get("role", ""),
        }

    def get_base_queryset(self):
        return selectors.quiz_results(**self.selector_filters)

    def get_paginator(self, queryset, per_page, **kwargs):
        """Sorted by quiz title (the default), a page spans one or two quizzes: count the results per
        quiz first and read only those quizzes' results (``GroupedPaginator``)."""
        if self.ordering.lstrip("-") != "quiz_title":
            return super().get_paginator(queryset, per_page, **kwargs)
        counted = self.search_queryset(selectors.quiz_results_base(**self.selector_filters, joined=False))
        groups = selectors.quiz_result_groups(counted, descending=self.ordering.startswith("-"))
        return GroupedPaginator(queryset, per_page, groups=groups, group_field="quiz_id", **kwargs)


def _gain(row):
    if row.quiz_role != "posttest" or row.pretest_percent is None or row.grade_percent is None:
        return None
    return round(float(row.grade_percent) - float(row.pretest_percent), 1)


# --- SIASN riwayat kursus -----------------------------------------------------------------------


def _siasn_date(value) -> str:
    if value is None:
        return ""
    return timezone.localtime(value).strftime("%d-%m-%Y")


class SIASNExportView(ReportListingView):
    """Completed courses in the field layout of SIASN's riwayat kursus (DOMAIN.md), one row per ASN
    and course. ``nipBaru`` and ``nama`` follow the twelve SIASN fields so a person can be matched."""

    url_name = "siasn"
    page_title = gettext_lazy("SIASN export (riwayat kursus)")
    filterset_class = filters.SIASNFilterSet
    default_ordering = "completed_at"
    export_filename = "siasn-riwayat-kursus"
    list_export = [
        "namaKursus",
        "institusiPenyelenggara",
        "jenisDiklatId",
        "jenisKursusSertipikat",
        "jumlahJam",
        "nomorSertipikat",
        "tahunKursus",
        "tanggalKursus",
        "tanggalSelesaiKursus",
        "lokasiId",
        "pnsOrangId",
        "instansiId",
        "nipBaru",
        "nama",
    ]
    export_headings = {name: name for name in list_export}

    @cached_property
    def period(self) -> tuple[datetime.date, datetime.date]:
        chosen = self.filter_values.get("completed")
        today = timezone.localdate()
        start = getattr(chosen, "start", None) or datetime.date(today.year, 1, 1)
        stop = getattr(chosen, "stop", None) or today
        return start, stop

    def get_page_subtitle(self):
        start, stop = self.period
        return f"{date_format(start, 'j M Y')} – {date_format(stop, 'j M Y')}"

    def to_row_dict(self, item):
        jenis = settings.LMS_SIASN_JENIS_DIKLAT
        started = item.enrolled_at or item.started_at
        return {
            "namaKursus": item.course_title,
            "institusiPenyelenggara": settings.LMS_INSTITUTION_NAME,
            "jenisDiklatId": jenis.get(item.competency_kind or "", ""),
            "jenisKursusSertipikat": settings.LMS_SIASN_JENIS_KURSUS_SERTIPIKAT,
            "jumlahJam": item.credited_jp if item.credited_jp is not None else item.jp_value,
            "nomorSertipikat": "",
            "tahunKursus": timezone.localtime(item.completed_at).year,
            "tanggalKursus": _siasn_date(started),
            "tanggalSelesaiKursus": _siasn_date(item.completed_at),
            "lokasiId": settings.LMS_SIASN_LOKASI_ID,
            "pnsOrangId": "",
            "instansiId": settings.LMS_SIASN_INSTANSI_ID,
            "nipBaru": item.nip,
            "nama": item.full_name,
        }

    @property
    def columns(self):
        return [
            PlainColumn("full_name", label=_("Name"), sort_key="full_name", accessor=_person_link),
            PlainColumn("nip", label=_("NIP"), accessor=lambda row: format_nip(row.nip)),
            PlainColumn("course_title", label="namaKursus"),
            PlainColumn(
                "jumlahJam",
                label="jumlahJam",
                accessor=lambda row: row.credited_jp if row.credited_jp is not None else row.jp_value,
            ),
            PlainColumn(
                "started", label="tanggalKursus", accessor=lambda row: _siasn_date(row.enrolled_at or row.started_at)
            ),
            PlainColumn(
                "completed_at",
                label="tanggalSelesaiKursus",
                sort_key="completed_at",
                accessor=lambda row: _siasn_date(row.completed_at),
            ),
        ]

    def get_valid_orderings(self):
        return ["completed_at", "-completed_at", "full_name", "-full_name"]

    def get_base_queryset(self):
        start, stop = self.period
        return selectors.siasn_rows(scope=self.scope, start=start, end=stop, unit=self.filter_values.get("unit"))

    def get_filename(self):
        start, stop = self.period
        return f"{self.export_filename}-{start:%Y%m%d}-{stop:%Y%m%d}"


# --- one person ---------------------------------------------------------------------------------


class PersonView(ReportAccessMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "reports/person.html"
    header_icon = "user"

    @cached_property
    def report(self):
        found = selectors.person(scope=self.scope, user_id=self.kwargs["user_id"])
        if found is None:
            raise Http404
        return found

    def get_page_title(self):
        return self.report.profile.full_name

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("reports:overview"), "label": _("Reports")},
            {"url": reverse("reports:jp"), "label": _("20 JP compliance")},
            {"url": "", "label": self.report.profile.full_name},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.report
        quiz_rows = [(result, report.attempts_by_quiz.get(result.quiz_id, [])) for result in report.quiz_results]
        context.update(
            report=report,
            profile=report.profile,
            unit_label=report.profile.unit.label,
            quiz_rows=quiz_rows,
            scope=self.scope,
        )
        return context
