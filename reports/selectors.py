"""Report queries over the summary rows (enrolment state, JP ledger, quiz results, H5P results).

Every function takes a ``reports.scoping.Scope`` and returns rows built in a fixed number of queries,
whatever the number of people; nothing here reads lesson-level rows or recomputes progress.
"""

from __future__ import annotations

import datetime
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Avg, Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import CoursePage, Enrolment, EnrolmentStatus, JPCredit, JPEntryKind, ProgressStatus
from courses.selectors import current_year
from courses.services import WIB
from people.models import ASNProfile, UnitKerja
from reports import summaries
from reports.models import UnitCourseGrade, UnitCourseSummary, UnitYearSummary
from reports.scoping import Scope

# --- years and the 20 JP rule -------------------------------------------------------------------


def year_choices() -> list[int]:
    this_year = current_year()
    return list(range(this_year, this_year - 5, -1))


def year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """1 January of ``year`` and of the next year, midnight WIB: the year rule of the JP ledger."""
    return datetime.datetime(year, 1, 1, tzinfo=WIB), datetime.datetime(year + 1, 1, 1, tzinfo=WIB)


def jp_target() -> int:
    return settings.LMS_ANNUAL_JP_TARGET


def jp_close_from() -> int:
    """JP from which someone counts as "close" to the target (default 75 % of it, rounded up)."""
    return math.ceil(jp_target() * settings.LMS_JP_CLOSE_PERCENT / 100)


class JPBand:
    REACHED = "reached"
    CLOSE = "close"
    BELOW = "below"
    ZERO = "zero"
    NOT_REACHED = "not_reached"

    @staticmethod
    def of(jp: int) -> str:
        if jp >= jp_target():
            return JPBand.REACHED
        if jp >= jp_close_from():
            return JPBand.CLOSE
        if jp > 0:
            return JPBand.BELOW
        return JPBand.ZERO

    @staticmethod
    def labels() -> dict[str, str]:
        return {
            JPBand.REACHED: _("Target reached"),
            JPBand.CLOSE: _("Close to the target"),
            JPBand.BELOW: _("Below the target"),
            JPBand.ZERO: _("0 JP"),
            JPBand.NOT_REACHED: _("Target not yet reached"),
        }


def jp_band_filter(band: str, field_name: str = "jp") -> Q:
    target, close_from = jp_target(), jp_close_from()
    return {
        JPBand.REACHED: Q(**{f"{field_name}__gte": target}),
        JPBand.CLOSE: Q(**{f"{field_name}__gte": close_from, f"{field_name}__lt": target}),
        JPBand.BELOW: Q(**{f"{field_name}__gt": 0, f"{field_name}__lt": close_from}),
        JPBand.ZERO: Q(**{field_name: 0}),
        JPBand.NOT_REACHED: Q(**{f"{field_name}__lt": target}),
    }.get(band, Q())


# --- shared filters -----------------------------------------------------------------------------


def people(*, scope: Scope, unit: UnitKerja | None = None) -> QuerySet[ASNProfile]:
    rows = ASNProfile.objects.filter(scope.people())
    if unit is not None:
        rows = rows.filter(unit__path__startswith=unit.path)
    return rows


def in_unit(unit: UnitKerja | None, *, user_field: str = "user_id") -> Q:
    """Rows of the ASN in ``unit`` and below (all ASN without a unit): a semi-join on the profiles."""
    profiles = ASNProfile.objects.all()
    if unit is not None:
        profiles = profiles.filter(unit__path__startswith=unit.path)
    return Q(**{f"{user_field}__in": profiles.values("user_id")})


def _in_scope_joined(rows: QuerySet, *, scope: Scope, unit: UnitKerja | None) -> QuerySet:
    """Rows (with ``user`` and ``course_id``) joined to the learner's profile and unit, the scope and
    ``unit`` applied on the joined unit: for listings that show the person anyway."""
    rows = rows.filter(
        scope.rows_by_unit(unit_field="user__asn_profile__unit", course_field="course_id"),
        user__asn_profile__unit__isnull=False,
    )
    if unit is not None:
        rows = rows.filter(user__asn_profile__unit__path__startswith=unit.path)
    return rows


