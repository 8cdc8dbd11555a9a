"""Writing the planned data: bulk inserts of units, accounts, course pages and learning rows."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.rich_text import RichText

from courses.models import (
    CourseCategory,
    CourseIndexPage,
    CoursePage,
    Enrolment,
    JPCredit,
    LessonPage,
    LessonProgress,
    ModulePage,
)
from lms.models import HomePage
from people import roles
from people.models import ASNProfile, UnitKerja
from quizzes.models import Attempt, AttemptState, QuizPage, QuizResult, QuizRole
from scale.asn import PersonSpec
from scale.constants import (
    BATCH_SIZE,
    CODE_PREFIX,
    MARKER_CODE,
    PASS_MARK,
    QUIZ_MAX_MARK,
    SUPERVISOR_USERNAME,
    TRAINER_USERNAME,
)
from scale.learning import LESSON_MINUTES, MODULES, CourseSpec, EnrolmentPlan
from scale.units import UnitSpec, _step_number, assign_paths


@dataclass
class ScaleSummary:
    """Counts of what ``seed_scale`` wrote (or found, when ``already_present``) and seconds per phase."""

    units: int = 0
    people: int = 0
    courses: int = 0
    pages: int = 0
    enrolments: int = 0
    lesson_progress: int = 0
    attempts: int = 0
    quiz_results: int = 0
    jp_credits: int = 0
    already_present: bool = False
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


@dataclass
class _Course:
    """What the learning writer needs of a created course: ids and titles."""

    spec: CourseSpec
    id: int
    lessons: list[tuple[int, str]]
    final_quiz: tuple[int, str]
    pre_test: tuple[int, str] | None
    post_test: tuple[int, str] | None
    pages: int  # pages created for it, the course page included


def _write(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message + "\n")


def _bulk(model, objects: list, key: str | None = None) -> None:
    """bulk_create; with ``key``, make sure the objects have their ids (PostgreSQL, SQLite 3.35+ return them)."""
    if not objects:
        return
    model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
    if key and objects[0].pk is None:
        values = [getattr(obj, key) for obj in objects]
        ids = {}
        for start in range(0, len(values), 500):
            ids.update(model.objects.filter(**{f"{key}__in": values[start : start + 500]}).values_list(key, "pk"))
        for obj in objects:
            obj.pk = ids[getattr(obj, key)]


def _forget_queries() -> None:
    """With DEBUG on, Django keeps the last 9,000 statements, megabytes each for a bulk INSERT: drop them
    per chunk, unless someone is counting queries (``CaptureQueriesContext`` forces the debug cursor)."""
    if not connection.force_debug_cursor:
        connection.queries_log.clear()


def existing_summary() -> ScaleSummary | None:
    """The counts of scale data already in the database, or None when there is none."""
    if not UnitKerja.objects.filter(code=MARKER_CODE).exists():
        return None
    profiles = ASNProfile.objects.filter(unit__code__startswith=CODE_PREFIX).exclude(
        user__username__in=[SUPERVISOR_USERNAME, TRAINER_USERNAME]
    )
    enrolments = Enrolment.objects.filter(user__asn_profile__unit__code__startswith=CODE_PREFIX)
    return ScaleSummary(
        units=UnitKerja.objects.filter(code__startswith=CODE_PREFIX).count(),
        people=profiles.count(),
        courses=enrolments.values("course_id").distinct().count(),
        enrolments=enrolments.count(),
        already_present=True,
    )


def _write_units(specs: list[UnitSpec]) -> dict[str, int]:
    last_root = UnitKerja.get_last_root_node()
    after = _step_number(last_root.path[: UnitKerja.steplen]) if last_root is not None else 0
    assign_paths(specs, after_root_step=after)
    units = [
        UnitKerja(
            code=spec.code, name=spec.name, kind=spec.kind, path=spec.path, depth=spec.depth, numchild=spec.numchild
        )
        for spec in specs
    ]
    _bulk(UnitKerja, units, key="code")
    return {unit.code: unit.pk for unit in units}


def _groups() -> dict[str, Group]:
    groups = {group.name: group for group in Group.objects.filter(name__in=roles.ROLES)}
    if len(groups) < len(roles.ROLES):
        roles.sync_roles()
        groups = {group.name: group for group in Group.objects.filter(name__in=roles.ROLES)}
    return groups


def _account(username: str, *, password_hash: str, groups: list[Group], **defaults):
    user_model = get_user_model()
    user, _created = user_model.objects.get_or_create(
        username=username, defaults={"password": password_hash, **defaults}
    )
    user.groups.add(*groups)
    return user


def _profile(user, spec: PersonSpec, unit_ids: dict[str, int]) -> ASNProfile:
    profile = ASNProfile.objects.filter(user=user).first()
    if profile is None:
        profile = ASNProfile.objects.create(user=user, unit_id=unit_ids[spec.unit_code], **_profile_fields(spec))
    return profile


def _profile_fields(spec: PersonSpec) -> dict:
    return {
        "employment_type": spec.employment_type,
        "nip": spec.nip,
        "full_name": spec.full_name,
        "gender": spec.gender,
        "birth_place": spec.birth_place,
        "birth_date": spec.birth_date,
        "golongan": spec.golongan,
        "pppk_grade": spec.pppk_grade,
        "jabatan_type": spec.jabatan_type,
        "jabatan_name": spec.jabatan_name,
        "phone": spec.phone,
    }


def _catalogue() -> CourseIndexPage:
    index = CourseIndexPage.objects.order_by("path").first()
    if index is not None:
        return index
    home = HomePage.objects.order_by("path").first()
    if home is None:
        raise RuntimeError(_("There is no home page to put the course catalogue under. Run migrate first."))
    index = CourseIndexPage(
        title="Katalog Kursus",
        slug="katalog",
        intro="<p>Kursus belajar mandiri untuk ASN Provinsi Jambi. Selesaikan kursus untuk mengumpulkan JP.</p>",
    )
    home.add_child(instance=index)
    return index


def _write_courses(specs: list[CourseSpec], *, trainer, published_at: datetime) -> tuple[list[_Course], int]:
    """The course pages, one by one through Wagtail's page API (the only row-by-row part)."""
    # Wagtail logs every page created at INFO: 480 lines of noise on the console.
    wagtail_logger = logging.getLogger("wagtail")
    previous_level = wagtail_logger.level
    wagtail_logger.setLevel(logging.WARNING)
    try:
        index = _catalogue()
        categories = {}
        for name in dict.fromkeys(spec.category for spec in specs):
            categories[name], _created = CourseCategory.objects.get_or_create(
                name=name, defaults={"slug": slugify(name)}
            )
        courses = _add_course_pages(specs, index=index, categories=categories, published_at=published_at)
    finally:
        wagtail_logger.setLevel(previous_level)
    if trainer is not None:
        through = CoursePage.trainers.through
        through.objects.bulk_create(
            [through(coursepage_id=course.id, user_id=trainer.pk) for course in courses[:3]], ignore_conflicts=True
        )
    return courses, sum(course.pages for course in courses)


