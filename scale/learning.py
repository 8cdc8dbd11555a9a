"""The courses of the scale data and what each person does in them: enrolments, lessons, quizzes."""

from __future__ import annotations

import random
from bisect import bisect
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.text import slugify

from courses.models import (
    CompetencyKind,
    EnrolmentMode,
    EnrolmentSource,
    EnrolmentStatus,
    ProgressStatus,
    TrainingMode,
)
from courses.summary import enrolment_summary
from scale.constants import PASS_RAW, QUIZ_MAX_MARK

# --------------------------------------------------------------------------------------------
# Courses

_TEKNIS, _MANAJERIAL, _SOSIAL = CompetencyKind.TEKNIS, CompetencyKind.MANAJERIAL, CompetencyKind.SOSIAL_KULTURAL
_ONLINE, _CLASSROOM = TrainingMode.NON_KLASIKAL, TrainingMode.KLASIKAL
COURSE_TOPICS = [
    ("Orientasi Nilai Dasar BerAKHLAK", "Manajemen ASN", _SOSIAL, _ONLINE, 8),
    ("Literasi Digital untuk ASN", "Teknologi Informasi", _TEKNIS, _ONLINE, 4),
    ("Pelayanan Publik Prima", "Pelayanan Publik", _TEKNIS, _ONLINE, 6),
    ("Manajemen Kinerja ASN", "Manajemen ASN", _MANAJERIAL, _ONLINE, 10),
    ("Pengadaan Barang/Jasa Pemerintah", "Keuangan dan Pengadaan", _TEKNIS, _CLASSROOM, 20),
    ("Etika dan Integritas ASN", "Manajemen ASN", _SOSIAL, _ONLINE, 4),
    ("Keamanan Informasi dan Pelindungan Data Pribadi", "Teknologi Informasi", _TEKNIS, _ONLINE, 6),
    ("Penanganan Pengaduan Masyarakat", "Pelayanan Publik", _TEKNIS, _ONLINE, 3),
    ("Kepemimpinan Pengawas", "Kepemimpinan", _MANAJERIAL, _CLASSROOM, 24),
    ("Penatausahaan Keuangan Daerah", "Keuangan dan Pengadaan", _TEKNIS, _ONLINE, 16),
    ("Sistem Pemerintahan Berbasis Elektronik", "Teknologi Informasi", _TEKNIS, _ONLINE, 12),
    ("Penulisan Naskah Dinas", "Administrasi Perkantoran", _TEKNIS, _ONLINE, 4),
    ("Coaching dan Mentoring di Tempat Kerja", "Kepemimpinan", _MANAJERIAL, _ONLINE, 12),
    ("Standar Pelayanan dan Survei Kepuasan Masyarakat", "Pelayanan Publik", _TEKNIS, _ONLINE, 6),
    ("Moderasi Beragama di Lingkungan Kerja", "Sosial Kultural", _SOSIAL, _ONLINE, 4),
    ("Penyusunan Anggaran Berbasis Kinerja", "Keuangan dan Pengadaan", _TEKNIS, _ONLINE, 12),
    ("Kearsipan Dinamis", "Administrasi Perkantoran", _TEKNIS, _ONLINE, 6),
    ("Manajemen Perubahan dan Inovasi Daerah", "Kepemimpinan", _MANAJERIAL, _CLASSROOM, 16),
    ("Pengarusutamaan Gender", "Sosial Kultural", _SOSIAL, _ONLINE, 3),
    ("Analisis Data dengan Lembar Kerja", "Teknologi Informasi", _TEKNIS, _ONLINE, 8),
    ("Pengelolaan Barang Milik Daerah", "Keuangan dan Pengadaan", _TEKNIS, _ONLINE, 10),
    ("Manajemen Risiko Pemerintah Daerah", "Kepemimpinan", _MANAJERIAL, _ONLINE, 8),
    ("Public Speaking untuk ASN", "Sosial Kultural", _SOSIAL, _ONLINE, 2),
    ("Mitigasi Bencana dan Kesiapsiagaan", "Pelayanan Publik", _TEKNIS, _ONLINE, 5),
    ("Penyusunan Kebijakan Publik", "Kepemimpinan", _MANAJERIAL, _ONLINE, 12),
    ("Keselamatan dan Kesehatan Kerja Perkantoran", "Administrasi Perkantoran", _TEKNIS, _ONLINE, 2),
]
MODULES = [
    ("Konsep dan Kebijakan", ["Pengantar {topic}", "Dasar Hukum dan Kebijakan", "Konsep Kunci dan Istilah"]),
    ("Penerapan di Perangkat Daerah", ["Studi Kasus di Provinsi Jambi", "Langkah Penerapan", "Menyusun Rencana Aksi"]),
]
LESSON_MINUTES = [10, 15, 20, 15, 25, 15]


