"""Reads of the courses app in a fixed number of queries: catalogue, enrolments, who manages a course,
a learner's access to a lesson (the lesson page's one query), the dashboard."""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection
from django.db.models import Sum
from django.utils import timezone
from wagtail.models import Page

from courses import completion
from courses.models import (
    JP_RANGES,
    CompetencyKind,
    CourseCategory,
    CoursePage,
    Enrolment,
    EnrolmentMode,
    EnrolmentSource,
    EnrolmentStatus,
    EnrolmentWindow,
    JPCredit,
    JPEntryKind,
    LessonPage,
    LessonProgress,
    TrainingMode,
)
from lms.scoping import scope_for


def course_of(page) -> CoursePage | None:
    """The CoursePage above (or at) ``page``, in one query."""
    steplen = page.steplen
    paths = [page.path[:length] for length in range(steplen, len(page.path) + 1, steplen)]
    return CoursePage.objects.filter(path__in=paths).first()


def can_manage_enrolments(user, course: CoursePage) -> bool:
    """Admin BPSDM, and the trainers the course names, with the manage permission (``lms/scoping.py``)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if not (user.is_superuser or user.has_perm("courses.manage_enrolments")):
        return False
    return scope_for(user).manages_course(course.pk)


def manageable_courses(user):
    """The courses whose enrolments ``user`` may manage (a queryset)."""
    courses = CoursePage.objects.all()
    if not user.is_authenticated or not (user.is_superuser or user.has_perm("courses.manage_enrolments")):
        return courses.none()
    return courses.filter(scope_for(user).managed_courses())


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
    return timezone.localtime().year


def jp_earned(*, user, year: int | None = None) -> int:
    """JP credited to the learner in a calendar year (WIB); this year by default. One query."""
    year = year or current_year()
    return JPCredit.objects.filter(user_id=user.pk, year=year).aggregate(total=Sum("jp"))["total"] or 0


def jp_by_year(*, user) -> list[dict]:
    """The learner's JP per calendar year, newest first: ``{"year", "jp"}`` rows. One query."""
    return list(
        JPCredit.objects.filter(user_id=user.pk)
        .values("year")
        .annotate(jp=Sum("jp"))
        .filter(jp__gt=0)
        .order_by("-year")
    )


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
# A learner's access to a lesson (or another course item): the lesson page's one query


_converters: dict[tuple, list] = {}


def _model_from_row(model, values_by_attname: dict):
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


# What the lesson page, the item access rule and a learner's first visit read of the course and the
# enrolment (the rest stays deferred and loads on access).
_COURSE_COLUMNS = ("id", "path", "depth", "title", "slug", "live", "url_path")
_COURSE_OWN_COLUMNS = ("sequential_modules", "pretest_before_modules", "outline_version", "jp_value")
_ENROLMENT_COLUMNS = ("id", "status", "completed_at")
_PROGRESS_COLUMNS = ("id", "lesson_id", "completed_at", "last_position_seconds", "video_fraction")


@functools.cache
def _learner_rows_sql(ancestors: int) -> str:
    """The query of ``learner_rows`` for a page with ``ancestors`` ancestors (one placeholder each)."""
    enrolment, page = Enrolment._meta.db_table, Page._meta.db_table
    course, progress = CoursePage._meta.db_table, LessonProgress._meta.db_table
    columns = [
        *(f"e.{name}" for name in _ENROLMENT_COLUMNS),
        *(f"p.{name}" for name in _COURSE_COLUMNS),
        *(f"c.{name}" for name in _COURSE_OWN_COLUMNS),
        *(f"lp.{name}" for name in _PROGRESS_COLUMNS),
    ]
    placeholders = ", ".join(["%s"] * ancestors)
    # Table and column names come from the models; every value is a query parameter.
    return (
        f"SELECT {', '.join(columns)} FROM {enrolment} e"  # noqa: S608
        f" INNER JOIN {page} p ON p.id = e.course_id"
        f" INNER JOIN {course} c ON c.page_ptr_id = e.course_id"
        f" LEFT OUTER JOIN ({progress} lp INNER JOIN {page} lpg ON lpg.id = lp.lesson_id)"
        " ON lp.user_id = e.user_id AND lpg.path LIKE p.path || '%%'"
        f" WHERE e.user_id = %s AND p.path IN ({placeholders})"
    )


