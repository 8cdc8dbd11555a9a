"""Trainer permissions in the Wagtail admin: page permissions on the catalogue, role permissions, listings."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import GroupPagePermission

from courses.models import CoursePage, Enrolment
from courses.permissions import grant_course_page_permissions
from people.roles import ADMIN_BPSDM, PENGAJAR, SUPERVISOR, sync_roles
from tests.courses.factories import build_course, catalogue, enrol, learner, trainer
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_admin_bpsdm_gets_page_permissions_on_the_catalogue_once_and_trainers_none():
    index = catalogue()
    grant_course_page_permissions()
    rows = GroupPagePermission.objects.filter(group__name=ADMIN_BPSDM, page=index)
    codenames = set(rows.values_list("permission__codename", flat=True))
    assert codenames == {"add_page", "change_page", "publish_page", "lock_page", "unlock_page"}
    assert grant_course_page_permissions() == 0  # idempotent
    assert rows.count() == 5
    assert not GroupPagePermission.objects.filter(group__name=PENGAJAR).exists()


def test_a_trainer_writes_and_publishes_in_their_course_but_creates_no_course():
    tree = build_course()
    grant_course_page_permissions()
    teacher, other, student = trainer(tree.course), trainer(), learner()
    index = tree.course.get_parent()
    assert not index.permissions_for_user(teacher).can_add_subpage()  # courses are created by Admin BPSDM
    assert tree.course.permissions_for_user(teacher).can_add_subpage()
    assert tree.modules[0].permissions_for_user(teacher).can_publish_subpage()
    assert not tree.course.permissions_for_user(other).can_edit()
    assert not tree.course.permissions_for_user(student).can_add_subpage()


def test_role_permissions_include_managing_enrolments_for_trainers_only():
    sync_roles()
    trainer_codes = set(Group.objects.get(name=PENGAJAR).permissions.values_list("codename", flat=True))
    supervisor_codes = set(Group.objects.get(name=SUPERVISOR).permissions.values_list("codename", flat=True))
    assert {"manage_enrolments", "view_enrolment"} <= trainer_codes
    assert "manage_enrolments" not in supervisor_codes


def test_enrolment_listing_is_read_only_even_for_admins(client):
    tree = build_course()
    user = learner()
    enrolment = enrol(user, tree.course)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    listing = client.get("/admin/enrolment/")
    assert listing.status_code == 200
    assert tree.course.title in listing.content.decode()
    assert client.get("/admin/enrolment/new/").status_code == 302  # permission denied: back with a message
    client.post(f"/admin/enrolment/edit/{enrolment.pk}/", {"status": "withdrawn"})
    assert Enrolment.objects.get(pk=enrolment.pk).status == "active"


def test_enrolment_listing_shows_a_trainer_only_their_courses(client):
    mine, other = build_course(title="Kursus Saya Ajar"), build_course(title="Kursus Orang Lain")
    GroupPagePermission.objects.filter(group__name=PENGAJAR).delete()  # trainers limited to their own courses
    teacher = trainer()
    mine.course.trainers.add(teacher)
    mine.course.save()  # ParentalManyToManyField: written on save
    enrol(learner(), mine.course)
    enrol(learner(), other.course)
    client.force_login(teacher)
    html = client.get("/admin/enrolment/").content.decode()
    assert "Kursus Saya Ajar" in html and "Kursus Orang Lain" not in html


def test_trainer_sees_the_request_queue_and_a_learner_does_not(client):
    build_course(enrolment_mode="request")
    client.force_login(trainer())
    assert client.get(reverse("courses_admin:requests")).status_code == 200
    client.force_login(learner())
    assert client.get(reverse("courses_admin:requests")).status_code == 302


def test_course_admin_page_offers_assign_and_requests_buttons_to_trainers(client):
    tree = build_course()
    grant_course_page_permissions()
    client.force_login(trainer(tree.course))
    html = client.get(reverse("wagtailadmin_explore", args=[tree.course.pk])).content.decode()
    assert reverse("courses_admin:assign", args=[tree.course.pk]) in html
    assert CoursePage.objects.get(pk=tree.course.pk).title in html
