"""Rebuilding the precomputed report figures (``reports.models``) and deciding when the reports may use them.

``refresh`` runs every ``REFRESH_EVERY`` seconds in the periodic process (``lms.periodic``, registered
in ``ReportsConfig.ready``). It rebuilds every table in one transaction, with one ``INSERT … SELECT``
per table and year over the same ORM-built queries the live reports run, so the figures are the live
figures of the moment the transaction began. Readers see the old rows or the new ones, never a mix.

A report uses the figures of a year only while they are at most ``FRESH_FOR`` seconds old (and, for
the 20 JP bands, computed with today's thresholds); otherwise — right after a deploy, when the
periodic process is not running, in tests — it runs the live queries, which give the same numbers,
only slower at province scale.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from courses.models import ProgressStatus
from quizzes.models import QuizResult
from reports import selectors
from reports.models import (
    FRESH_FOR,  # noqa: F401 -- part of this module's interface (tests, docs)
    REFRESH_EVERY,  # noqa: F401 -- the periodic schedule (ReportsConfig.ready)
    STATUS_COLUMNS,
    UNIT_COURSE_COLUMNS,
    UNIT_YEAR_COLUMNS,
    SummaryRun,
    UnitCourseGrade,
    UnitCourseSummary,
    UnitYearSummary,
)
from reports.scoping import Scope

EVERYONE = Scope(everything=True)


def _insert_select(model, columns: Iterable[str], year: int | None, select_sql: str, params) -> int:
    """``INSERT INTO model (year?, unit_id, [course_id,] columns) SELECT … FROM (select_sql)``."""
    quote = connection.ops.quote_name
    keys = ["unit_id"] + (["course_id"] if model is not UnitYearSummary else [])
    source = ["unit_key"] + (["course_id"] if model is not UnitYearSummary else [])
    targets = (["year"] if year is not None else []) + keys + list(columns)
    selected = (["%s"] if year is not None else []) + [f"q.{quote(name)}" for name in (*source, *columns)]
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(name) for name in targets)}) "  # noqa: S608
        f"SELECT {', '.join(selected)} FROM ({select_sql}) q"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, ([year] if year is not None else []) + list(params))
        return cursor.rowcount


def _unit_course_query(year: int) -> tuple[str, tuple]:
    """Active enrolments in ``year`` of every ASN, counted per (unit, course) and progress status."""
    counts = {}
    for status in STATUS_COLUMNS:
        value = getattr(ProgressStatus, status.upper())
        counts[status] = Count("pk", filter=Q(progress_status=value))
        counts[f"percent_{status}"] = Coalesce(Sum("percent", filter=Q(progress_status=value)), 0)
    rows = (
        selectors.enrolments(scope=EVERYONE, year=year, asn_only=False)
        .filter(user__asn_profile__unit__isnull=False)
        .values("course_id", unit_key=F("user__asn_profile__unit_id"))
        .annotate(**counts)
        .order_by()
    )
    return rows.query.sql_with_params()


def _grade_query() -> tuple[str, tuple]:
    """Quiz grades of every ASN, summed and counted per (unit, course)."""
    rows = (
        QuizResult.objects.filter(
            grade_percent__isnull=False, course_id__isnull=False, user__asn_profile__unit__isnull=False
        )
        .values("course_id", unit_key=F("user__asn_profile__unit_id"))
        .annotate(grade_sum=Sum("grade_percent"), grade_count=Count("pk"))
        .order_by()
    )
    return rows.query.sql_with_params()


def refresh(*, years: Iterable[int] | None = None) -> dict[str, object]:
    """Rebuild the summaries of ``years`` (default: every year the reports offer) and the quiz grades.

    Idempotent, and safe to run concurrently: runs take turns on the rows of ``SummaryRun``. Returns
    the row counts and the time taken, for the periodic job's log."""
    offered = years is None
    years = sorted(set(selectors.year_choices() if offered else years))
    started = time.perf_counter()
    written = {"unit_year": 0, "unit_course": 0, "grades": 0}
    with transaction.atomic():
        SummaryRun.objects.bulk_create([SummaryRun(year=year) for year in years], ignore_conflicts=True)
        list(SummaryRun.objects.select_for_update().filter(year__in=years).order_by("year"))
        computed_at = timezone.now()  # the figures are those of this moment: the transaction starts reading here
        rebuilt = Q(year__in=years)
        if offered:  # also drop the years the reports no longer offer
            SummaryRun.objects.exclude(rebuilt).delete()
            rebuilt = Q()
        UnitYearSummary.objects.filter(rebuilt).delete()
        UnitCourseSummary.objects.filter(rebuilt).delete()
        UnitCourseGrade.objects.all().delete()
        for year in years:
            sql, params = selectors.per_unit_query(scope=EVERYONE, unit=None, year=year)
            written["unit_year"] += _insert_select(UnitYearSummary, UNIT_YEAR_COLUMNS, year, sql, params)
            sql, params = _unit_course_query(year)
            written["unit_course"] += _insert_select(UnitCourseSummary, UNIT_COURSE_COLUMNS, year, sql, params)
        sql, params = _grade_query()
        written["grades"] = _insert_select(UnitCourseGrade, ("grade_sum", "grade_count"), None, sql, params)
        SummaryRun.objects.filter(year__in=years).update(
            computed_at=computed_at, jp_target=selectors.jp_target(), jp_close_from=selectors.jp_close_from()
        )
    return {**written, "years": years, "seconds": round(time.perf_counter() - started, 2)}