def _add_course_pages(specs, *, index, categories, published_at) -> list[_Course]:
    pages = 0
    live = {"live": True, "first_published_at": published_at, "last_published_at": published_at}

    def add(parent, page):
        nonlocal pages
        parent.add_child(instance=page)
        pages += 1
        return page

    courses = []
    for spec in specs:
        course = add(
            index,
            CoursePage(
                title=spec.title,
                slug=spec.slug,
                summary=(
                    f"Pelatihan {spec.topic.lower()} bagi ASN di lingkungan pemerintah daerah se-Provinsi Jambi, "
                    f"belajar mandiri dengan kuis akhir. Bobot {spec.jp} JP."
                ),
                learning_objectives=(
                    f"<ul><li>Menjelaskan konsep dan dasar hukum {spec.topic.lower()}.</li>"
                    "<li>Menerapkannya dalam pekerjaan di perangkat daerah.</li>"
                    "<li>Menyusun rencana aksi di unit kerja.</li></ul>"
                ),
                category=categories[spec.category],
                competency_kind=spec.competency_kind,
                training_mode=spec.training_mode,
                jp_value=spec.jp,
                enrolment_mode=spec.enrolment_mode,
                **live,
            ),
        )
        pre_test = None
        if spec.pre_post:
            pre_test = add(
                course,
                QuizPage(
                    title=f"Pre-test {spec.title}",
                    slug="pre-test",
                    required=False,
                    quiz_role=QuizRole.PRETEST,
                    pass_mark=PASS_MARK,
                    **live,
                ),
            )
        lessons: list[tuple[int, str]] = []
        final_quiz = None
        for module_number, (module_title, lesson_titles) in enumerate(MODULES, start=1):
            module = add(
                course,
                ModulePage(
                    title=f"Modul {module_number}: {module_title}",
                    slug=f"modul-{module_number}",
                    intro=f"<p>Modul ini membahas {module_title.lower()} {spec.topic.lower()}.</p>",
                    **live,
                ),
            )
            for lesson_title in lesson_titles:
                title = lesson_title.format(topic=spec.topic)
                minutes = LESSON_MINUTES[len(lessons)]
                lesson = add(
                    module,
                    LessonPage(
                        title=title,
                        slug=f"materi-{len(lessons) + 1}",
                        body=[("paragraph", RichText(f"<p>{title}: materi {spec.topic.lower()} untuk ASN.</p>"))],
                        estimated_minutes=minutes,
                        required=True,
                        **live,
                    ),
                )
                lessons.append((lesson.pk, title))
            if module_number == len(MODULES):
                final_quiz = add(
                    module,
                    QuizPage(
                        title=f"Evaluasi Akhir {spec.topic}",
                        slug="evaluasi-akhir",
                        required=True,
                        pass_mark=PASS_MARK,
                        **live,
                    ),
                )
        post_test = None
        if spec.pre_post:
            post_test = add(
                course,
                QuizPage(
                    title=f"Post-test {spec.title}",
                    slug="post-test",
                    required=True,
                    quiz_role=QuizRole.POSTTEST,
                    paired_pretest=pre_test,
                    pass_mark=PASS_MARK,
                    **live,
                ),
            )
        courses.append(
            _Course(
                spec=spec,
                id=course.pk,
                lessons=lessons,
                final_quiz=(final_quiz.pk, final_quiz.title),
                pre_test=(pre_test.pk, pre_test.title) if pre_test else None,
                post_test=(post_test.pk, post_test.title) if post_test else None,
                pages=pages,
            )
        )
        pages = 0
    return courses


