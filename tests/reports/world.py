"""A small hand-built province for report tests, with every number worked out by hand.

Units: Pemerintah Provinsi (prov) → Dinas A (opd_a) → Bidang A1 (bidang_a1); prov → Dinas B (opd_b);
Kab. Kerinci (kab) → Dinas K (opd_k).
Courses: c1 (12 JP, quiz q1, pass mark 60), c2 (8 JP), c3 (4 JP, pre-test and post-test).

Y = this year, Y-1 = last year. JP in Y: a1 20 (reached), a2 16 (close), a3 0, b1 4, k1 8, k2 0,
the supervisor's own profile 0. a2 also has 8 JP in Y-1.
The supervisor supervises Dinas A (a1, a2, a3); the trainer teaches c3 (learners a2, b1).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from courses.models import Enrolment, EnrolmentStatus, JPCredit, ProgressStatus
from people.roles import ADMIN_BPSDM, PENGAJAR, PESERTA, SUPERVISOR
from quizzes.models import Attempt, AttemptState, QuizResult
from tests.courses.factories import build_course
from tests.factories import ASNProfileFactory, UnitFactory, UserFactory, valid_nip
from tests.quizzes.factories import quiz_page


def at(year: int, month: int, day: int) -> datetime.datetime:
    return datetime.datetime(year, month, day, 10, 0, tzinfo=timezone.get_current_timezone())


@dataclass
class World:
    units: dict
    people: dict
    courses: dict
    quizzes: dict
    admin: object
    supervisor: object
    trainer: object
    year: int


_counter = [0]


def person(key: str, unit, **fields):
    _counter[0] += 1
    return ASNProfileFactory(
        user=UserFactory(username=f"asn_{key}", roles=[PESERTA]),
        unit=unit,
        full_name=fields.pop("full_name", f"ASN {key.upper()}"),
        nip=valid_nip(sequence=_counter[0] % 999 + 1, birth=datetime.date(1980 + _counter[0] % 20, 1, 15)),
        birth_date=datetime.date(1980 + _counter[0] % 20, 1, 15),
        **fields,
    ).user


def enrolment(user, course, *, status: str, percent: int, completed: datetime.datetime | None = None, enrolled=None):
    started = (
        None if status == ProgressStatus.NOT_STARTED else (enrolled or at(completed.year if completed else 2020, 1, 2))
    )
    row = Enrolment.objects.create(
        user=user,
        course=course,
        course_title=course.title,
        status=EnrolmentStatus.ACTIVE,
        source="assigned",
        enrolled_at=enrolled or (at(completed.year, 1, 2) if completed else at(timezone.localdate().year, 1, 2)),
        progress_status=status,
        percent=percent,
        required_items=2,
        done_items=2 * percent // 100,
        started_at=started,
        completed_at=completed,
    )
    if completed is not None:
        JPCredit.objects.create(
            user=user,
            course=course,
            course_ref=course.pk,
            course_title=course.title,
            jp=course.jp_value,
            year=timezone.localtime(completed).year,
            credited_at=completed,
        )
    return row


def result(user, quiz, course, *, grade, first=None, attempts=1, passed=None):
    course_id = course.pk
    for number in range(1, attempts + 1):
        percent = Decimal(grade if number == attempts else (first if first is not None else grade))
        Attempt.objects.create(
            quiz=quiz,
            quiz_title=quiz.title,
            course_id=course_id,
            user=user,
            number=number,
            state=AttemptState.FINISHED,
            started_at=at(timezone.localdate().year, 2, number),
            submitted_at=at(timezone.localdate().year, 2, number),
            percent=percent,
            raw_mark=percent,
            max_mark=Decimal(100),
            passed=percent >= quiz.pass_mark,
        )
    return QuizResult.objects.create(
        quiz=quiz,
        user=user,
        course_id=course_id,
        attempts_started=attempts,
        attempts_finished=attempts,
        grade_percent=Decimal(grade),
        first_percent=Decimal(first if first is not None else grade),
        passed=Decimal(grade) >= quiz.pass_mark if passed is None else passed,
    )


def build_world() -> World:
    year = timezone.localdate().year
    prov = UnitFactory(name="Pemerintah Provinsi Jambi", kind="instansi")
    opd_a = UnitFactory(parent=prov, name="Dinas A")
    bidang_a1 = UnitFactory(parent=opd_a, name="Bidang A1", kind="bidang")
    opd_b = UnitFactory(parent=prov, name="Dinas B")
    kab = UnitFactory(name="Kab. Kerinci", kind="instansi")
    opd_k = UnitFactory(parent=kab, name="Dinas K")
    units = {"prov": prov, "opd_a": opd_a, "bidang_a1": bidang_a1, "opd_b": opd_b, "kab": kab, "opd_k": opd_k}
    for unit in units.values():
        unit.refresh_from_db()

    c1 = build_course(title="Kursus Satu", jp_value=12, modules=1, lessons_per_module=1)
    c2 = build_course(title="Kursus Dua", jp_value=8, modules=1, lessons_per_module=1)
    c3 = build_course(title="Kursus Tiga", jp_value=4, modules=1, lessons_per_module=1)
    q1 = quiz_page(c1.modules[0], title="Kuis Satu", pass_mark=Decimal("60"))
    pre = quiz_page(c3.course, title="Pre-test Tiga", quiz_role="pretest")
    post = quiz_page(c3.course, title="Post-test Tiga", quiz_role="posttest", paired_pretest=pre)

    a1 = person("a1", opd_a, full_name="Ahmad Satu")
    a2 = person("a2", bidang_a1, full_name="Aisyah Dua")
    a3 = person("a3", bidang_a1, full_name="Agus Tiga")
    b1 = person("b1", opd_b, full_name="Budi Empat")
    k1 = person("k1", opd_k, full_name="Kartini Lima")
    k2 = person("k2", opd_k, full_name="Kurniawan Enam")

    done, last_year = at(year, 1, 15), at(year - 1, 6, 1)
    C = ProgressStatus.COMPLETED
    enrolment(a1, c1.course, status=C, percent=100, completed=done)
    enrolment(a1, c2.course, status=C, percent=100, completed=done)
    enrolment(a2, c1.course, status=C, percent=100, completed=done)
    enrolment(a2, c3.course, status=C, percent=100, completed=done)
    enrolment(a2, c2.course, status=C, percent=100, completed=last_year)
    enrolment(a3, c1.course, status=ProgressStatus.IN_PROGRESS, percent=50)
    enrolment(b1, c3.course, status=C, percent=100, completed=done)
    enrolment(b1, c1.course, status=ProgressStatus.NOT_STARTED, percent=0)
    enrolment(k1, c2.course, status=C, percent=100, completed=done)

    result(a1, q1, c1.course, grade=80)
    result(a2, q1, c1.course, grade=60)
    result(a3, q1, c1.course, grade=40, first=30, attempts=2)
    result(a2, pre, c3.course, grade=40)
    result(a2, post, c3.course, grade=70)
    result(b1, pre, c3.course, grade=50)
    result(b1, post, c3.course, grade=90)

    admin = UserFactory(username="admin_bpsdm", roles=[ADMIN_BPSDM])
    supervisor = UserFactory(username="kepala_dinas_a", roles=[SUPERVISOR])
    profile = ASNProfileFactory(user=supervisor, unit=opd_b, full_name="Kepala Dinas A", nip=valid_nip(sequence=990))
    profile.supervised_units.add(opd_a)
    trainer = UserFactory(username="pengajar_tiga", roles=[PENGAJAR])
    c3.course.trainers.add(trainer)
    c3.course.save()

    return World(
        units=units,
        people={"a1": a1, "a2": a2, "a3": a3, "b1": b1, "k1": k1, "k2": k2, "supervisor": supervisor},
        courses={"c1": c1.course, "c2": c2.course, "c3": c3.course},
        quizzes={"q1": q1, "pre": pre, "post": post},
        admin=admin,
        supervisor=supervisor,
        trainer=trainer,
        year=year,
    )