def enrolments(
    *,
    scope: Scope,
    unit: UnitKerja | None = None,
    year: int | None = None,
    course=None,
    category=None,
    status: str = "",
    asn_only: bool = True,
    joined: bool = False,
) -> QuerySet[Enrolment]:
    """Active enrolments of ASN in scope in courses that still exist. With ``year``: those active in
    that year (enrolled before it ended, not completed before it began). ``asn_only=False`` leaves
    out the check that the learner has an ASN profile, for callers that join the profiles anyway.

    ``joined=True`` joins every row to its profile and unit (an inner join) and applies the scope and
    the unit there, instead of semi-joins: for listings that show the person anyway, so that the
    database can walk the people in name order and stop after one page."""
    rows = Enrolment.objects.filter(status=EnrolmentStatus.ACTIVE, course__isnull=False)
    if joined:
        rows = _in_scope_joined(rows, scope=scope, unit=unit)
    else:
        rows = rows.filter(scope.rows(course_field="course_id"))
        if asn_only or unit is not None:
            rows = rows.filter(in_unit(unit))
    if year is not None:
        start, end = year_bounds(year)
        rows = rows.filter(Q(enrolled_at__lt=end) | Q(enrolled_at__isnull=True)).filter(
            Q(completed_at__isnull=True) | Q(completed_at__gte=start)
        )
    if course is not None:
        rows = rows.filter(course_id=course.pk)
    if category is not None:
        rows = rows.filter(course__category=category)
    if status:
        rows = rows.filter(progress_status=status)
    return rows


def _person_columns() -> dict:
    return {
        "full_name": F("user__asn_profile__full_name"),
        "nip": F("user__asn_profile__nip"),
        "unit_name": F("user__asn_profile__unit__name"),
        "unit_path": F("user__asn_profile__unit__path"),
    }


# --- overview -----------------------------------------------------------------------------------


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


FIELDS = summaries.UNIT_YEAR_COLUMNS  # the columns of a per-unit row, live or precomputed


def _per_unit(*, scope: Scope, unit: UnitKerja | None, year: int) -> tuple[dict[int, dict], datetime.datetime | None]:
    """{unit id: numbers} for the people of the scope (and ``unit``), and when they were computed:
    from the summary rows when the scope is a set of unit subtrees and the year's summary is fresh
    and made with today's 20 JP thresholds (a trainer's course scope does not fit a per-unit row),
    else live (``computed_at`` ``None``)."""
    if scope.everything or (scope.unit_paths and not scope.course_ids):
        run = summaries.fresh_run(year)
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


# --- completion by course -----------------------------------------------------------------------


COMPLETION_ORDERINGS = ["title", "enrolled", "completed", "completion_rate"]


class CourseRows(list):
    """The rows of completion by course, and when they were computed (``None``: live)."""

    computed_at: datetime.datetime | None = None


def _completion_counts_from_summary(
    *, scope: Scope, unit: UnitKerja | None, year: int, course=None, category=None, status: str = ""
) -> dict[int, dict] | None:
    """Completion counts per course from ``UnitCourseSummary``, or ``None`` when the year's summary is
    not fresh. Every scope fits: a summary row holds one unit's people in one course."""
    rows = UnitCourseSummary.objects.filter(scope.rows_by_unit(unit_field="unit", course_field="course_id"), year=year)
    if unit is not None:
        rows = rows.filter(unit__path__startswith=unit.path)
    if course is not None:
        rows = rows.filter(course_id=course.pk)
    if category is not None:
        rows = rows.filter(course_id__in=CoursePage.objects.filter(category=category).values("pk"))
    statuses = [status] if status else list(summaries.STATUS_COLUMNS)
    sums = {name: Sum(name) for name in statuses} | {f"percent_{name}": Sum(f"percent_{name}") for name in statuses}
    counts = {}
    for row in rows.values("course_id").annotate(**sums).order_by():
        numbers = {name: row.get(name) or 0 for name in summaries.STATUS_COLUMNS}
        enrolled = sum(numbers.values())
        if not enrolled:
            continue
        percent = sum(row[f"percent_{name}"] or 0 for name in statuses)
        counts[row["course_id"]] = {
            "course_id": row["course_id"],
            "enrolled": enrolled,
            **numbers,
            "average_progress": percent / enrolled,
        }
    return counts


