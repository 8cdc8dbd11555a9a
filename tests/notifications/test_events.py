"""The first kinds wired to their actions: enrolment assigned / approved / refused, essay graded.
Each is sent once, in the app and by email, however often the action is repeated."""

from decimal import Decimal

import pytest
from django.core import mail

from courses import services as courses
from notifications.kinds import Kind
from notifications.models import Notification
from quizzes import services as quizzes
from tests.courses.factories import build_course, learner
from tests.factories import UnitFactory, UserFactory
from tests.quizzes.test_audit_log import sitting  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def sent(user, kind):
    return list(Notification.objects.filter(recipient=user, kind=kind))


def test_approval_is_told_once(django_capture_on_commit_callbacks):
    tree = build_course(enrolment_mode="request", title="Etika Pelayanan")
    user = learner()
    admin = UserFactory(is_superuser=True)
    enrolment = courses.enrolment_create(user=user, course=tree.course)
    with django_capture_on_commit_callbacks(execute=True):
        courses.enrolment_decide(enrolment=enrolment, by=admin, approve=True)
        courses.enrolment_decide(enrolment=enrolment, by=admin, approve=True)  # the same decision again
    [notification] = sent(user, Kind.ENROLMENT_APPROVED)
    assert "Etika Pelayanan" in notification.text and "disetujui" in notification.text
    assert notification.link == tree.course.url
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [user.email]


def test_refusal_is_told_once(django_capture_on_commit_callbacks):
    tree = build_course(enrolment_mode="request", title="Etika Pelayanan")
    user = learner()
    admin = UserFactory(is_superuser=True)
    enrolment = courses.enrolment_create(user=user, course=tree.course)
    with django_capture_on_commit_callbacks(execute=True):
        courses.enrolment_decide(enrolment=enrolment, by=admin, approve=False)
        courses.enrolment_decide(enrolment=enrolment, by=admin, approve=False)
    [notification] = sent(user, Kind.ENROLMENT_REFUSED)
    assert "ditolak" in notification.text and notification.link == ""
    assert not sent(user, Kind.ENROLMENT_APPROVED)
    assert len(mail.outbox) == 1


def test_assignment_is_told_once_to_each_person_even_when_assigned_again(django_capture_on_commit_callbacks):
    tree = build_course(title="Manajemen ASN")
    unit = UnitFactory()
    first, second = learner(unit=unit), learner(unit=unit)
    admin = UserFactory(is_superuser=True)
    with django_capture_on_commit_callbacks(execute=True):
        courses.course_assign(course=tree.course, by=admin, units=[unit])
        courses.course_assign(course=tree.course, by=admin, units=[unit])
        courses.course_assign(course=tree.course, by=admin, users=[first])
    for user in (first, second):
        [notification] = sent(user, Kind.ENROLMENT_ASSIGNED)
        assert "Manajemen ASN" in notification.text and "ditugaskan" in notification.text
    assert sorted(message.to[0] for message in mail.outbox) == sorted([first.email, second.email])


def test_a_refused_assignment_notifies_nobody():
    tree = build_course()
    target = learner()
    with pytest.raises(courses.EnrolmentError):
        courses.course_assign(course=tree.course, by=learner(), users=[target])
    assert not Notification.objects.exists()


def test_essay_graded_is_told_once_however_often_it_is_regraded(sitting, django_capture_on_commit_callbacks):  # noqa: F811
    attempt, trainer, user = sitting["attempt"], sitting["trainer"], sitting["learner"]
    slot = attempt.slots.get(number=1)
    with django_capture_on_commit_callbacks(execute=True):
        quizzes.essay_grade(slot_id=slot.pk, mark=Decimal("4"), comment="Bagus", grader=trainer)
        quizzes.essay_grade(slot_id=slot.pk, mark=Decimal("5"), comment="Lebih baik", grader=trainer)
    [notification] = sent(user, Kind.ESSAY_GRADED)
    assert "dinilai" in notification.text and notification.link == f"/kuis/percobaan/{attempt.pk}/tinjauan/"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [user.email]
