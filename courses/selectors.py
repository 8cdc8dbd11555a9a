"""Reads of the courses app in a fixed number of queries: catalogue, enrolments, the learner dashboard."""

from __future__ import annotations

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
    outlines = completion.course_outlines(open_courses, user_id=user.pk)
    credits = list(JPCredit.objects.filter(user_id=user.pk).values_list("course_ref", "jp", "year"))
    jp_by_course = {course_ref: jp for course_ref, jp, _year in credits}
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
    data.jp_earned = sum(jp for _course_ref, jp, credit_year in credits if credit_year == year)
    return data