def course_completion(
    *, scope: Scope, unit: UnitKerja | None = None, search: str = "", ordering: str = "title", **filters
) -> CourseRows:
    """One row per course: enrolled, not started, in progress, completed, completion %, average
    progress and the average quiz grade of the scope's learners. Four queries, whatever the number
    of enrolments: the year's summary run; counts per course (from the summary rows while fresh, else
    grouped by the integer course id over the enrolments); the titles of those courses; the quiz
    grades (from the summary or live, likewise). The (few hundred at most) course rows are sorted here."""
    from quizzes.models import QuizResult

    year = filters.get("year")
    run = summaries.fresh_run(year) if year is not None else None
    result = CourseRows()
    if run is not None:
        counts = _completion_counts_from_summary(scope=scope, unit=unit, **filters)
        result.computed_at = run.computed_at
    else:
        counts = {
            row["course_id"]: row
            for row in enrolments(scope=scope, unit=unit, **filters)
            .values("course_id")
            .annotate(
                enrolled=Count("pk"),
                not_started=Count("pk", filter=Q(progress_status=ProgressStatus.NOT_STARTED)),
                in_progress=Count("pk", filter=Q(progress_status=ProgressStatus.IN_PROGRESS)),
                completed=Count("pk", filter=Q(progress_status=ProgressStatus.COMPLETED)),
                average_progress=Avg("percent"),
            )
            .order_by()
        }
    courses = CoursePage.objects.filter(pk__in=list(counts) or [0])
    if search:
        courses = courses.filter(title__icontains=search)
    rows = []
    for course in courses.values("pk", "title", "category__name", "jp_value").order_by():
        row = counts[course["pk"]]
        row.update(
            title=course["title"],
            category_name=course["category__name"],
            jp_value=course["jp_value"],
            completion_rate=100 * row["completed"] / row["enrolled"],
            average_grade=None,
        )
        rows.append(row)
    if rows:
        course_ids = [row["course_id"] for row in rows]
        if run is not None:
            grades = UnitCourseGrade.objects.filter(
                scope.rows_by_unit(unit_field="unit", course_field="course_id"), course_id__in=course_ids
            )
            if unit is not None:
                grades = grades.filter(unit__path__startswith=unit.path)
            totals = grades.values("course_id").annotate(total=Sum("grade_sum"), count=Sum("grade_count")).order_by()
            averages = {grade["course_id"]: grade["total"] / grade["count"] for grade in totals if grade["count"]}
        else:
            grades = (
                QuizResult.objects.filter(
                    scope.rows(course_field="course_id"),
                    in_unit(unit),
                    course_id__in=course_ids,
                    grade_percent__isnull=False,
                )
                .values("course_id")
                .annotate(average=Avg("grade_percent"))
                .order_by()
            )
            averages = {grade["course_id"]: grade["average"] for grade in grades}
        for row in rows:
            row["average_grade"] = averages.get(row["course_id"])
    key = ordering.lstrip("-") if ordering.lstrip("-") in COMPLETION_ORDERINGS else "title"
    rows.sort(
        key=lambda row: (row[key], row["title"].lower()) if key != "title" else (row["title"].lower(), row["course_id"])
    )
    if ordering.startswith("-"):
        rows.reverse()
    result.extend(rows)
    return result


def course_participants(**filters) -> QuerySet[Enrolment]:
    """One row per person and course (one course with ``course=``), with the person's unit and
    mean quiz grade in that course. The rows are joined to their profiles (``enrolments(joined=True)``):
    with the index on ``full_name`` the first page in name order reads a few dozen people, and the
    grade subquery runs for the rows of the page only."""
    from quizzes.models import QuizResult

    grade = (
        QuizResult.objects.filter(
            user_id=OuterRef("user_id"), course_id=OuterRef("course_id"), grade_percent__isnull=False
        )
        .values("user_id")
        .annotate(average=Avg("grade_percent"))
        .values("average")
    )
    return enrolments(**filters, joined=True).annotate(**_person_columns(), quiz_grade=Subquery(grade))