@dataclass
class LearnerRows:
    enrolment: Enrolment
    course: CoursePage
    # The learner's lesson rows in the course, as read: (id, lesson_id, completed_at, last_position_seconds,
    # video_fraction) with the database's own values (use ``states`` and ``progress``).
    progress_rows: list[tuple]

    @property
    def states(self) -> dict[int, completion.ItemState]:
        return {
            row[1]: completion.ItemState.DONE if row[2] is not None else completion.ItemState.IN_PROGRESS
            for row in self.progress_rows
        }

    def progress(self, lesson_id: int) -> LessonProgress | None:
        """The learner's ``LessonProgress`` for one lesson (the fields read above; others load on access)."""
        for row in self.progress_rows:
            if row[1] == lesson_id:
                return _model_from_row(LessonProgress, dict(zip(_PROGRESS_COLUMNS, row, strict=True)))
        return None


def learner_rows(*, user_id: int, page) -> LearnerRows | None:
    """The learner's enrolment in the course above ``page``, the course row (only the fields the lesson
    page reads: ``CoursePage`` with the rest deferred) and their lesson rows in that course, in ONE
    query; None when they have no enrolment there. Written in SQL, building the instances from the rows,
    because the lesson page runs it on every request: the same reads through the ORM cost about ten
    times as much to build, and the lesson-page ratio in docs/performance.md rests on it."""
    steplen = page.steplen
    ancestor_paths = [page.path[:length] for length in range(steplen, len(page.path), steplen)]
    if not ancestor_paths:
        return None
    with connection.cursor() as cursor:
        cursor.execute(_learner_rows_sql(len(ancestor_paths)), [user_id, *ancestor_paths])
        rows = cursor.fetchall()
    if not rows:
        return None
    first = rows[0]
    enrolment_end = len(_ENROLMENT_COLUMNS)
    course_columns = _COURSE_COLUMNS + _COURSE_OWN_COLUMNS
    course_end = enrolment_end + len(course_columns)
    course_values = dict(zip(course_columns, first[enrolment_end:course_end], strict=True))
    course_values["page_ptr_id"] = course_values["id"]
    course = _model_from_row(CoursePage, course_values)
    enrolment_values = dict(zip(_ENROLMENT_COLUMNS, first[:enrolment_end], strict=True))
    enrolment = _model_from_row(Enrolment, {**enrolment_values, "user_id": user_id, "course_id": course.pk})
    enrolment._state.fields_cache["course"] = course
    # A learner without lesson rows yet gets the LEFT JOIN's one row of NULLs.
    progress_rows = [row[course_end:] for row in rows if row[course_end] is not None]
    return LearnerRows(enrolment=enrolment, course=course, progress_rows=progress_rows)


@dataclass
class LessonAccess:
    lesson: LessonPage
    course: CoursePage | None
    enrolment: Enrolment | None
    outline: completion.CourseOutline | None
    progress: LessonProgress | None = None  # the learner's summary row for this lesson, if any

    @property
    def item(self):
        return self.outline.item(self.lesson.pk) if self.outline else None

    @property
    def is_active(self) -> bool:
        return self.enrolment is not None and self.enrolment.status == EnrolmentStatus.ACTIVE

    @property
    def allowed(self) -> bool:
        item = self.item
        return self.is_active and item is not None and not item.locked

    @property
    def lock_message(self) -> str:
        """Why the item is locked for this learner ("" when it is not)."""
        item = self.item
        return item.lock_message if item is not None and item.locked else ""


