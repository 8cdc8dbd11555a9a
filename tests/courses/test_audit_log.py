"""Staff actions on learners' enrolments are written to Wagtail's log (ModelLogEntry), one entry each."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from wagtail.models import ModelLogEntry

from courses import audit, services
from courses.models import Enrolment, EnrolmentStatus
from tests.courses.factories import build_course, enrol, learner, trainer
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def entries_for(enrolment):
    return ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Enrolment), object_id=str(enrolment.pk)
    )


@pytest.mark.parametrize(
    ("approve", "action", "status"),
    [(True, audit.APPROVE, EnrolmentStatus.ACTIVE), (False, audit.DECLINE, EnrolmentStatus.REJECTED)],
)
def test_a_decision_on_a_request_is_logged_once_with_the_trainer(approve, action, status):
    tree = build_course(enrolment_mode="request")
    staff = trainer(tree.course)
    request = services.enrolment_create(user=learner(), course=tree.course)
    assert not entries_for(request).exists()  # asking to enrol is the learner's own action

    services.enrolment_decide(enrolment=request, by=staff, approve=approve)
    services.enrolment_decide(enrolment=request, by=staff, approve=approve)  # the same decision twice

    (entry,) = entries_for(request)
    assert (entry.action, entry.user_id) == (action, staff.pk)
    assert Enrolment.objects.get(pk=request.pk).status == status
    assert entry.data["course_id"] == tree.course.pk


def test_a_refused_decision_writes_no_entry():
    tree = build_course(enrolment_mode="request")
    request = services.enrolment_create(user=learner(), course=tree.course)
    with pytest.raises(services.EnrolmentError):
        services.enrolment_decide(enrolment=request, by=learner(), approve=True)
    assert not ModelLogEntry.objects.exists()


def test_assigning_logs_one_entry_per_enrolment_written():
    tree = build_course(enrolment_mode="assigned")
    admin = UserFactory(is_superuser=True)
    unit = UnitFactory()
    new_people = [learner(unit=unit), learner(unit=unit)]
    came_back = learner()
    enrol(came_back, tree.course, status=EnrolmentStatus.WITHDRAWN)
    already = learner()
    enrol(already, tree.course)

    services.course_assign(course=tree.course, by=admin, users=[came_back, already], units=[unit])

    logged = ModelLogEntry.objects.filter(action=audit.ASSIGN)
    assert sorted(entry.data["user_id"] for entry in logged) == sorted(p.pk for p in [*new_people, came_back])
    assert {entry.user_id for entry in logged} == {admin.pk}
    assert len({entry.uuid for entry in logged}) == 1  # one staff action
    for entry in logged:
        enrolment = Enrolment.objects.get(pk=int(entry.object_id))
        assert enrolment.course_id == tree.course.pk and enrolment.user_id == entry.data["user_id"]
    assert not entries_for(Enrolment.objects.get(user=already)).exists()  # nothing changed for them

    services.course_assign(course=tree.course, by=admin, users=[came_back, already], units=[unit])
    assert ModelLogEntry.objects.filter(action=audit.ASSIGN).count() == 3  # assigning again changes nothing


def test_self_enrolment_and_leaving_are_not_logged():
    tree = build_course()
    user = learner()
    services.enrolment_create(user=user, course=tree.course)
    services.enrolment_leave(user=user, course=tree.course)
    assert not ModelLogEntry.objects.exists()


def test_the_entries_show_in_the_site_history_with_indonesian_labels(client):
    tree = build_course(enrolment_mode="request")
    admin = UserFactory(is_superuser=True)
    request = services.enrolment_create(user=learner(), course=tree.course)
    services.enrolment_decide(enrolment=request, by=admin, approve=True)

    client.force_login(admin)
    page = client.get(reverse("wagtailadmin_reports:site_history")).content.decode()
    assert "Permintaan pendaftaran disetujui" in page
