"""Reports on people: 20 JP compliance, quiz results, the SIASN export and one person's record."""

from __future__ import annotations

import datetime
from dataclasses import replace

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from people.admin_columns import activation_status
from quizzes.models import QuizRole
from reports import filters, selectors
from reports.columns import ReportColumn, bar, number, percent, person_link, signed, yes_no
from reports.views.base import GroupedPaginator, ReportAccessMixin, ReportListingView
from reports.views.courses import COURSE, NAME, NIP, WORK_UNIT


def _jp_heading(view) -> str:
    return _("JP %(year)s") % {"year": view.year}


def _jp_bar(row, view):
    target = selectors.jp_target()
    return bar(min(100, 100 * row.jp / target) if target else 100, f"{number(row.jp)} / {number(target)} JP")


def _activation_status(row) -> str:
    """The people admin's wording ("Belum aktivasi", "Aktivasi 2 Des 2026, terakhir masuk … WIB"),
    in WIB whatever time zone the viewer's admin profile chose, since it says WIB."""
    with timezone.override(timezone.get_default_timezone()):
        return activation_status(row)


def _activation_cell(row, view):
    """On screen, when activated and when last in on two lines (at the wording's comma), so the
    column does not squeeze the NIP and JP columns into wrapping."""
    first, comma, rest = _activation_status(row).partition(", ")
    return format_html("{}<br>{}", first + comma.rstrip(), rest) if comma else first


class JPComplianceView(ReportListingView):
    url_name = "jp"
    page_title = gettext_lazy("20 JP compliance")
    sheet_has_year = True
    filterset_class = filters.JPComplianceFilterSet
    search_fields = ["full_name"]
    nip_field = "nip"
    default_ordering = "unit"
    export_filename = "laporan-kepatuhan-jp"
    report_columns = (
        ReportColumn(
            "unit.name",
            label=gettext_lazy("Work unit"),
            heading=gettext_lazy("work unit"),
            value=lambda row, view: view.unit_label(row.unit.path, row.unit.name),
            sort="unit",
            order_by=("unit__path", "full_name"),
        ),
        ReportColumn(
            "full_name",
            label=gettext_lazy("Name"),
            heading=gettext_lazy("name"),
            cell=person_link,
            sort="full_name",
            order_by=("full_name",),
        ),
        NIP,
        ReportColumn("rank_display", heading=gettext_lazy("rank"), value=lambda row, view: str(row.rank_display)),
        ReportColumn("jabatan_name", heading=pgettext_lazy("job title", "position")),
        ReportColumn(
            "jp", label=_jp_heading, heading=_jp_heading, cell=_jp_bar, sort="jp", order_by=("jp", "full_name")
        ),
        ReportColumn("target", heading=gettext_lazy("target (JP)"), value=lambda row, view: selectors.jp_target()),
        ReportColumn(
            "band",
            label=gettext_lazy("Status"),
            heading=gettext_lazy("20 JP status"),
            value=lambda row, view: view.band_labels[selectors.JPBand.of(row.jp)],
        ),
        ReportColumn(
            "activation",
            label=gettext_lazy("Activation"),
            heading=gettext_lazy("activation status"),
            value=lambda row, view: _activation_status(row),
            cell=_activation_cell,
        ),
        ReportColumn("activated_at", heading=gettext_lazy("activated at")),
        ReportColumn("last_login", heading=gettext_lazy("last sign-in")),
    )

    @cached_property
    def band_labels(self) -> dict[str, str]:
        return {band: str(label) for band, label in selectors.JPBand.labels().items()}

    def get_base_queryset(self):
        values = self.filter_values
        return selectors.jp_compliance(
            scope=self.scope,
            year=self.year,
            unit=values.get("unit"),
            band=values.get("band", ""),
            activation=values.get("activation", ""),
        )


def _gain(row):
    if row.quiz_role != QuizRole.POSTTEST or row.pretest_percent is None or row.grade_percent is None:
        return None
    return round(float(row.grade_percent) - float(row.pretest_percent), 1)


def _as_float(value):
    return None if value is None else float(value)


