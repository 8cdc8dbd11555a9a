"""Completion by course, and the participants of one course or of every course."""

from __future__ import annotations

import datetime

from django.db.models import Avg, Count, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from courses.models import CoursePage, Enrolment, ProgressStatus
from people.models import UnitKerja
from quizzes.models import QuizResult
from reports.models import STATUS_COLUMNS, SummaryRun, UnitCourseGrade, UnitCourseSummary
from reports.scoping import Scope
from reports.selectors.common import enrolments, in_unit, person_columns, summary_rows

COMPLETION_ORDERINGS = ["title", "enrolled", "completed", "completion_rate"]


class CourseRows(list):
    """The rows of completion by course, and when they were computed (``None``: live)."""

    computed_at: datetime.datetime | None = None


def _completion_counts_from_summary(
    *, scope: Scope, unit: UnitKerja | None, year: int, course=None, category=None, status: str = ""
) -> dict[int, dict] | None:
    """Completion counts per course from ``UnitCourseSummary``, or ``None`` when the year's summary is
    not fresh. Every scope fits: a summary row holds one unit's people in one course."""
    rows = summary_rows(UnitCourseSummary, scope=scope, unit=unit, course=course, category=category, year=year)
    statuses = [status] if status else list(STATUS_COLUMNS)
    sums = {name: Sum(name) for name in statuses} | {f"percent_{name}": Sum(f"percent_{name}") for name in statuses}
    counts = {}
    for row in rows.values("course_id").annotate(**sums).order_by():
        numbers = {name: row.get(name) or 0 for name in STATUS_COLUMNS}
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
    year = filters.get("year")
    run = SummaryRun.objects.fresh().filter(year=year).first() if year is not None else None
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
    grade = (
        QuizResult.objects.filter(
            user_id=OuterRef("user_id"), course_id=OuterRef("course_id"), grade_percent__isnull=False
        )
        .values("user_id")
        .annotate(average=Avg("grade_percent"))
        .values("average")
    )
    return enrolments(**filters, joined=True).annotate(**person_columns(), quiz_grade=Subquery(grade))


def participants_count(
    *, scope: Scope, year: int, unit: UnitKerja | None = None, course=None, category=None, status: str = ""
) -> tuple[int, datetime.datetime] | None:
    """How many rows ``course_participants`` has with these filters, from the summary rows, and when
    they were computed; ``None`` when the year's summary is not fresh. One query."""
    rows = summary_rows(
        UnitCourseSummary, scope=scope, unit=unit, course=course, category=category, year=OuterRef("year")
    )
    counted = F(status) if status else F("not_started") + F("in_progress") + F("completed")
    total = rows.values("year").annotate(total=Sum(counted)).values("total")
    found = (
        SummaryRun.objects.fresh()
        .filter(year=year)
        .annotate(rows=Coalesce(Subquery(total), Value(0)))
        .values_list("rows", "computed_at")
        .first()
    )
    return None if found is None else (int(found[0]), found[1])