class _LearningWriter:
    """Turns EnrolmentPlans of one chunk of people into model rows and inserts them in bulk."""

    def __init__(self, courses: list[_Course], *, decided_by_id: int | None):
        self.courses = courses
        self.decided_by_id = decided_by_id
        self.counts = Counter()

    def write(self, plans: list[EnrolmentPlan], user_ids: dict[int, int]) -> None:
        enrolments, progress, attempts, results, credits = [], [], [], [], []
        for plan in plans:
            course = self.courses[plan.course]
            user_id = user_ids[plan.person]
            enrolments.append(
                Enrolment(
                    user_id=user_id,
                    course_id=course.id,
                    course_title=course.spec.title,
                    status=plan.status,
                    source=plan.source,
                    requested_at=plan.requested_at,
                    enrolled_at=plan.enrolled_at,
                    decided_by_id=self.decided_by_id if plan.decided else None,
                    withdrawn_at=plan.withdrawn_at,
                    progress_status=plan.progress_status,
                    percent=plan.percent,
                    required_items=plan.required_items,
                    done_items=plan.done_items,
                    started_at=plan.started_at,
                    completed_at=plan.completed_at,
                    last_activity_at=plan.last_activity_at,
                )
            )
            for event in plan.lessons:
                lesson_id, lesson_title = course.lessons[event.lesson]
                progress.append(
                    LessonProgress(
                        user_id=user_id,
                        lesson_id=lesson_id,
                        lesson_title=lesson_title,
                        started_at=event.started_at,
                        last_seen_at=event.last_seen_at,
                        marked_done_at=event.completed_at,
                        completed_at=event.completed_at,
                        time_spent_seconds=event.seconds,
                        version=1,
                    )
                )
            for quiz_event in plan.quizzes:
                quiz_id, quiz_title = {
                    "final": course.final_quiz,
                    "pre": course.pre_test,
                    "post": course.post_test,
                }[quiz_event.role]
                percents = []
                for number, attempt in enumerate(quiz_event.attempts, start=1):
                    percent = Decimal(attempt.raw_mark * 100 // QUIZ_MAX_MARK).quantize(Decimal("0.01"))
                    percents.append(percent)
                    attempts.append(
                        Attempt(
                            quiz_id=quiz_id,
                            quiz_title=quiz_title,
                            course_id=course.id,
                            user_id=user_id,
                            number=number,
                            state=AttemptState.FINISHED,
                            started_at=attempt.started_at,
                            submitted_at=attempt.submitted_at,
                            graded_at=attempt.submitted_at,
                            raw_mark=Decimal(attempt.raw_mark),
                            max_mark=Decimal(QUIZ_MAX_MARK),
                            percent=percent,
                            passed=percent >= PASS_MARK,
                        )
                    )
                grade = max(percents)  # grading method "highest", the QuizPage default
                passed = grade >= PASS_MARK
                results.append(
                    QuizResult(
                        quiz_id=quiz_id,
                        user_id=user_id,
                        course_id=course.id,
                        attempts_started=len(percents),
                        attempts_finished=len(percents),
                        grade_percent=grade,
                        first_percent=percents[0],
                        passed=passed,
                        passed_at=quiz_event.attempts[-1].submitted_at if passed else None,
                    )
                )
            if plan.completed_at is not None:
                credits.append(
                    JPCredit(
                        user_id=user_id,
                        course_id=course.id,
                        course_ref=course.id,
                        course_title=course.spec.title,
                        jp=course.spec.jp,
                        year=timezone.localtime(plan.completed_at, timezone.get_default_timezone()).year,
                        credited_at=plan.completed_at,
                    )
                )
        for model, rows, name in (
            (Enrolment, enrolments, "enrolments"),
            (LessonProgress, progress, "lesson_progress"),
            (Attempt, attempts, "attempts"),
            (QuizResult, results, "quiz_results"),
            (JPCredit, credits, "jp_credits"),
        ):
            _bulk(model, rows)
            self.counts[name] += len(rows)
