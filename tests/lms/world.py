"""A small province for scoping tests: course A (trainer A, learner A in unit X) and course B (trainer
B, learner B in unit Y), each with a quiz holding a submitted essay, an override, an H5P item with a
result and a statement, an enrolment and a JP credit; and the seven roles of the role × URL matrix."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.http import QueryDict
from django.utils import timezone

from certificates.models import CertificateTemplate, CourseCertificateRule
from courses.models import Enrolment, EnrolmentStatus, JPCredit
from h5p.models import H5PPlacement, H5PResult, H5PStatement
from people.roles import ADMIN_BPSDM, PENGAJAR, PESERTA, SUPERVISOR
from quizzes import services as quiz_services
from quizzes.models import AttemptSlot, QuizOverride
from tests.factories import ASNProfileFactory, UnitFactory, UserFactory, valid_nip
from tests.quizzes.factories import CategoryFactory, course_with_module, essay, quiz_page

ANON, PESERTA_ROLE, TRAINER_A, TRAINER_B, SUPERVISOR_X, ADMIN, LEARNER_SUPERVISOR = (
    "anonymous",
    "peserta",
    "trainer_a",
    "trainer_b",
    "supervisor_x",
    "admin",
    "peserta_supervisor_y",
)
ROLES = [ANON, PESERTA_ROLE, TRAINER_A, TRAINER_B, SUPERVISOR_X, ADMIN, LEARNER_SUPERVISOR]


@dataclass
class World:
    users: dict
    forbidden: dict
    objects: dict
    arguments: dict
    markers_a: list
    unit_x: object
    unit_y: object
    course_a: object
    course_b: object
    module_a: object
    quiz_a: object
    quiz_b: object
    learner_a: object
    learner_b: object
    profile_a: object
    profile_b: object
    slot_a: object
    slot_b: object
    override_a: object
    h5p_a: object


LEARNER_A_NAME, LEARNER_B_NAME = "Ani Matriksa", "Budi Matriksb"
LEARNER_A_USERNAME, LEARNER_B_USERNAME = "ani.matriksa", "budi.matriksb"
H5P_A, H5P_B = "H5P Matriks Alfa", "H5P Matriks Beta"
REASON_A, REASON_B = "Alasan Matriks Alfa", "Alasan Matriks Beta"
ESSAY_A, ESSAY_B = "Esai rahasia Matriks Alfa", "Esai rahasia Matriks Beta"


def _profile(user, unit, name, nip=None):
    return ASNProfileFactory(user=user, unit=unit, full_name=name, **({"nip": nip} if nip else {}))


def _essay_attempt(quiz, user, text):
    attempt = quiz_services.attempt_start(quiz=quiz, user=user)
    data = QueryDict(mutable=True)
    data["q1"] = text
    quiz_services.attempt_save(attempt_id=attempt.pk, user=user, seq=1, post=data, slot_numbers=[1])
    return quiz_services.attempt_submit(attempt_id=attempt.pk, user=user)


def _h5p(title, course, lesson_parent, user, uploader):
    from courses.models import LessonPage
    from h5p.models import H5PContent

    content = H5PContent.objects.create(title=title, package="h5p/packages/x.h5p", uploaded_by=uploader)
    lesson = lesson_parent.add_child(instance=LessonPage(title="Materi interaktif", slug=f"materi-{content.pk}"))
    H5PPlacement.objects.create(content=content, lesson=lesson, course=course)
    H5PResult.objects.create(user=user, content=content, content_title=title, attempts=1, best_raw=1, best_max=2)
    H5PStatement.objects.create(
        statement_id=f"00000000-0000-4000-8000-{content.pk:012d}",
        user=user,
        content=content,
        verb="answered",
        verb_iri="http://adlnet.gov/expapi/verbs/answered",
        object_iri=f"http://testserver/h5p/{content.pk}/",
        is_top_level=True,
        statement={"verb": {"id": "answered"}},
    )
    return content


def _certificate(learner, course):
    """Course A's certificate for learner A, under a default template and a rule of course A."""
    from certificates.services import certificate_issue

    CertificateTemplate.objects.create(
        name="Bawaan", is_default=True, signer_name="Kepala", signer_position="Kepala BPSDM"
    )
    CourseCertificateRule.objects.create(course=course)
    enrolment = Enrolment.objects.get(user=learner, course=course)
    if enrolment.completed_at is None:
        enrolment.completed_at = timezone.now()
        enrolment.save(update_fields=["completed_at"])
    return certificate_issue(enrolment=enrolment, course=course)