@dataclass(frozen=True)
class CourseSpec:
    index: int
    title: str
    slug: str
    topic: str
    category: str
    competency_kind: str
    training_mode: str
    jp: int
    enrolment_mode: str
    pre_post: bool

    @property
    def required_items(self) -> int:
        lessons = sum(len(lessons) for _module, lessons in MODULES)
        return lessons + 1 + (1 if self.pre_post else 0)  # + final quiz (+ post-test; the pre-test is optional)


def course_plan(count: int) -> list[CourseSpec]:
    """The scale courses: topic cycles through COURSE_TOPICS, each round a later intake (angkatan)."""
    specs = []
    for index in range(count):
        topic, category, kind, mode, jp = COURSE_TOPICS[index % len(COURSE_TOPICS)]
        intake = (index // len(COURSE_TOPICS)) * 3 + 1 + index % 3  # unique per topic
        title = f"{topic} Angkatan {intake}"
        if index % 7 == 5:
            enrolment_mode = EnrolmentMode.REQUEST
        elif index % 7 == 6:
            enrolment_mode = EnrolmentMode.ASSIGNED
        else:
            enrolment_mode = EnrolmentMode.OPEN
        specs.append(
            CourseSpec(
                index=index,
                title=title,
                slug=slugify(title.replace("/", " ")),
                topic=topic,
                category=category,
                competency_kind=kind,
                training_mode=mode,
                jp=jp,
                enrolment_mode=enrolment_mode,
                pre_post=index % 4 == 3,
            )
        )
    return specs


# --------------------------------------------------------------------------------------------
# Learning: enrolments, lesson progress, quiz attempts, JP


@dataclass(frozen=True, slots=True)
class LessonEvent:
    lesson: int  # 0-5, in course order
    started_at: datetime
    last_seen_at: datetime
    completed_at: datetime | None
    seconds: int


@dataclass(frozen=True, slots=True)
class AttemptEvent:
    started_at: datetime
    submitted_at: datetime
    raw_mark: int  # out of QUIZ_MAX_MARK


@dataclass(frozen=True, slots=True)
class QuizEvent:
    role: str  # "final", "pre" or "post"
    attempts: tuple[AttemptEvent, ...]


@dataclass(frozen=True, slots=True)
class EnrolmentPlan:
    person: int  # index in the order people were generated
    course: int  # index in course_plan()
    status: str
    source: str
    progress_status: str
    required_items: int
    done_items: int
    percent: int
    requested_at: datetime | None
    enrolled_at: datetime | None
    started_at: datetime | None
    completed_at: datetime | None
    last_activity_at: datetime | None
    withdrawn_at: datetime | None
    decided: bool  # assigned or approved by someone (skala_admin)
    lessons: tuple[LessonEvent, ...]
    quizzes: tuple[QuizEvent, ...]


class LearningPlanner:
    """Plans each person's enrolments from its own random stream, the same whatever the chunk size.

    Progress mix over all enrolments: about 30 % completed, 45 % in progress, 25 % not started, with
    people differing in diligence (a fifth complete most of what they start, a third hardly anything)
    so that JP per person spreads from 0 to well over 20.
    """

    # (share of people, chance that an enrolment is completed)
    DILIGENCE = [(0.2, 0.6), (0.5, 0.3), (0.3, 0.1)]
    IN_PROGRESS_OF_REST = 0.45 / 0.70
    CURRENT_YEAR_COMPLETIONS = 0.55
    NEW_YEAR_NIGHT = 0.005  # of current-year completions: 1 January, 00:00-06:59 WIB (UTC: still last year)

    def __init__(self, *, seed: int, courses: list[CourseSpec], enrolments_per_person: int, today: date, now: datetime):
        self.rng = random.Random(f"seed-scale:{seed}:learning")
        self.courses = courses
        self.per_person = min(enrolments_per_person, len(courses))
        self.year = today.year
        zone = timezone.get_default_timezone()  # the project's TIME_ZONE: WIB
        self.previous_start = datetime(self.year - 1, 1, 1, tzinfo=zone)
        self.current_start = datetime(self.year, 1, 1, tzinfo=zone)
        today_start = datetime(today.year, today.month, today.day, tzinfo=zone)
        # Dates stop at the start of today (a stable anchor for the day); on 1 January, at now.
        self.current_end = today_start if today_start > self.current_start else max(now, self.current_start)
        # Popular courses first: weight 1 / (1 + 0.15 × index).
        self.course_cum = []
        running = 0.0
        for spec in courses:
            running += 1 / (1 + 0.15 * spec.index)
            self.course_cum.append(running)

    # --- time ---------------------------------------------------------------------------------

    def _moment(self, *, current: bool) -> datetime:
        """A moment in the previous year or in the current year up to the anchor, mostly 07:00-22:00 WIB."""
        rng = self.rng
        start, end = (self.current_start, self.current_end) if current else (self.previous_start, self.current_start)
        days = (end - start).days
        if days < 1:
            return start + (end - start) * rng.random()
        day = start + timedelta(days=rng.randrange(days))
        return day + timedelta(seconds=rng.randint(7 * 3600, 22 * 3600))

    def _completion_moment(self) -> datetime:
        rng = self.rng
        if rng.random() < self.CURRENT_YEAR_COMPLETIONS:
            if rng.random() < self.NEW_YEAR_NIGHT and self.current_end - self.current_start > timedelta(hours=7):
                return self.current_start + timedelta(seconds=rng.randint(0, 7 * 3600 - 1))
            return self._moment(current=True)
        return self._moment(current=False)

    # --- plan ---------------------------------------------------------------------------------

    def _courses_for_person(self) -> list[int]:
        rng = self.rng
        count = sum(1 for _slot in range(self.per_person) if rng.random() >= 0.02)
        chosen: list[int] = []
        total = self.course_cum[-1]
        while len(chosen) < count:
            index = bisect(self.course_cum, rng.random() * total)
            if index not in chosen:
                chosen.append(index)
        return chosen

    def person(self, person: int) -> list[EnrolmentPlan]:
        rng = self.rng
        roll = rng.random()
        completion_chance = self.DILIGENCE[-1][1]
        for share, chance in self.DILIGENCE:
            if roll < share:
                completion_chance = chance
                break
            roll -= share
        return [self._enrolment(person, course, completion_chance) for course in self._courses_for_person()]

    def _enrolment(self, person: int, course_index: int, completion_chance: float) -> EnrolmentPlan:
        rng = self.rng
        course = self.courses[course_index]
        required = course.required_items
        roll = rng.random()
        if roll < completion_chance:
            progress = ProgressStatus.COMPLETED
        elif rng.random() < self.IN_PROGRESS_OF_REST:
            progress = ProgressStatus.IN_PROGRESS
        else:
            progress = ProgressStatus.NOT_STARTED

        # How they got in.
        mode = course.enrolment_mode
        assigned = mode == EnrolmentMode.ASSIGNED or rng.random() < 0.3
        if assigned:
            source = EnrolmentSource.ASSIGNED
        elif mode == EnrolmentMode.REQUEST:
            source = EnrolmentSource.REQUEST
        else:
            source = EnrolmentSource.SELF
        status = EnrolmentStatus.ACTIVE
        if progress != ProgressStatus.COMPLETED:
            if source == EnrolmentSource.REQUEST and rng.random() < 0.12:
                status, progress = EnrolmentStatus.REQUESTED, ProgressStatus.NOT_STARTED
            elif source == EnrolmentSource.SELF and rng.random() < 0.04:
                status = EnrolmentStatus.WITHDRAWN

        requested_at = withdrawn_at = None
        if status == EnrolmentStatus.REQUESTED:  # waiting for a trainer: no progress, not enrolled yet
            requested_at = self._moment(current=rng.random() < 0.85)
            done, lessons, quizzes, started_at, last_activity, completed_at, enrolled_at = (
                0,
                (),
                (),
                None,
                None,
                None,
                None,
            )
        elif progress == ProgressStatus.NOT_STARTED:
            enrolled_at = self._moment(current=rng.random() < 0.75)
            done, lessons, quizzes, started_at, last_activity = 0, (), (), None, enrolled_at
            completed_at = None
        else:
            if progress == ProgressStatus.COMPLETED:
                done = required
                end = self._completion_moment()
                span = timedelta(days=rng.randint(2, 45), seconds=rng.randint(0, 86_399))
            else:
                done = rng.randrange(required)
                end = self._moment(current=rng.random() < 0.85)
                span = timedelta(days=rng.randint(1, 40), seconds=rng.randint(0, 86_399))
            lessons, quizzes, started_at, last_activity = self._events(course, done, end - span, end)
            if progress == ProgressStatus.COMPLETED:
                last_activity = end
            completed_at = end if progress == ProgressStatus.COMPLETED else None
            enrolled_at = started_at - timedelta(days=rng.randint(0, 10), seconds=rng.randint(60, 86_399))
        if source == EnrolmentSource.REQUEST and status != EnrolmentStatus.REQUESTED:
            requested_at = enrolled_at - timedelta(days=rng.randint(1, 7), seconds=rng.randint(0, 86_399))
        if status == EnrolmentStatus.WITHDRAWN:
            room = self.current_end - last_activity
            withdrawn_at = last_activity + min(timedelta(days=rng.randint(1, 30)), room)
        # Status and percent by the platform's one rule, as courses.services writes them.
        summary = enrolment_summary(
            required=required,
            done=done,
            completed=progress == ProgressStatus.COMPLETED,
            started=progress != ProgressStatus.NOT_STARTED,
        )
        return EnrolmentPlan(
            person=person,
            course=course_index,
            status=status,
            source=source,
            progress_status=summary.progress_status,
            required_items=summary.required_items,
            done_items=summary.done_items,
            percent=summary.percent,
            requested_at=requested_at,
            enrolled_at=enrolled_at,
            started_at=started_at,
            completed_at=completed_at,
            last_activity_at=last_activity,
            withdrawn_at=withdrawn_at,
            decided=status != EnrolmentStatus.REQUESTED
            and source in (EnrolmentSource.ASSIGNED, EnrolmentSource.REQUEST),
            lessons=lessons,
            quizzes=quizzes,
        )

    def _events(self, course: CourseSpec, done: int, start: datetime, end: datetime):
        """Lesson and quiz events for ``done`` required items done in order, spread from start to end.

        The last event ends at ``end`` (for a completed course: the pass that completed it).
        Returns (lessons, quizzes, the start of the first event, the end of the last).
        """
        rng = self.rng
        lesson_count = len(LESSON_MINUTES)
        pre_test = course.pre_post and rng.random() < 0.9
        # The steps, in order: ("pre"), lessons done, then either the lesson in progress or a quiz.
        steps: list[tuple[str, int]] = [("pre", 0)] if pre_test else []
        steps += [("lesson", index) for index in range(min(done, lesson_count))]
        if done < lesson_count:
            steps.append(("lesson_open", done))
        else:
            if done > lesson_count:
                steps.append(("final", 1))  # passed
            elif rng.random() < 0.6:
                steps.append(("final", 0))  # tried, not passed yet
            if course.pre_post:
                if done > lesson_count + 1:
                    steps.append(("post", 1))
                elif done == lesson_count + 1 and rng.random() < 0.5:
                    steps.append(("post", 0))
        gap = (end - start) / len(steps)
        lessons: list[LessonEvent] = []
        quizzes: list[QuizEvent] = []
        first_start: datetime | None = None
        pre_raw = None
        for position, (kind, value) in enumerate(steps, start=1):
            moment = start + gap * position  # the last one is ``end``, give or take microseconds of rounding
            if kind in ("lesson", "lesson_open"):
                seconds = int(LESSON_MINUTES[value] * 60 * rng.uniform(0.6, 1.8))
                if kind == "lesson":
                    event = LessonEvent(value, moment - timedelta(seconds=seconds), moment, moment, seconds)
                else:
                    seconds //= rng.randint(2, 5)
                    event = LessonEvent(value, moment - timedelta(seconds=seconds), moment, None, seconds)
                lessons.append(event)
                first_start = first_start or event.started_at
                continue
            if kind == "pre":
                pre_raw = rng.randint(3, 15)  # a baseline: most do not reach 70 %
                marks = [pre_raw]
            elif value:  # passed, after 0-2 failed tries
                failed = rng.choices([0, 1, 2], weights=[65, 25, 10])[0]
                if kind == "post" and pre_raw is not None:
                    final = min(QUIZ_MAX_MARK, max(PASS_RAW, pre_raw + rng.randint(2, 8)))
                else:
                    final = rng.randint(PASS_RAW, QUIZ_MAX_MARK)
                marks = [rng.randint(6, PASS_RAW - 1) for _try in range(failed)] + [final]
            else:  # tried and not passed yet
                marks = [rng.randint(5, PASS_RAW - 1) for _try in range(rng.randint(1, 2))]
            attempts = []
            submitted = moment
            for raw in reversed(marks):  # backwards from the last submission, retakes 20-40 minutes apart
                duration = timedelta(seconds=rng.randint(300, 1200))
                attempts.append(AttemptEvent(submitted - duration, submitted, raw))
                submitted = submitted - duration - timedelta(seconds=rng.randint(1200, 2400))
            attempts.reverse()
            quizzes.append(QuizEvent(kind, tuple(attempts)))
            first_start = first_start or attempts[0].started_at
        return tuple(lessons), tuple(quizzes), first_start, start + gap * len(steps)
