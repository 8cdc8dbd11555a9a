"""Completion by course, and its drill-down: the participants of one course or of every course."""

from __future__ import annotations

from dataclasses import replace

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from wagtail.admin.widgets.button import HeaderButton

from courses.models import CoursePage, ProgressStatus
from lms.exports import one_decimal
from people.nip import format_nip
from reports import filters, selectors
from reports.columns import ReportColumn, as_of, bar, percent, person_link, wib_datetime
from reports.views.base import EstimatedCountPaginator, ReportListingView


def _course_link(row, view):
    return format_html(
        '<a href="{}{}">{}</a>',
        reverse("reports:participants", args=[row["course_id"]]),
        view.drill_query,
        row["title"],
    )


def _unit(row, view):
    return view.unit_label(row.unit_path, row.unit_name)


def _status_label(value):
    return str(ProgressStatus(value).label) if value in ProgressStatus.values else value


def _nip(row, view):
    return format_nip(row.nip)


# Shared by the participants listing and the quiz results (``dataclasses.replace`` for a variant).
NAME = ReportColumn(
    "full_name", label=gettext_lazy("Name"), heading=gettext_lazy("name"), sort="full_name", cell=person_link
)
NIP = ReportColumn("nip", label=gettext_lazy("NIP"), heading=gettext_lazy("NIP / NI PPPK"), cell=_nip)
WORK_UNIT = ReportColumn("unit_name", label=gettext_lazy("Work unit"), heading=gettext_lazy("work unit"), value=_unit)
COURSE = ReportColumn("course_title", label=gettext_lazy("Course"), heading=gettext_lazy("course"))


class CourseCompletionView(ReportListingView):
    url_name = "completion"
    page_title = gettext_lazy("Completion by course")
    sheet_has_year = True
    filterset_class = filters.CourseCompletionFilterSet
    search_fields = ["course__title"]
    nip_field = ""
    default_ordering = "title"
    export_filename = "laporan-penyelesaian-kursus"
    report_columns = (
        ReportColumn(
            "title", label=gettext_lazy("Course"), heading=gettext_lazy("course"), sort="title", cell=_course_link
        ),
        ReportColumn(
            "category_name",
            label=gettext_lazy("Category"),
            heading=gettext_lazy("category"),
            cell=lambda row, view: row["category_name"] or "–",
        ),
        ReportColumn("jp_value", heading=gettext_lazy("JP")),
        ReportColumn("enrolled", label=gettext_lazy("Enrolled"), heading=gettext_lazy("enrolled"), sort="enrolled"),
        ReportColumn("not_started", label=gettext_lazy("Not started"), heading=gettext_lazy("not started")),
        ReportColumn("in_progress", label=gettext_lazy("In progress"), heading=gettext_lazy("in progress")),
        ReportColumn("completed", label=gettext_lazy("Completed"), heading=gettext_lazy("completed"), sort="completed"),
        ReportColumn(
            "completion_rate",
            label=gettext_lazy("Completed (%)"),
            heading=gettext_lazy("completed (%)"),
            sort="completion_rate",
            cell=lambda row, view: bar(row["completion_rate"]),
            export_format=one_decimal,
        ),
        ReportColumn(
            "average_progress",
            label=gettext_lazy("Average progress"),
            heading=gettext_lazy("average progress (%)"),
            cell=lambda row, view: percent(row["average_progress"]),
            export_format=one_decimal,
        ),
        ReportColumn(
            "average_grade",
            label=gettext_lazy("Average quiz grade"),
            heading=gettext_lazy("average quiz grade (%)"),
            cell=lambda row, view: percent(row["average_grade"]),
            export_format=one_decimal,
        ),
    )

    @cached_property
    def drill_query(self) -> str:
        """This page's filters, for the links to a course's participants."""
        query = self.request.GET.copy()
        query.pop("p", None)
        query.pop("ordering", None)
        return f"?{query.urlencode()}" if query else ""

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


class CourseParticipantsView(ReportListingView):
    """Drill-down: the people in one course (``course_id`` in the URL) or, without it, every
    enrolment in the scope — one row per person and course — with the same filters."""

    url_name = "participants"
    default_ordering = "full_name"
    report_columns = (
        NAME,
        NIP,
        replace(WORK_UNIT, sort="unit_name"),
        replace(COURSE, sort="course_title", on_screen=lambda view: view.course_page is None),
        ReportColumn(
            "progress_status",
            label=gettext_lazy("Progress"),
            heading=gettext_lazy("progress"),
            cell=lambda row, view: row.get_progress_status_display(),
            # The label in the cell only: the column is sized by the stored value, as it always was.
            export_format=_status_label,
        ),
        ReportColumn(
            "percent",
            label=pgettext_lazy("share of the course done", "Complete"),
            heading=gettext_lazy("percent complete"),
            sort="percent",
            cell=lambda row, view: bar(row.percent),
        ),
        ReportColumn("started_at", heading=gettext_lazy("started at")),
        ReportColumn(
            "completed_at",
            label=gettext_lazy("Completed at"),
            heading=gettext_lazy("completed at"),
            sort="completed_at",
            cell=lambda row, view: wib_datetime(row.completed_at),
        ),
        ReportColumn(
            "quiz_grade",
            label=gettext_lazy("Quiz grade"),
            heading=gettext_lazy("average quiz grade (%)"),
            cell=lambda row, view: percent(row.quiz_grade),
            export_format=one_decimal,
        ),
    )

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