class QuizResultsView(ReportListingView):
    url_name = "quizzes"
    page_title = gettext_lazy("Quiz results")
    filterset_class = filters.QuizResultsFilterSet
    default_ordering = "quiz_title"
    tie_breakers = ("full_name", "pk")
    export_filename = "laporan-hasil-kuis"
    report_columns = (
        replace(COURSE, value=lambda row, view: row.course_title or "", cell=lambda row, view: row.course_title or "–"),
        ReportColumn(
            "quiz_title", label=gettext_lazy("Quiz"), heading=gettext_lazy("quiz"), sort="quiz_title", screen_first=True
        ),
        ReportColumn(
            "quiz_role",
            heading=gettext_lazy("quiz role"),
            value=lambda row, view: view.role_labels.get(row.quiz_role, row.quiz_role),
        ),
        NAME,
        NIP,
        WORK_UNIT,
        ReportColumn("attempts_finished", label=gettext_lazy("Attempts"), heading=gettext_lazy("attempts")),
        ReportColumn(
            "grade_percent",
            label=gettext_lazy("Grade"),
            heading=gettext_lazy("grade (%)"),
            sort="grade_percent",
            value=lambda row, view: _as_float(row.grade_percent),
            cell=lambda row, view: percent(row.grade_percent),
        ),
        ReportColumn(
            "passed",
            label=gettext_lazy("Result"),
            heading=gettext_lazy("passed"),
            value=lambda row, view: yes_no(row.passed) if row.grade_percent is not None else "",
            cell=lambda row, view: "–" if row.grade_percent is None else (_("Passed") if row.passed else _("Failed")),
        ),
        ReportColumn(
            "pretest_percent",
            label=gettext_lazy("Pre-test"),
            heading=gettext_lazy("pre-test (%)"),
            value=lambda row, view: _as_float(row.pretest_percent),
            cell=lambda row, view: percent(row.pretest_percent),
        ),
        ReportColumn(
            "gain",
            label=gettext_lazy("Gain"),
            heading=gettext_lazy("gain (points)"),
            value=lambda row, view: _gain(row),
            cell=lambda row, view: signed(_gain(row)),
        ),
    )

    @cached_property
    def role_labels(self) -> dict[str, str]:
        return {role: str(label) for role, label in QuizRole.choices}

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


# --- SIASN riwayat kursus -----------------------------------------------------------------------


def _siasn_date(value) -> str:
    if value is None:
        return ""
    return timezone.localtime(value).strftime("%d-%m-%Y")


def _siasn(key: str, value, **options) -> ReportColumn:
    """A field of SIASN's layout: its name is its heading in the export (and on screen, if shown)."""
    return ReportColumn(key, heading=key, value=value, **options)


def _jumlah_jam(row, view):
    return row.credited_jp if row.credited_jp is not None else row.jp_value


class SIASNExportView(ReportListingView):
    """Completed courses in the field layout of SIASN's riwayat kursus (DOMAIN.md), one row per ASN
    and course. ``nipBaru`` and ``nama`` follow the twelve SIASN fields so a person can be matched."""

    url_name = "siasn"
    page_title = gettext_lazy("SIASN export (riwayat kursus)")
    filterset_class = filters.SIASNFilterSet
    default_ordering = "completed_at"
    export_filename = "siasn-riwayat-kursus"
    report_columns = (
        ReportColumn("full_name", label=gettext_lazy("Name"), sort="full_name", cell=person_link, screen_first=True),
        ReportColumn("nip", label=gettext_lazy("NIP"), cell=NIP.cell, screen_first=True),
        _siasn("namaKursus", lambda row, view: row.course_title, label="namaKursus"),
        _siasn("institusiPenyelenggara", lambda row, view: settings.LMS_INSTITUTION_NAME),
        _siasn("jenisDiklatId", lambda row, view: settings.LMS_SIASN_JENIS_DIKLAT.get(row.competency_kind or "", "")),
        _siasn("jenisKursusSertipikat", lambda row, view: settings.LMS_SIASN_JENIS_KURSUS_SERTIPIKAT),
        _siasn("jumlahJam", _jumlah_jam, label="jumlahJam"),
        _siasn("nomorSertipikat", lambda row, view: row.certificate_number or ""),
        _siasn("tahunKursus", lambda row, view: timezone.localtime(row.completed_at).year),
        _siasn(
            "tanggalKursus", lambda row, view: _siasn_date(row.enrolled_at or row.started_at), label="tanggalKursus"
        ),
        _siasn(
            "tanggalSelesaiKursus",
            lambda row, view: _siasn_date(row.completed_at),
            label="tanggalSelesaiKursus",
            sort="completed_at",
        ),
        _siasn("lokasiId", lambda row, view: settings.LMS_SIASN_LOKASI_ID),
        _siasn("pnsOrangId", lambda row, view: ""),
        _siasn("instansiId", lambda row, view: settings.LMS_SIASN_INSTANSI_ID),
        _siasn("nipBaru", lambda row, view: row.nip),
        _siasn("nama", lambda row, view: row.full_name),
    )

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