def build_world():
    unit_x = UnitFactory(name="Dinas Matriks X")
    unit_y = UnitFactory(name="Dinas Matriks Y")
    course_a, module_a = course_with_module(title="Kursus Matriks A")
    course_b, module_b = course_with_module(title="Kursus Matriks B")
    category = CategoryFactory()
    quiz_a = quiz_page(module_a, [essay(category=category, name="Esai A")], title="Kuis Matriks A")
    quiz_b = quiz_page(module_b, [essay(category=category, name="Esai B")], title="Kuis Matriks B")

    users = {
        PESERTA_ROLE: UserFactory(roles=[PESERTA]),
        TRAINER_A: UserFactory(roles=[PENGAJAR, PESERTA]),
        TRAINER_B: UserFactory(roles=[PENGAJAR, PESERTA]),
        SUPERVISOR_X: UserFactory(roles=[SUPERVISOR]),
        ADMIN: UserFactory(roles=[ADMIN_BPSDM]),
        LEARNER_SUPERVISOR: UserFactory(roles=[PESERTA, SUPERVISOR]),
    }
    _profile(users[PESERTA_ROLE], unit_x, "Peserta Biasa")
    _profile(users[SUPERVISOR_X], unit_x, "Kepala Matriks X").supervised_units.add(unit_x)
    _profile(users[LEARNER_SUPERVISOR], unit_y, "Kepala Matriks Y").supervised_units.add(unit_y)
    for user, course in ((users[TRAINER_A], course_a), (users[TRAINER_B], course_b)):
        course.trainers.add(user)
        course.save()

    learner_a = UserFactory(roles=[PESERTA], username=LEARNER_A_USERNAME)
    learner_b = UserFactory(roles=[PESERTA], username=LEARNER_B_USERNAME)
    nip_a = valid_nip(birth=date(1980, 1, 2), sequence=777)
    nip_b = valid_nip(birth=date(1981, 3, 4), sequence=888)
    profile_a = _profile(learner_a, unit_x, LEARNER_A_NAME, nip_a)
    profile_b = _profile(learner_b, unit_y, LEARNER_B_NAME, nip_b)
    for user, course in (
        (learner_a, course_a),
        (learner_b, course_b),
        (users[PESERTA_ROLE], course_a),
        (users[LEARNER_SUPERVISOR], course_a),  # a learner in course A does not see course A's learners
    ):
        Enrolment.objects.create(
            user=user, course=course, course_title=course.title, status=EnrolmentStatus.ACTIVE, source="self"
        )
    for user, course in ((learner_a, course_a), (learner_b, course_b)):
        JPCredit.objects.create(
            user=user,
            course=course,
            course_ref=course.pk,
            course_title=course.title,
            jp=10,
            year=timezone.localdate().year,
            credited_at=timezone.now(),
        )
    attempt_a = _essay_attempt(quiz_a, learner_a, ESSAY_A)
    _essay_attempt(quiz_b, learner_b, ESSAY_B)
    override_a = QuizOverride.objects.create(quiz=quiz_a, user=learner_a, extra_attempts=1, reason=REASON_A)
    QuizOverride.objects.create(quiz=quiz_b, user=learner_b, extra_attempts=1, reason=REASON_B)
    h5p_a = _h5p(H5P_A, course_a, module_a, learner_a, users[TRAINER_A])
    _h5p(H5P_B, course_b, module_b, learner_b, users[TRAINER_B])

    markers_a = [LEARNER_A_NAME, LEARNER_A_USERNAME, nip_a, profile_a.nip_formatted, H5P_A, REASON_A, ESSAY_A]
    markers_b = [LEARNER_B_NAME, LEARNER_B_USERNAME, nip_b, profile_b.nip_formatted, H5P_B, REASON_B, ESSAY_B]
    forbidden = {
        ANON: markers_a + markers_b,
        PESERTA_ROLE: markers_a + markers_b,
        TRAINER_A: markers_b,
        TRAINER_B: markers_a,
        SUPERVISOR_X: markers_b,
        LEARNER_SUPERVISOR: [LEARNER_A_NAME, LEARNER_A_USERNAME, nip_a, profile_a.nip_formatted, ESSAY_A],
        ADMIN: [],
    }
    slot_a = AttemptSlot.objects.get(attempt=attempt_a, number=1)
    slot_b = AttemptSlot.objects.get(attempt__user=learner_b, number=1)
    certificate_a = _certificate(learner_a, course_a)
    objects = {
        "certificate_templates": certificate_a.snapshot["template_id"],
        "certificate_rules": CourseCertificateRule.objects.get(course=course_a).pk,
        "certificates": certificate_a.pk,
        "people_asnprofile": profile_a.pk,
        "people_unitkerja": unit_x.pk,
        "quizzes_question": quiz_a.quiz_questions.first().question_id,
        "quizzes_questioncategory": category.pk,
        "quizzes_quizoverride": override_a.pk,
        "h5p_h5pcontent": h5p_a.pk,
        "h5p_results": H5PResult.objects.get(content=h5p_a).pk,
        "h5p_statements": H5PStatement.objects.get(content=h5p_a).pk,
        "enrolment": Enrolment.objects.get(user=learner_a, course=course_a).pk,
        "jpcredit": JPCredit.objects.get(user=learner_a).pk,
        "coursecategory": _category().pk,
    }
    arguments = {
        "quiz_id": quiz_a.pk,
        "attempt_id": attempt_a.pk,
        "slot_id": slot_a.pk,
        "course_id": course_a.pk,
        "user_id": learner_a.pk,
        "page_id": course_a.pk,
        "parent_page_id": course_a.pk,
        "page_to_move_id": module_a.pk,
    }
    return World(
        users=users,
        forbidden=forbidden,
        objects=objects,
        arguments=arguments,
        markers_a=markers_a,
        unit_x=unit_x,
        unit_y=unit_y,
        course_a=course_a,
        course_b=course_b,
        module_a=module_a,
        quiz_a=quiz_a,
        quiz_b=quiz_b,
        learner_a=learner_a,
        learner_b=learner_b,
        profile_a=profile_a,
        profile_b=profile_b,
        slot_a=slot_a,
        slot_b=slot_b,
        override_a=override_a,
        h5p_a=h5p_a,
    )


def _category():
    from courses.models import CourseCategory

    return CourseCategory.objects.create(name="Kategori Matriks", slug="kategori-matriks")
