"""Reads of the courses app in a fixed number of queries: catalogue, enrolments, the learner dashboard."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from courses import completion
from courses.models import (
    JP_RANGES,
    CompetencyKind,
    CourseCategory,
    CoursePage,
    Enrolment,
    EnrolmentStatus,
    JPCredit,
    JPEntryKind,
    TrainingMode,
)
from courses.services import WIB


def is_enrolled(*, user, course_id: int | None) -> bool:
    """Whether the learner has an active enrolment in the course. One query."""
    if course_id is None or not user.is_authenticated:
        return False
    return Enrolment.objects.filter(user_id=user.pk, course_id=course_id, status=EnrolmentStatus.ACTIVE).exists()


@dataclass
class CatalogueFilters:
    query: str = ""
    category: str = ""
    kind: str = ""
    mode: str = ""
    jp: str = ""

    @classmethod
    def from_query(cls, data) -> CatalogueFilters:
        """Read the filter form; unknown values are ignored rather than failing the page."""
        kinds = {value for value, _label in CompetencyKind.choices}
        modes = {value for value, _label in TrainingMode.choices}
        jp_values = {value for value, *_rest in JP_RANGES}
        category = (data.get("kategori") or "").strip()[:100]
        return cls(
            query=(data.get("q") or "").strip()[:100],
            category=category,
            kind=data.get("jenis") if data.get("jenis") in kinds else "",
            mode=data.get("mode") if data.get("mode") in modes else "",
            jp=data.get("jp") if data.get("jp") in jp_values else "",
        )

    @property
    def active(self) -> bool:
        return any([self.query, self.category, self.kind, self.mode, self.jp])

    def querystring(self) -> str:
        pairs = [
            ("q", self.query),
            ("kategori", self.category),
            ("jenis", self.kind),
            ("mode", self.mode),
            ("jp", self.jp),
        ]
        return urlencode([(name, value) for name, value in pairs if value])


def catalogue_courses(*, index_page, filters: CatalogueFilters):
    """Published courses below the catalogue, filtered, then searched (Wagtail search) when asked."""
    courses = (
        CoursePage.objects.live()
        .public()
        .descendant_of(index_page)
        .select_related("category", "cover_image")
        .prefetch_related("cover_image__renditions")
        .order_by("title")
    )
    if filters.category:
        category_id = CourseCategory.objects.filter(slug=filters.category).values_list("pk", flat=True).first()
        courses = courses.filter(category_id=category_id) if category_id else courses.none()
    if filters.kind:
        courses = courses.filter(competency_kind=filters.kind)
    if filters.mode:
        courses = courses.filter(training_mode=filters.mode)
    if filters.jp:
        for value, _label, low, high in JP_RANGES:
            if value == filters.jp:
                courses = courses.filter(jp_value__gte=low)
                if high is not None:
                    courses = courses.filter(jp_value__lte=high)
    if filters.query:
        return courses.search(filters.query, order_by_relevance=True)
    return courses


def enrolment_statuses(*, user, course_ids) -> dict[int, Enrolment]:
    if not course_ids:
        return {}
    return {
        enrolment.course_id: enrolment
        for enrolment in Enrolment.objects.filter(user_id=user.pk, course_id__in=list(course_ids))
    }


def current_year() -> int:
    return timezone.localtime(timezone.now(), WIB).year


def jp_earned(*, user, year: int | None = None) -> int:
    """JP credited to the learner in a calendar year (WIB); this year by default. One query."""
    year = year or current_year()
    return JPCredit.objects.filter(user_id=user.pk, year=year).aggregate(total=Sum("jp"))["total"] or 0


@dataclass
class DashboardCourse:
    enrolment: Enrolment
    course: CoursePage | None
    outline: completion.CourseOutline | None = None
    jp_credited: int | None = None

    @property
    def next_item(self):
        return self.outline.next_item if self.outline else None


@dataclass
class Dashboard:
    in_progress: list[DashboardCourse] = field(default_factory=list)
    completed: list[DashboardCourse] = field(default_factory=list)
    waiting: list[Enrolment] = field(default_factory=list)
    jp_year: int = 0
    jp_earned: int = 0
    jp_target: int = 20

    @property
    def jp_percent(self) -> int:
        return min(100, (self.jp_earned * 100) // self.jp_target) if self.jp_target else 100

    @property
    def jp_remaining(self) -> int:
        return max(0, self.jp_target - self.jp_earned)


def dashboard(*, user) -> Dashboard:
    """The learner's courses with progress and where to continue, and JP this year. Fixed queries:
    enrolments (1) + course outlines for all courses at once (see completion) + JP ledger (1)."""
    year = current_year()
    data = Dashboard(jp_year=year, jp_target=settings.LMS_ANNUAL_JP_TARGET)
    enrolments = list(
        Enrolment.objects.filter(user_id=user.pk, status__in=[EnrolmentStatus.ACTIVE, EnrolmentStatus.REQUESTED])
        .select_related("course")
        .order_by("-last_activity_at", "-enrolled_at", "course_title")
    )
    active = [e for e in enrolments if e.status == EnrolmentStatus.ACTIVE]
    data.waiting = [e for e in enrolments if e.status == EnrolmentStatus.REQUESTED]
    open_courses = [e.course for e in active if e.course is not None and e.completed_at is None]
    outlines = completion.course_outlines(open_courses, user_id=user.pk, use_cache=True)
    credits = list(
        JPCredit.objects.filter(user_id=user.pk).values_list("course_ref", "jp", "year", "kind", "reversed_at")
    )
    # The live credit per course (a reversed one and its reversal cancel out in the year's sum).
    jp_by_course = {
        course_ref: jp
        for course_ref, jp, _year, kind, reversed_at in credits
        if kind == JPEntryKind.CREDIT and reversed_at is None
    }
    for enrolment in active:
        course = enrolment.course
        entry = DashboardCourse(
            enrolment=enrolment,
            course=course,
            outline=outlines.get(course.pk) if course else None,
            jp_credited=jp_by_course.get(enrolment.course_id),
        )
        if enrolment.completed_at:
            data.completed.append(entry)
        else:
            data.in_progress.append(entry)
    data.completed.sort(key=lambda entry: entry.enrolment.completed_at, reverse=True)
    data.jp_earned = sum(jp for _course_ref, jp, credit_year, *_rest in credits if credit_year == year)
    return data


# --------------------------------------------------------------------------------------------
# The lesson page's learner rows


_converters: dict[tuple, list] = {}


def _model_from_row(model, values_by_attname: dict, connection):
    """A model instance from raw column values: Django's converters applied, absent fields deferred."""
    key = (model, connection.vendor, frozenset(values_by_attname))
    fields = _converters.get(key)
    if fields is None:
        fields = []
        for model_field in model._meta.concrete_fields:  # ``from_db`` wants them in this order
            if model_field.attname in values_by_attname:
                col = model_field.get_col(model._meta.db_table)
                converters = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
                fields.append((model_field.attname, col, converters))
        _converters[key] = fields
    attnames, values = [], []
    for attname, col, converters in fields:
        value = values_by_attname[attname]
        for converter in converters:
            value = converter(value, col, connection)
        attnames.append(attname)
        values.append(value)
    return model.from_db(connection.alias, attnames, values)


