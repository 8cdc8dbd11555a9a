"""Roles are groups with the permissions the product brief gives them."""

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import Collection, GroupCollectionPermission

from people import roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def perms(role):
    group = Group.objects.get(name=role)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


def test_the_four_roles_exist_after_migrate():
    assert set(Group.objects.filter(name__in=roles.ROLES).values_list("name", flat=True)) == set(roles.ROLES)


def test_learner_has_no_admin_access():
    user = UserFactory(roles=[roles.PESERTA])
    assert not user.has_perm("wagtailadmin.access_admin")
    assert perms(roles.PESERTA) == set()


def test_trainer_reaches_the_admin_and_can_upload_media_but_not_manage_people():
    user = UserFactory(roles=[roles.PENGAJAR])
    assert user.has_perm("wagtailadmin.access_admin")
    assert not user.has_perm("people.change_asnprofile")
    root = Collection.get_first_root_node()
    assert GroupCollectionPermission.objects.filter(
        group__name=roles.PENGAJAR, collection=root, permission__codename="add_image"
    ).exists()


def test_supervisor_sees_reports_but_edits_nothing():
    user = UserFactory(roles=[roles.SUPERVISOR])
    assert user.has_perm("people.view_unit_reports")
    assert user.has_perm("wagtailadmin.access_admin")
    assert not any(code.split(".")[1].startswith(("add_", "change_", "delete_")) for code in perms(roles.SUPERVISOR))


def test_admin_bpsdm_has_every_permission():
    assert Group.objects.get(name=roles.ADMIN_BPSDM).permissions.count() == Permission.objects.count()
    user = UserFactory(roles=[roles.ADMIN_BPSDM])
    assert user.has_perm("people.change_asnprofile")


def test_a_person_may_hold_several_roles():
    user = UserFactory(roles=[roles.PESERTA, roles.SUPERVISOR])
    assert roles.has_role(user, roles.PESERTA) and roles.has_role(user, roles.SUPERVISOR)
    assert not roles.has_role(user, roles.PENGAJAR)


def test_sync_is_idempotent():
    before = {role: perms(role) for role in roles.ROLES}
    roles.sync_roles()
    roles.sync_roles()
    assert {role: perms(role) for role in roles.ROLES} == before