def lesson_access(*, user, lesson) -> LessonAccess:
    """The learner's course, enrolment and outline for a lesson, or another course item (a quiz).

    An enrolled learner's enrolment, course and lesson rows come in one query (``learner_rows``); the
    outline's structure comes from the cache keyed by the course's ``outline_version`` read in that
    query. Without an enrolment, one query finds the course. The course row is read in this call, so
    its ``outline_version`` is current: the structure may come from the cache.
    """
    found = learner_rows(user_id=user.pk, page=lesson) if user.is_authenticated else None
    if found is None:
        course = course_of(lesson)
        if course is None:
            return LessonAccess(lesson=lesson, course=None, enrolment=None, outline=None)
        return LessonAccess(
            lesson=lesson, course=course, enrolment=None, outline=completion.course_outline(course, use_cache=True)
        )
    if found.enrolment.status != EnrolmentStatus.ACTIVE:
        outline = completion.course_outline(found.course, use_cache=True)
        return LessonAccess(lesson=lesson, course=found.course, enrolment=found.enrolment, outline=outline)
    outline = completion.course_outline(
        found.course, user_id=user.pk, known_states={LessonPage: found.states}, use_cache=True
    )
    return LessonAccess(
        lesson=lesson,
        course=found.course,
        enrolment=found.enrolment,
        outline=outline,
        progress=found.progress(lesson.pk),
    )


# --------------------------------------------------------------------------------------------
# What the course, module and lesson pages show (their ``get_context``)


def _enrolment_of(*, user, course_id: int, preview: bool) -> Enrolment | None:
    if preview or not user.is_authenticated:
        return None
    return enrolment_statuses(user=user, course_ids=[course_id]).get(course_id)


def course_page_context(*, course: CoursePage, user, preview: bool) -> dict:
    """Everyone sees the outline; an enrolled learner also their marks and progress."""
    enrolment = _enrolment_of(user=user, course_id=course.pk, preview=preview)
    active = enrolment is not None and enrolment.status == EnrolmentStatus.ACTIVE
    # The routed course row is current, unless this is a preview of a revision.
    outline = completion.course_outline(course, user_id=user.pk if active else None, use_cache=not preview)
    trainers = list(course.trainers.select_related("asn_profile")) if course.pk else []
    return {
        "enrolment": enrolment,
        "is_enrolled": active,
        "outline": outline,
        "window_state": course.enrolment_window_state(),
        "enrolment_windows": EnrolmentWindow,
        "trainers": trainers,
        "trainer_names": ", ".join(trainer.display_name for trainer in trainers),
        "can_leave": active
        and course.enrolment_mode == EnrolmentMode.OPEN
        and not enrolment.completed_at
        and enrolment.source != EnrolmentSource.ASSIGNED,
    }


def module_page_context(*, module, user, preview: bool) -> dict:
    """A module's introduction and items, with the learner's marks when enrolled."""
    course = course_of(module) if module.pk else None
    if course is None:
        return {"course": None, "is_enrolled": False, "outline": None, "module_entry": None}
    enrolment = _enrolment_of(user=user, course_id=course.pk, preview=preview)
    active = enrolment is not None and enrolment.status == EnrolmentStatus.ACTIVE
    outline = completion.course_outline(course, user_id=user.pk if active else None, use_cache=True)
    module_entry = next((entry for entry in outline.modules if entry.page_id == module.pk), None)
    return {"course": course, "is_enrolled": active, "outline": outline, "module_entry": module_entry}


def lesson_page_context(*, lesson: LessonPage, access: LessonAccess | None, can_edit: bool = False) -> dict:
    """What a lesson page shows for ``access``: the tracked lesson for an enrolled learner whose item is
    open, the lock for one whose module is still locked, an untracked view for an editor (``can_edit``)
    or a preview (no ``access``)."""
    if access is None:
        return {"preview": True, "course": course_of(lesson) if lesson.path else None}
    if not access.allowed:
        if can_edit:
            return {"preview": True, "course": access.course}
        return {"locked": True, "course": access.course, "lock_message": access.lock_message}
    previous_item, next_item = access.outline.neighbours(lesson.pk)
    position_module, position_number, position_total = access.outline.position(lesson.pk)
    return {
        "course": access.course,
        "outline": access.outline,
        "item": access.item,
        "progress": access.progress,
        "previous_item": previous_item,
        "next_item": next_item,
        # "Materi 2 dari 6": counted among the lessons of the lesson's module (courses.completion).
        "position_module": position_module,
        "position_number": position_number,
        "position_total": position_total,
        "view_id": uuid.uuid4(),
        "tracking": True,
        "body_cache_key": lesson.body_cache_key(),
    }