# Only what the lesson page reads of the course (the rest stays deferred).
_COURSE_COLUMNS = ("id", "path", "depth", "title", "slug", "live", "url_path")
_COURSE_OWN_COLUMNS = ("sequential_modules", "pretest_before_modules", "outline_version")
_PROGRESS_COLUMNS = ("id", "lesson_id", "completed_at", "last_position_seconds", "video_fraction")


@functools.cache
def _learner_rows_sql() -> str:
    from wagtail.models import Page

    from courses.models import LessonProgress

    enrolment, page = Enrolment._meta.db_table, Page._meta.db_table
    course, progress = CoursePage._meta.db_table, LessonProgress._meta.db_table
    columns = [
        "e.id",
        "e.status",
        *(f"p.{name}" for name in _COURSE_COLUMNS),
        *(f"c.{name}" for name in _COURSE_OWN_COLUMNS),
        *(f"lp.{name}" for name in _PROGRESS_COLUMNS),
    ]
    # Table and column names come from the models; every value is a query parameter.
    return (
        f"SELECT {', '.join(columns)} FROM {enrolment} e"  # noqa: S608
        f" INNER JOIN {page} p ON p.id = e.course_id"
        f" INNER JOIN {course} c ON c.page_ptr_id = e.course_id"
        f" LEFT OUTER JOIN ({progress} lp INNER JOIN {page} lpg ON lpg.id = lp.lesson_id AND lpg.path LIKE %s)"
        " ON lp.user_id = e.user_id"
        " WHERE e.user_id = %s AND p.path = %s"
    )


@dataclass
class LearnerRows:
    enrolment: Enrolment
    course: CoursePage
    # The learner's lesson rows in the course, as read: (id, lesson_id, completed_at, last_position_seconds,
    # video_fraction) with the database's own values (use ``states`` and ``progress``).
    progress_rows: list[tuple]

    @property
    def states(self) -> dict[int, str]:
        return {row[1]: completion.DONE if row[2] is not None else completion.IN_PROGRESS for row in self.progress_rows}

    def progress(self, lesson_id: int):
        """The learner's ``LessonProgress`` for one lesson (the fields read above; others load on access)."""
        from django.db import connection

        from courses.models import LessonProgress

        for row in self.progress_rows:
            if row[1] == lesson_id:
                return _model_from_row(LessonProgress, dict(zip(_PROGRESS_COLUMNS, row, strict=True)), connection)
        return None


def learner_rows(*, user_id: int, course_path: str) -> LearnerRows | None:
    """The learner's enrolment in the course at ``course_path``, the course row (only the fields the
    lesson page reads: ``CoursePage`` with the rest deferred) and their lesson rows in that course, in
    ONE query; None when they have no enrolment there. Written in SQL because the lesson page runs
    it on every request: the same reads through the ORM cost about ten times as much to build."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(_learner_rows_sql(), [course_path + "%", user_id, course_path])
        rows = cursor.fetchall()
    if not rows:
        return None
    first = rows[0]
    course_columns = _COURSE_COLUMNS + _COURSE_OWN_COLUMNS
    offset = 2 + len(course_columns)
    course_values = dict(zip(course_columns, first[2:offset], strict=True))
    course_values["page_ptr_id"] = course_values["id"]
    course = _model_from_row(CoursePage, course_values, connection)
    enrolment = _model_from_row(
        Enrolment, {"id": first[0], "user_id": user_id, "course_id": course.pk, "status": first[1]}, connection
    )
    enrolment._state.fields_cache["course"] = course
    # A learner without lesson rows yet gets the LEFT JOIN's one row of NULLs.
    progress_rows = [row[offset:] for row in rows if row[offset] is not None]
    return LearnerRows(enrolment=enrolment, course=course, progress_rows=progress_rows)
