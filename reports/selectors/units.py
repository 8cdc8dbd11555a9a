"""The overview: this year's numbers per work unit, live or from the precomputed summaries."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext_lazy as _

from courses.models import JPCredit, ProgressStatus
from people.models import UnitKerja
from reports.models import UNIT_YEAR_COLUMNS, SummaryRun, UnitYearSummary
from reports.scoping import Scope
from reports.selectors.common import enrolments, jp_close_from, jp_target, people, year_bounds


@dataclass
class UnitSummary:
    """One bar of the overview (a unit and everything below it), or the totals."""

    path: str = ""
    name: str = ""
    unit_id: int | None = None
    has_children: bool = False
    asn: int = 0
    jp_total: int = 0
    reached: int = 0
    close: int = 0
    zero: int = 0
    enrolled_people: int = 0
    enrolments: int = 0
    in_progress: int = 0
    completed: int = 0
    percent_sum: float = 0.0

    @property
    def below(self) -> int:
        return self.asn - self.reached - self.close - self.zero

    @property
    def reached_percent(self) -> int:
        return round(100 * self.reached / self.asn) if self.asn else 0

    @property
    def enrolled_percent(self) -> int:
        return round(100 * self.enrolled_people / self.asn) if self.asn else 0

    @property
    def average_progress(self) -> int:
        return round(self.percent_sum / self.enrolments) if self.enrolments else 0


@dataclass
class Overview:
    year: int
    target: int
    close_from: int
    unit: UnitKerja | None
    totals: UnitSummary
    bars: list[UnitSummary] = field(default_factory=list)
    computed_at: datetime.datetime | None = None  # when the figures come from the summaries

    @property
    def close_until(self) -> int:
        return self.target - 1


def _group_length(*, scope: Scope, unit: UnitKerja | None) -> int:
    """How many path characters name a bar: the children of the chosen unit, of a supervisor's
    single unit, or the instansi (top level) otherwise."""
    if unit is not None:
        return len(unit.path) + UnitKerja.steplen
    if not scope.everything and len(scope.unit_paths) == 1 and not scope.course_ids:
        return len(scope.unit_paths[0]) + UnitKerja.steplen
    if not scope.everything and scope.unit_paths and not scope.course_ids:
        return min(len(path) for path in scope.unit_paths)
    return UnitKerja.steplen


def per_unit_query(*, scope: Scope, unit: UnitKerja | None, year: int) -> tuple[str, list]:
    """Per work unit, in one statement: people; their JP in ``year`` and how many reached the target,
    are near it or have 0 JP; how many are enrolled; their enrolments, in progress and completed in
    the year, and the sum of their progress percentages. Columns: ``unit_key`` and ``FIELDS``.

    The ORM builds three subqueries (the scoped people, JP per person, enrolments per person) and
    SQL joins them person by person and groups by the integer unit id: every aggregate runs over one
    table, and no sort is needed (the ORM cannot group over grouped subqueries). Raises
    ``EmptyResultSet`` for an empty scope."""
    start, end = year_bounds(year)
    people_sql, people_params = (
        people(scope=scope, unit=unit)
        .order_by()
        .values(person=F("user_id"), unit_key=F("unit_id"))
        .query.sql_with_params()
    )
    credits_sql, credits_params = (
        JPCredit.objects.filter(scope.rows(course_field="course_ref"), year=year)
        .values("user_id")
        .annotate(total=Sum("jp"))
        .values(person=F("user_id"), total=F("total"))
        .order_by()
        .query.sql_with_params()
    )
    learning_sql, learning_params = (
        enrolments(scope=scope, unit=unit, year=year, asn_only=False)
        .values("user_id")
        .annotate(
            enrolments=Count("pk"),
            in_progress=Count("pk", filter=Q(progress_status=ProgressStatus.IN_PROGRESS)),
            completed=Count("pk", filter=Q(completed_at__gte=start, completed_at__lt=end)),
            percent_sum=Sum("percent"),
        )
        .values("enrolments", "in_progress", "completed", "percent_sum", person=F("user_id"))
        .order_by()
        .query.sql_with_params()
    )
    target, close_from = jp_target(), jp_close_from()
    sql = f"""
        SELECT p.unit_key AS unit_key,
               COUNT(*) AS asn,
               COALESCE(SUM(j.total), 0) AS jp_total,
               SUM(CASE WHEN COALESCE(j.total, 0) >= %s THEN 1 ELSE 0 END) AS reached,
               SUM(CASE WHEN COALESCE(j.total, 0) >= %s AND COALESCE(j.total, 0) < %s THEN 1 ELSE 0 END) AS close,
               SUM(CASE WHEN COALESCE(j.total, 0) = 0 THEN 1 ELSE 0 END) AS zero,
               SUM(CASE WHEN e.enrolments > 0 THEN 1 ELSE 0 END) AS enrolled_people,
               COALESCE(SUM(e.enrolments), 0) AS enrolments,
               COALESCE(SUM(e.in_progress), 0) AS in_progress,
               COALESCE(SUM(e.completed), 0) AS completed,
               COALESCE(SUM(e.percent_sum), 0) AS percent_sum
        FROM ({people_sql}) p
        LEFT JOIN ({credits_sql}) j ON j.person = p.person
        LEFT JOIN ({learning_sql}) e ON e.person = p.person
        GROUP BY p.unit_key
    """  # noqa: S608 -- the subqueries come from the ORM with their parameters
    return sql, [target, close_from, target, *people_params, *credits_params, *learning_params]


def _per_unit_live(*, scope: Scope, unit: UnitKerja | None, year: int) -> list[tuple]:
    try:
        sql, params = per_unit_query(scope=scope, unit=unit, year=year)
    except EmptyResultSet:  # an empty scope: nobody to count
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


FIELDS = UNIT_YEAR_COLUMNS  # the columns of a per-unit row, live or precomputed


def _per_unit(*, scope: Scope, unit: UnitKerja | None, year: int) -> tuple[dict[int, dict], datetime.datetime | None]:
    """{unit id: numbers} for the people of the scope (and ``unit``), and when they were computed:
    from the summary rows when the scope is a set of unit subtrees and the year's summary is fresh
    and made with today's 20 JP thresholds (a trainer's course scope does not fit a per-unit row),
    else live (``computed_at`` ``None``)."""
    if scope.everything or (scope.unit_paths and not scope.course_ids):
        run = SummaryRun.objects.fresh().filter(year=year).first()
        if run is not None and (run.jp_target, run.jp_close_from) == (jp_target(), jp_close_from()):
            rows = UnitYearSummary.objects.filter(scope.rows_by_unit(unit_field="unit", course_field=None), year=year)
            if unit is not None:
                rows = rows.filter(unit__path__startswith=unit.path)
            per_unit = {row.pop("unit_id"): row for row in rows.values("unit_id", *FIELDS).order_by()}
            return per_unit, run.computed_at
    live = _per_unit_live(scope=scope, unit=unit, year=year)
    return {row[0]: dict(zip(FIELDS, row[1:], strict=True)) for row in live}, None


def overview(
    *, scope: Scope, year: int, unit: UnitKerja | None = None, unit_labels: dict[str, str] | None = None
) -> Overview:
    """This year's numbers for the scope, in total and per unit one level down. Three queries: the
    year's summary run, the numbers per unit (``_per_unit``) and the units, which roll them up into
    bars by path prefix."""
    length = _group_length(scope=scope, unit=unit)
    per_unit, computed_at = _per_unit(scope=scope, unit=unit, year=year)
    # Every unit the bars can name, in one query (a province has some hundreds).
    candidates = UnitKerja.objects.filter(scope.units() if unit is None else Q(path__startswith=unit.path))
    units = {found["pk"]: found for found in candidates.values("pk", "path", "name", "numchild").order_by()}
    by_path = {found["path"]: found for found in units.values()}
    groups: dict[str, UnitSummary] = {}
    for unit_id, numbers in per_unit.items():
        path = units[unit_id]["path"][:length] if unit_id in units else ""
        summary = groups.setdefault(path, UnitSummary(path=path))
        for attribute, value in numbers.items():
            increment = float(value or 0) if attribute == "percent_sum" else int(value or 0)
            setattr(summary, attribute, getattr(summary, attribute) + increment)
    for path, summary in groups.items():
        if path in by_path:
            found = by_path[path]
            summary.name, summary.unit_id, summary.has_children = found["name"], found["pk"], found["numchild"] > 0
    # Bars that share a name (the "BKPSDM" of two regencies, for a supervisor of both) are named with
    # the units above them; siblings keep their short names.
    shared = {name for name, count in Counter(summary.name for summary in groups.values()).items() if count > 1}
    if shared:
        if unit_labels is None:
            unit_labels = UnitKerja.labels((found["path"], found["name"]) for found in units.values())
        for path, summary in groups.items():
            if summary.name in shared:
                summary.name = unit_labels.get(path, summary.name)
    totals = UnitSummary(name=str(_("Total")))
    for summary in groups.values():
        for attribute in FIELDS:
            setattr(totals, attribute, getattr(totals, attribute) + getattr(summary, attribute))
        if not summary.name:
            summary.name = str(_("Other units"))
    bars = sorted(groups.values(), key=lambda summary: summary.name)
    return Overview(
        year=year,
        target=jp_target(),
        close_from=jp_close_from(),
        unit=unit,
        totals=totals,
        bars=bars,
        computed_at=computed_at,
    )