def participants_count(
    *, scope: Scope, year: int, unit: UnitKerja | None = None, course=None, category=None, status: str = ""
) -> tuple[int, datetime.datetime] | None:
    """How many rows ``course_participants`` has with these filters, from the summary rows, and when
    they were computed; ``None`` when the year's summary is not fresh. One query."""
    from reports.models import SummaryRun

    rows = UnitCourseSummary.objects.filter(
        scope.rows_by_unit(unit_field="unit", course_field="course_id"), year=OuterRef("year")
    )
    if unit is not None:
        rows = rows.filter(unit__path__startswith=unit.path)
    if course is not None:
        rows = rows.filter(course_id=course.pk)
    if category is not None:
        rows = rows.filter(course_id__in=CoursePage.objects.filter(category=category).values("pk"))
    counted = F(status) if status else F("not_started") + F("in_progress") + F("completed")
    total = rows.values("year").annotate(total=Sum(counted)).values("total")
    found = (
        SummaryRun.objects.filter(
            year=year, computed_at__gte=timezone.now() - datetime.timedelta(seconds=summaries.FRESH_FOR)
        )
        .annotate(rows=Coalesce(Subquery(total), Value(0)))
        .values_list("rows", "computed_at")
        .first()
    )
    return None if found is None else (int(found[0]), found[1])


# --- 20 JP compliance ---------------------------------------------------------------------------


def jp_compliance(*, scope: Scope, year: int, unit: UnitKerja | None = None, band: str = "") -> QuerySet[ASNProfile]:
    """Every ASN in scope with the JP credited to them in ``year`` (trainers: in their courses).

    The JP total is a correlated subquery on the (user, year) index rather than a join and GROUP BY
    over every profile: ordered by unit and name, PostgreSQL computes it for the rows of one page."""
    credits = JPCredit.objects.filter(scope.rows(course_field="course_ref"), user_id=OuterRef("user_id"), year=year)
    credited = credits.values("user_id").annotate(total=Sum("jp")).values("total")
    rows = people(scope=scope, unit=unit).select_related("unit").annotate(jp=Coalesce(Subquery(credited), Value(0)))
    if band == JPBand.ZERO:
        # An anti-join finds the people without a live credit without summing anyone's JP (every credit
        # carries at least 1 JP and a reversed one is cancelled by its reversal, so "no live credit" is "0 JP").
        rows = rows.filter(~Exists(credits.filter(kind=JPEntryKind.CREDIT, reversed_at__isnull=True)))
    elif band:
        rows = rows.filter(jp_band_filter(band))
    return rows


# --- quiz results -------------------------------------------------------------------------------


def quiz_results_base(
    *,
    scope: Scope,
    unit: UnitKerja | None = None,
    quiz=None,
    course=None,
    passed=None,
    role: str = "",
    joined: bool = True,
) -> QuerySet:
    """The quiz results of ``quiz_results`` without the display columns. ``joined`` as in
    ``enrolments``: joined to the profile and unit for listing them in name order, semi-joined (one
    hash of the people in scope) for counting them."""
    from quizzes.models import QuizResult

    rows = QuizResult.objects.filter(quiz__isnull=False)
    if joined:
        rows = _in_scope_joined(rows, scope=scope, unit=unit)
    else:
        rows = rows.filter(scope.rows(course_field="course_id"), in_unit(unit))
    if quiz is not None:
        rows = rows.filter(quiz_id=quiz.pk)
    if course is not None:
        rows = rows.filter(course_id=course.pk)
    if passed is not None:
        rows = rows.filter(passed=passed)
    if role:
        rows = rows.filter(quiz__quiz_role=role)
    return rows


def quiz_results(**filters):
    """Per quiz and ASN: grade, attempts, pass/fail, and for a post-test the paired pre-test's first
    grade and the gain."""
    from quizzes.models import QuizResult

    pretest = QuizResult.objects.filter(
        user_id=OuterRef("user_id"), quiz_id=OuterRef("quiz__paired_pretest_id")
    ).values("first_percent")[:1]
    return quiz_results_base(**filters).annotate(
        **_person_columns(),
        quiz_title=F("quiz__title"),
        quiz_role=F("quiz__quiz_role"),
        course_title=Subquery(CoursePage.objects.filter(pk=OuterRef("course_id")).values("title")[:1]),
        pretest_percent=Subquery(pretest),
    )


