"""Precomputed report figures per work unit and year, and per work unit, course and year.

At province scale the overview and completion by course aggregate 250,000–300,000 enrolment rows
per request. ``reports.summaries.refresh`` rebuilds these tables set-based (one ``INSERT … SELECT``
per year and table) from the same selectors the live reports use, every few minutes
(``reports.refresh_summaries``, ``lms.periodic``); the reports read them while they are fresh and
fall back to live queries otherwise. Rows are per unit (not per unit subtree), so every scope that
is a set of unit subtrees — and for completion also a set of courses — is an exact sum of rows.
"""

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.models import UnitKerja

REFRESH_EVERY = 300  # seconds between two rebuilds by the periodic process
FRESH_FOR = 3 * REFRESH_EVERY  # a missed run or two is fine; after that the reports go live again

# The numbers of a per-unit row of the overview, live (``reports.selectors``) or precomputed.
UNIT_YEAR_COLUMNS = (
    "asn",
    "jp_total",
    "reached",
    "close",
    "zero",
    "enrolled_people",
    "enrolments",
    "in_progress",
    "completed",
    "percent_sum",
)
STATUS_COLUMNS = ("not_started", "in_progress", "completed")
UNIT_COURSE_COLUMNS = (*STATUS_COLUMNS, *(f"percent_{status}" for status in STATUS_COLUMNS))


class SummaryRunQuerySet(models.QuerySet):
    def fresh(self, *, now: datetime.datetime | None = None):
        """The runs recent enough for the reports to show their figures."""
        now = now or timezone.now()
        return self.filter(computed_at__gte=now - datetime.timedelta(seconds=FRESH_FOR))


class SummaryRun(models.Model):
    """When the summaries of one year were computed, and under which 20 JP thresholds."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    computed_at = models.DateTimeField(null=True)
    jp_target = models.PositiveSmallIntegerField(default=0)
    jp_close_from = models.PositiveSmallIntegerField(default=0)

    objects = SummaryRunQuerySet.as_manager()

    def __str__(self):
        return f"{self.year}: {self.computed_at}"


class UnitYearSummary(models.Model):
    """The overview's numbers for the ASN whose profile is in ``unit`` (not below it), in ``year``."""

    unit = models.ForeignKey(UnitKerja, on_delete=models.CASCADE, related_name="+", verbose_name=_("work unit"))
    year = models.PositiveSmallIntegerField(_("year"))
    asn = models.PositiveIntegerField(default=0)
    jp_total = models.PositiveBigIntegerField(default=0)
    reached = models.PositiveIntegerField(default=0)
    close = models.PositiveIntegerField(default=0)
    zero = models.PositiveIntegerField(default=0)
    enrolled_people = models.PositiveIntegerField(default=0)
    enrolments = models.PositiveIntegerField(default=0)
    in_progress = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)
    percent_sum = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["year", "unit"], name="reports_unityear_once")]

    def __str__(self):
        return f"{self.unit_id}/{self.year}"


class UnitCourseSummary(models.Model):
    """Enrolments active in ``year`` of the ASN in ``unit`` (not below it) in one course, per
    progress status, with the sum of their progress percentages (for the average)."""

    unit = models.ForeignKey(UnitKerja, on_delete=models.CASCADE, related_name="+", verbose_name=_("work unit"))
    course_id = models.BigIntegerField(_("course page id"))
    year = models.PositiveSmallIntegerField(_("year"))
    not_started = models.PositiveIntegerField(default=0)
    in_progress = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)
    percent_not_started = models.PositiveBigIntegerField(default=0)
    percent_in_progress = models.PositiveBigIntegerField(default=0)
    percent_completed = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "unit", "course_id"], name="reports_unitcourse_once"),
        ]

    def __str__(self):
        return f"{self.unit_id}/{self.course_id}/{self.year}"


class UnitCourseGrade(models.Model):
    """The quiz grades of the ASN in ``unit`` (not below it) in one course: their sum and count."""

    unit = models.ForeignKey(UnitKerja, on_delete=models.CASCADE, related_name="+", verbose_name=_("work unit"))
    course_id = models.BigIntegerField(_("course page id"))
    grade_sum = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    grade_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "course_id"], name="reports_unitgrade_once")]

    def __str__(self):
        return f"{self.unit_id}/{self.course_id}"
