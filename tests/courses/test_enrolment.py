"""Enrolment modes, leaving and coming back, approval by trainers, assigning people and whole units."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission

from courses import services
from courses.models import Enrolment, EnrolmentStatus, LessonProgress
from courses.permissions import grant_course_page_permissions
from people.roles import PENGAJAR
from tests.courses.factories import build_course, enrol, learner, trainer
from tests.factories import ASNProfileFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_self_enrolment_is_a_post_from_the_course_page(client):
    tree = build_course()
    user = learner()
    client.force_login(user)
    page = client.get(tree.course.url).content.decode()
    assert f'action="{reverse("course_enrol", args=[tree.course.pk])}"' in page
    assert 'method="post"' in page

    assert client.get(reverse("course_enrol", args=[tree.course.pk])).status_code == 405
    assert not Enrolment.objects.exists()

    response = client.post(reverse("course_enrol", args=[tree.course.pk]), follow=True)
    assert response.status_code == 200
    enrolment = Enrolment.objects.get(user=user, course=tree.course)
    assert enrolment.status == EnrolmentStatus.ACTIVE and enrolment.source == "self"
    assert "Anda terdaftar" in response.content.decode()

    client.post(reverse("course_enrol", args=[tree.course.pk]))  # a double click changes nothing
    assert Enrolment.objects.filter(user=user).count() == 1


def test_enrolment_needs_a_signed_in_person(client):
    tree = build_course()
    response = client.post(reverse("course_enrol", args=[tree.course.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not Enrolment.objects.exists()


def test_not_enrolled_learner_sees_the_outline_but_not_the_lessons(client):
    tree = build_course(lessons_per_module=2)
    client.force_login(learner())
    course_page = client.get(tree.course.url).content.decode()
    assert "Materi 1.1" in course_page and "Materi 1.2" in course_page
    assert tree.lessons[0].url not in course_page  # titles only, no links

    response = client.get(tree.lessons[0].url, follow=True)
    assert response.redirect_chain[-1][0] == tree.course.url
    body = response.content.decode()
    assert "Isi materi pelayanan publik." not in body
    assert "Daftar di kursus ini untuk membuka materinya." in body


def test_heartbeat_and_mark_done_on_a_course_one_is_not_enrolled_in_are_refused(client):
    tree = build_course()
    user = learner()
    client.force_login(user)
    assert client.post(reverse("lesson_mark_done", args=[tree.lessons[0].pk])).status_code == 404
    response = client.post(reverse("lesson_heartbeat", args=[tree.lessons[0].pk]), {"view": "x", "active": "5"})
    assert response.status_code == 404
    assert not LessonProgress.objects.exists()
    assert client.post(reverse("lesson_heartbeat", args=[999999]), {"view": "x"}).status_code == 404


def test_request_mode_waits_for_a_trainer_and_only_a_trainer_may_approve(client):
    tree = build_course(enrolment_mode="request")
    user = learner()
    client.force_login(user)
    client.post(reverse("course_enrol", args=[tree.course.pk]))
    enrolment = Enrolment.objects.get(user=user)
    assert enrolment.status == EnrolmentStatus.REQUESTED
    assert client.get(tree.lessons[0].url).status_code == 302  # still no lessons

    other_learner = learner()
    with pytest.raises(services.EnrolmentError):
        services.enrolment_decide(enrolment=enrolment, by=other_learner, approve=True)
    client.force_login(other_learner)
    response = client.post(reverse("courses_admin:requests"), {"enrolment": enrolment.pk, "decision": "approve"})
    assert response.status_code in {302, 403}
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.REQUESTED

    GroupPagePermission.objects.filter(group__name=PENGAJAR).delete()  # deciding because they teach it
    teacher = trainer()
    tree.course.trainers.add(teacher)
    tree.course.save()  # ParentalManyToManyField: written on save
    client.force_login(teacher)
    queue = client.get(reverse("courses_admin:requests")).content.decode()
    assert user.asn_profile.full_name in queue
    client.post(reverse("courses_admin:requests"), {"enrolment": enrolment.pk, "decision": "approve"})
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE and enrolment.decided_by == teacher

    client.force_login(user)
    assert client.get(tree.lessons[0].url).status_code == 200


def test_a_trainer_of_another_course_cannot_decide_on_this_one(client):
    """Trainers may decide where they teach or may edit; here the admin limited page editing."""
    tree = build_course(enrolment_mode="request")
    other = build_course(title="Kursus Lain")
    GroupPagePermission.objects.filter(group__name=PENGAJAR).delete()
    teacher = trainer()
    other.course.trainers.add(teacher)  # a Pengajar of the other course only
    other.course.save()
    enrolment = services.enrolment_create(user=learner(), course=tree.course)
    client.force_login(teacher)
    assert user_not_listed(client, enrolment)
    response = client.post(reverse("courses_admin:requests"), {"enrolment": enrolment.pk, "decision": "approve"})
    assert response.status_code == 404
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.REQUESTED


def user_not_listed(client, enrolment) -> bool:
    html = client.get(reverse("courses_admin:requests")).content.decode()
    return enrolment.user.asn_profile.full_name not in html


def test_declined_request_may_be_made_again(client):
    tree = build_course(enrolment_mode="request")
    user = learner()
    enrolment = services.enrolment_create(user=user, course=tree.course)
    services.enrolment_decide(enrolment=enrolment, by=UserFactory(is_superuser=True), approve=False)
    assert Enrolment.objects.get(pk=enrolment.pk).status == EnrolmentStatus.REJECTED
    again = services.enrolment_create(user=user, course=tree.course)
    assert again.pk == enrolment.pk and again.status == EnrolmentStatus.REQUESTED


def test_assigned_only_course_cannot_be_joined_by_the_learner(client):
    tree = build_course(enrolment_mode="assigned")
    client.force_login(learner())
    page = client.get(tree.course.url).content.decode()
    assert reverse("course_enrol", args=[tree.course.pk]) not in page
    response = client.post(reverse("course_enrol", args=[tree.course.pk]), follow=True)
    assert "ditugaskan oleh pengajar" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_enrolment_window_is_respected():
    today = timezone.localdate()
    closed = build_course(title="Sudah Tutup", enrolment_closes=today - timedelta(days=1))
    later = build_course(title="Belum Buka", enrolment_opens=today + timedelta(days=3))
    user = learner()
    for tree in (closed, later):
        with pytest.raises(services.EnrolmentError):
            services.enrolment_create(user=user, course=tree.course)
    assert not Enrolment.objects.exists()


def test_leaving_an_open_course_keeps_progress_for_coming_back(client):
    tree = build_course(lessons_per_module=2)
    user = learner()
    client.force_login(user)
    client.post(reverse("course_enrol", args=[tree.course.pk]))
    client.post(reverse("lesson_mark_done", args=[tree.lessons[0].pk]))
    assert Enrolment.objects.get(user=user).percent == 50

    client.post(reverse("course_leave", args=[tree.course.pk]))
    assert Enrolment.objects.get(user=user).status == EnrolmentStatus.WITHDRAWN
    assert client.get(tree.lessons[1].url).status_code == 302
    assert LessonProgress.objects.get(user=user, lesson=tree.lessons[0]).completed_at is not None

    client.post(reverse("course_enrol", args=[tree.course.pk]))
    enrolment = Enrolment.objects.get(user=user)
    assert enrolment.status == EnrolmentStatus.ACTIVE and enrolment.percent == 50
    assert Enrolment.objects.filter(user=user).count() == 1


def test_assigned_courses_cannot_be_left():
    tree = build_course()
    user = learner()
    services.course_assign(course=tree.course, by=UserFactory(is_superuser=True), users=[user])
    with pytest.raises(services.EnrolmentError):
        services.enrolment_leave(user=user, course=tree.course)


def test_assigning_a_unit_enrols_everyone_in_it_and_below_once(client):
    province = UnitFactory(name="Pemerintah Provinsi Jambi")
    health = UnitFactory(name="Dinas Kesehatan", parent=province)
    health_division = UnitFactory(name="Bidang Pelayanan Kesehatan", parent=health)
    education = UnitFactory(name="Dinas Pendidikan", parent=province)
    in_health = [learner(unit=health), learner(unit=health_division), learner(unit=health_division)]
    outside = [learner(unit=education), learner(unit=province)]
    individual = learner(unit=education)
    waiting = learner(unit=health)
    tree = build_course(enrolment_mode="request")
    services.enrolment_create(user=waiting, course=tree.course)

    grant_course_page_permissions()
    teacher = trainer(tree.course)
    client.force_login(teacher)
    url = reverse("courses_admin:assign", args=[tree.course.pk])
    form = {"people": individual.asn_profile.nip_formatted, "units": [health.pk]}
    response = client.post(url, form, follow=True)
    assert "4 baru terdaftar, 1 didaftarkan kembali, 0 sudah terdaftar." in response.content.decode()

    enrolled = set(Enrolment.objects.filter(course=tree.course, status="active").values_list("user_id", flat=True))
    assert enrolled == {user.pk for user in [*in_health, individual, waiting]}
    assert not enrolled & {user.pk for user in outside}

    client.post(url, form)  # assigning twice changes nothing
    assert Enrolment.objects.filter(course=tree.course).count() == 5
    assert Enrolment.objects.filter(course=tree.course, status="active").count() == 5


def test_assigning_unknown_people_writes_nothing_and_says_who(client):
    tree = build_course()
    grant_course_page_permissions()
    client.force_login(trainer(tree.course))
    known = learner()
    response = client.post(
        reverse("courses_admin:assign", args=[tree.course.pk]),
        {"people": f"{known.asn_profile.nip}\n199001012015051999"},
    )
    assert response.status_code == 200
    assert "199001012015051999" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_a_learner_cannot_open_the_assign_screen(client):
    tree = build_course()
    client.force_login(learner())
    response = client.post(reverse("courses_admin:assign", args=[tree.course.pk]), {"units": []})
    assert response.status_code in {302, 403}
    assert not Enrolment.objects.exists()


def test_assign_service_refuses_people_without_the_right():
    tree = build_course()
    with pytest.raises(services.EnrolmentError):
        services.course_assign(course=tree.course, by=learner(), users=[learner()])
    assert not Enrolment.objects.exists()


def test_inactive_people_in_a_unit_are_not_assigned():
    unit = UnitFactory()
    active = learner(unit=unit)
    gone = ASNProfileFactory(unit=unit, user=UserFactory(is_active=False)).user
    tree = build_course()
    services.course_assign(course=tree.course, by=UserFactory(is_superuser=True), units=[unit])
    assert set(Enrolment.objects.values_list("user_id", flat=True)) == {active.pk}
    assert gone.pk not in Enrolment.objects.values_list("user_id", flat=True)


def test_enrolled_learner_is_not_offered_to_enrol_again(client):
    tree = build_course()
    user = learner()
    enrol(user, tree.course)
    client.force_login(user)
    page = client.get(tree.course.url).content.decode()
    assert reverse("course_enrol", args=[tree.course.pk]) not in page
    assert "Mulai belajar" in page