def quiz_result_groups(rows: QuerySet, *, descending: bool = False) -> list[tuple[str, list[int], int]]:
    """The quizzes of ``rows`` grouped by title in the database's title order: (title, quiz ids, rows).
    One statement: the results counted per integer quiz id (the ORM's query), then joined to the few
    dozen quiz pages for their titles, so the titles are not joined to every result; the database
    sorts the titles, so the order is the listing's own (same collation)."""
    from wagtail.models import Page

    try:
        counted_sql, params = rows.values("quiz_id").annotate(total=Count("pk")).order_by().query.sql_with_params()
    except EmptyResultSet:
        return []
    pages = connection.ops.quote_name(Page._meta.db_table)
    direction = "DESC" if descending else "ASC"
    sql = (
        f"SELECT counted.quiz_id, page.title, counted.total FROM ({counted_sql}) counted "  # noqa: S608
        f"INNER JOIN {pages} page ON page.id = counted.quiz_id ORDER BY page.title {direction}, counted.quiz_id"
    )
    groups: list[tuple[str, list[int], int]] = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for quiz_id, title, total in cursor.fetchall():
            if groups and groups[-1][0] == title:
                groups[-1] = (title, [*groups[-1][1], quiz_id], groups[-1][2] + total)
            else:
                groups.append((title, [quiz_id], total))
    return groups


# --- one person ---------------------------------------------------------------------------------


@dataclass
class PersonReport:
    profile: ASNProfile
    enrolments: list
    quiz_results: list
    attempts_by_quiz: dict
    h5p_results: list
    jp_by_year: list
    target: int


def person(*, scope: Scope, user_id: int) -> PersonReport | None:
    """Everything the scope may see about one ASN, or ``None`` (the view answers 404). Six queries."""
    from h5p.models import H5PPlacement, H5PResult
    from quizzes.models import Attempt, QuizResult

    profile = people(scope=scope).filter(user_id=user_id).select_related("user", "unit", "supervisor").first()
    if profile is None:
        return None
    enrolment_rows = list(
        Enrolment.objects.filter(scope.rows(course_field="course_id"), user_id=user_id)
        .select_related("course")
        .order_by("-enrolled_at", "course_title")
    )
    results = list(
        QuizResult.objects.filter(scope.rows(course_field="course_id"), user_id=user_id)
        .select_related("quiz")
        .order_by("course_id", "quiz__path")
    )
    attempts: dict[int | None, list] = defaultdict(list)
    for attempt in Attempt.objects.filter(scope.rows(course_field="course_id"), user_id=user_id).order_by("number"):
        attempts[attempt.quiz_id].append(attempt)
    h5p_scope = scope.rows(course_field=None)
    if scope.course_ids and not scope.everything:
        h5p_scope |= Q(content_id__in=H5PPlacement.objects.filter(course_id__in=scope.course_ids).values("content_id"))
    h5p_rows = list(H5PResult.objects.filter(h5p_scope, user_id=user_id).order_by("content_title"))
    jp_rows = list(
        JPCredit.objects.filter(scope.rows(course_field="course_ref"), user_id=user_id)
        .values("year")
        .annotate(total=Sum("jp"), courses=Count("pk", filter=Q(kind=JPEntryKind.CREDIT, reversed_at__isnull=True)))
        .order_by("-year")
    )
    for row in jp_rows:
        row["reached"] = row["total"] >= jp_target()
        row["missing"] = max(0, jp_target() - row["total"])
    return PersonReport(
        profile=profile,
        enrolments=enrolment_rows,
        quiz_results=results,
        attempts_by_quiz=dict(attempts),
        h5p_results=h5p_rows,
        jp_by_year=jp_rows,
        target=jp_target(),
    )


# --- SIASN riwayat kursus -----------------------------------------------------------------------


def siasn_rows(*, scope: Scope, start: datetime.date, end: datetime.date, unit: UnitKerja | None = None):
    """One row per course completed between ``start`` and ``end`` (inclusive) per ASN in scope."""
    begin = datetime.datetime.combine(start, datetime.time.min, tzinfo=WIB)
    finish = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=WIB)
    rows = Enrolment.objects.filter(
        scope.rows(course_field="course_id"),
        in_unit(unit),
        completed_at__gte=begin,
        completed_at__lt=finish,
    ).annotate(
        **_person_columns(),
        competency_kind=F("course__competency_kind"),
        training_mode=F("course__training_mode"),
        jp_value=F("course__jp_value"),
        credited_jp=Subquery(
            JPCredit.live_credits()
            .filter(user_id=OuterRef("user_id"), course_ref=OuterRef("course_id"))
            .values("jp")[:1]
        ),
    )
    return rows
