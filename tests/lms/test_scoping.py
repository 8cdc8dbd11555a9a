"""One scoping rule (lms/scoping.py) behind every staff action: a trainer changes only the courses that
name them, the page tree follows the same rule, ASN profiles are scoped like the reports, and ``next``
never leads off the site. The role × URL matrix (test_role_matrix.py) covers what each role can open;
these tests post the changes."""

from decimal import Decimal

import pytest
from django.apps import apps as global_apps
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page
from wagtail.permissions import policy_registry
from wagtail.test.utils.form_data import nested_form_data, rich_text

from courses.models import CoursePage, Enrolment, EnrolmentStatus
from courses.permissions import grant_course_page_permissions
from h5p.models import H5PContent
from people.roles import ADMIN_BPSDM, PENGAJAR
from quizzes.models import AttemptSlot, QuizOverride
from tests.factories import ASNProfileFactory, UserFactory
from tests.lms.world import ADMIN, SUPERVISOR_X, TRAINER_A, TRAINER_B, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def _login(client, world, role):
    client.force_login(world.users[role])


# --- the rule itself --------------------------------------------------------------------------------


def test_one_scope_names_the_courses_and_units_of_each_role(world):
    from lms.scoping import scope_for

    trainer_scope = scope_for(world.users[TRAINER_A])
    assert trainer_scope.course_ids == (world.course_a.pk,)
    assert trainer_scope.manages_page(world.quiz_a) and not trainer_scope.manages_page(world.quiz_b)
    supervisor_scope = scope_for(world.users[SUPERVISOR_X])
    assert supervisor_scope.unit_paths == (world.unit_x.path,)
    assert not supervisor_scope.manages_course(world.course_a.pk)  # supervisors look, they change nothing
    assert scope_for(world.users[ADMIN]).everything


# --- point 4: changing another course's data ---------------------------------------------------------


def test_a_trainer_grades_essays_of_their_course_only(client, world):
    url = reverse("quizzes_admin:grade_essay", args=[world.slot_a.pk])
    _login(client, world, TRAINER_B)
    assert client.get(url).status_code == 404
    assert client.post(url, {"mark": "1", "comment": "dinilai orang lain"}).status_code == 404
    slot = AttemptSlot.objects.get(pk=world.slot_a.pk)
    assert slot.needs_grading and slot.grader_comment == ""

    _login(client, world, TRAINER_A)
    assert client.post(url, {"mark": "1", "comment": "Bagus"}).status_code == 302
    assert AttemptSlot.objects.get(pk=world.slot_a.pk).grader_comment == "Bagus"


def test_a_trainer_creates_overrides_only_on_quizzes_of_their_course(client, world):
    url = reverse("wagtailsnippets_quizzes_quizoverride:add")
    form = {"quiz": world.quiz_a.pk, "user": world.learner_a.pk, "extra_attempts": "2", "reason": "Sakit"}
    _login(client, world, TRAINER_B)
    response = client.post(url, form)
    assert response.status_code == 200  # the form again, with an error on the quiz and the learner
    assert not QuizOverride.objects.filter(reason="Sakit").exists()
    assert world.learner_a.username not in response.content.decode()  # not offered as a choice either

    QuizOverride.objects.filter(pk=world.override_a.pk).delete()
    _login(client, world, TRAINER_A)
    assert client.post(url, form).status_code == 302
    assert QuizOverride.objects.get(reason="Sakit").quiz_id == world.quiz_a.pk


def test_another_trainer_can_neither_edit_nor_delete_nor_bulk_delete_an_override(client, world):
    override = world.override_a
    _login(client, world, TRAINER_B)
    edit = reverse("wagtailsnippets_quizzes_quizoverride:edit", args=[override.pk])
    client.post(edit, {"quiz": world.quiz_b.pk, "user": world.learner_b.pk, "extra_attempts": "9", "reason": "x"})
    client.post(reverse("wagtailsnippets_quizzes_quizoverride:delete", args=[override.pk]))
    bulk = reverse("wagtail_bulk_action", args=["quizzes", "quizoverride", "delete"])
    client.post(f"{bulk}?id={override.pk}", {})
    override.refresh_from_db()
    assert override.extra_attempts == 1 and override.quiz_id == world.quiz_a.pk

    _login(client, world, TRAINER_A)
    client.post(f"{bulk}?id={override.pk}", {})
    assert not QuizOverride.objects.filter(pk=override.pk).exists()


def test_a_trainer_assigns_learners_to_their_course_only(client, world):
    newcomer = ASNProfileFactory(unit=world.unit_y).user
    form = {"people": newcomer.asn_profile.nip}
    _login(client, world, TRAINER_B)
    assert client.post(reverse("courses_admin:assign", args=[world.course_a.pk]), form).status_code == 404
    assert not Enrolment.objects.filter(user=newcomer).exists()

    _login(client, world, TRAINER_A)
    client.post(reverse("courses_admin:assign", args=[world.course_a.pk]), form)
    assert Enrolment.objects.get(user=newcomer).course_id == world.course_a.pk


def test_a_trainer_decides_requests_of_their_course_only(client, world):
    waiting = Enrolment.objects.create(
        user=UserFactory(),
        course=world.course_a,
        course_title=world.course_a.title,
        status=EnrolmentStatus.REQUESTED,
        source="self",
    )
    url = reverse("courses_admin:requests")
    _login(client, world, TRAINER_B)
    assert client.post(url, {"decision": "approve", "enrolment": waiting.pk}).status_code == 404
    assert Enrolment.objects.get(pk=waiting.pk).status == EnrolmentStatus.REQUESTED

    _login(client, world, TRAINER_A)
    client.post(url, {"decision": "approve", "enrolment": waiting.pk})
    assert Enrolment.objects.get(pk=waiting.pk).status == EnrolmentStatus.ACTIVE


def test_a_trainer_regrades_only_quizzes_of_their_course(client, world):
    _login(client, world, TRAINER_B)
    assert client.post(reverse("quizzes_admin:regrade", args=[world.quiz_a.pk])).status_code == 404
    _login(client, world, TRAINER_A)
    assert client.post(reverse("quizzes_admin:regrade", args=[world.quiz_a.pk])).status_code == 302


def test_a_trainer_replaces_or_deletes_only_h5p_items_of_their_course(client, world):
    _login(client, world, TRAINER_B)
    edit = reverse("wagtailsnippets_h5p_h5pcontent:edit", args=[world.h5p_a.pk])
    client.post(edit, {"title": "Diganti orang lain", "description": ""})
    client.post(reverse("wagtailsnippets_h5p_h5pcontent:delete", args=[world.h5p_a.pk]))
    client.post(reverse("wagtail_bulk_action", args=["h5p", "h5pcontent", "delete"]) + f"?id={world.h5p_a.pk}")
    assert H5PContent.objects.get(pk=world.h5p_a.pk).title == "H5P Matriks Alfa"


def test_h5p_result_exports_hold_only_the_trainers_own_learners(client, world):
    _login(client, world, TRAINER_B)
    results = client.get(reverse("h5p_results:index") + "?export=csv")
    body = b"".join(results.streaming_content) if results.streaming else results.content
    assert world.profile_b.nip.encode() in body and world.profile_a.nip.encode() not in body
    statements = client.get(reverse("h5p_statements:index") + "?export=csv")
    body = b"".join(statements.streaming_content) if statements.streaming else statements.content
    assert b"Budi Matriksb" in body and b"Ani Matriksa" not in body


# --- page permissions follow the same rule ------------------------------------------------------------


def _course_form(course, **changes):
    data = {
        "title": course.title,
        "slug": course.slug,
        "summary": course.summary,
        "learning_objectives": rich_text(""),
        "competency_kind": course.competency_kind,
        "training_mode": course.training_mode,
        "jp_value": course.jp_value,
        "enrolment_mode": course.enrolment_mode,
        **changes,
    }
    return nested_form_data(data)


def test_a_trainer_edits_the_pages_of_their_course_and_no_other(client, world):
    _login(client, world, TRAINER_B)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[world.course_a.pk]), _course_form(world.course_a, title="Dibajak")
    )
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    assert Page.objects.get(pk=world.course_a.pk).draft_title == "Kursus Matriks A"
    assert not world.module_a.permissions_for_user(world.users[TRAINER_B]).can_add_subpage()

    teacher = world.users[TRAINER_A]
    assert world.course_a.permissions_for_user(teacher).can_publish()
    assert world.module_a.permissions_for_user(teacher).can_add_subpage()
    _login(client, world, TRAINER_A)
    client.post(
        reverse("wagtailadmin_pages:edit", args=[world.course_a.pk]),
        _course_form(world.course_a, title="Kursus Matriks A (revisi)"),
    )
    assert Page.objects.get(pk=world.course_a.pk).draft_title == "Kursus Matriks A (revisi)"


def test_the_explorer_shows_a_trainer_their_courses_only(client, world):
    _login(client, world, TRAINER_A)
    policy = policy_registry.get_by_type(CoursePage)
    explorable = set(policy.explorable_instances(world.users[TRAINER_A]).values_list("pk", flat=True))
    assert {world.course_a.pk, world.module_a.pk, world.quiz_a.pk} <= explorable
    assert world.course_b.pk not in explorable and world.quiz_b.pk not in explorable
    body = client.get(reverse("wagtailadmin_explore", args=[world.module_a.pk])).content.decode()
    assert "Kuis Matriks A" in body
    assert client.get(reverse("wagtailadmin_explore", args=[world.course_b.pk])).status_code == 302


def test_only_admin_bpsdm_creates_courses_in_the_catalogue(client, world):
    catalogue = world.course_a.get_parent()
    url = reverse("wagtailadmin_pages:add", args=["courses", "coursepage", catalogue.pk])
    form = _course_form(world.course_a, title="Kursus Baru", slug="kursus-baru", action_publish="1")
    _login(client, world, TRAINER_A)
    assert not catalogue.permissions_for_user(world.users[TRAINER_A]).can_add_subpage()
    assert client.get(url).status_code == 302
    client.post(url, form)
    assert not CoursePage.objects.filter(slug="kursus-baru").exists()
    copy = reverse("wagtailadmin_pages:copy", args=[world.course_a.pk])
    client.post(copy, {"new_title": "Salinan", "new_slug": "salinan", "new_parent_page": catalogue.pk})
    assert not Page.objects.filter(slug="salinan").exists()

    _login(client, world, ADMIN)
    assert client.post(url, form).status_code == 302
    assert CoursePage.objects.filter(slug="kursus-baru").exists()


def test_only_admin_bpsdm_deletes_a_course_even_an_empty_one(client, world):
    empty = world.course_a.get_parent().add_child(
        instance=CoursePage(title="Kursus Kosong", slug="kursus-kosong", summary="Belum ada isi.")
    )
    empty.trainers.add(world.users[TRAINER_A])
    empty.save()
    teacher = type(world.users[TRAINER_A]).objects.get(pk=world.users[TRAINER_A].pk)
    assert empty.permissions_for_user(teacher).can_edit() and not empty.permissions_for_user(teacher).can_delete()
    _login(client, world, TRAINER_A)
    client.post(reverse("wagtailadmin_pages:delete", args=[empty.pk]))
    client.post(reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"]) + f"?id={empty.pk}")
    assert CoursePage.objects.filter(pk=empty.pk).exists()
    # A trainer still deletes an unpublished lesson of their own course.
    assert world.module_a.get_children().first().permissions_for_user(teacher).can_delete()

    _login(client, world, ADMIN)
    client.post(reverse("wagtailadmin_pages:delete", args=[empty.pk]))
    assert not CoursePage.objects.filter(pk=empty.pk).exists()


def test_naming_and_removing_a_trainer_gives_and_takes_the_rights_at_once(client, world):
    newcomer = UserFactory(roles=[PENGAJAR])
    course = world.course_a
    assert not course.permissions_for_user(newcomer).can_edit()
    course.trainers.add(newcomer)
    course.save()
    newcomer = type(newcomer).objects.get(pk=newcomer.pk)  # a fresh request: permissions are cached per user
    assert course.permissions_for_user(newcomer).can_edit()
    policy = policy_registry.get_by_type(CoursePage)
    assert newcomer in policy.users_with_permission_for_instance("change", world.module_a)
    assert newcomer not in policy.users_with_permission_for_instance("change", world.quiz_b)

    course.trainers.remove(newcomer)
    course.save()
    newcomer = type(newcomer).objects.get(pk=newcomer.pk)
    assert not course.permissions_for_user(newcomer).can_edit()


def test_the_migration_takes_the_catalogue_from_trainers_and_leaves_it_to_admins(world):
    from importlib import import_module

    migration = import_module("courses.migrations.0006_trainer_rights_per_course")
    catalogue = world.course_a.get_parent()
    trainers = Group.objects.get(name=PENGAJAR)
    migration.restore_catalogue_rights_of_trainers(global_apps, None)  # the state before this change
    assert GroupPagePermission.objects.filter(group=trainers, page=catalogue).count() == 5
    assert world.course_b.permissions_for_user(UserFactory(roles=[PENGAJAR])).can_edit()  # the old finding

    migration.drop_catalogue_rights_of_trainers(global_apps, None)
    assert not GroupPagePermission.objects.filter(group=trainers).exists()
    assert GroupPagePermission.objects.filter(group__name=ADMIN_BPSDM, page=catalogue).count() == 5
    teacher = type(world.users[TRAINER_A]).objects.get(pk=world.users[TRAINER_A].pk)
    assert world.course_a.permissions_for_user(teacher).can_edit()  # from the course's trainer list
    assert not world.course_b.permissions_for_user(teacher).can_edit()
    assert grant_course_page_permissions() == 0  # post_migrate gives trainers nothing back


# --- point 5: ASN profiles ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url_name", ["wagtailsnippets_people_asnprofile:list", "wagtailsnippetchoosers_people_asnprofile:choose_results"]
)
def test_asn_profiles_found_by_nip_only_within_the_scope(client, world, url_name):
    url = reverse(url_name)
    nip_a, nip_b = world.profile_a.nip, world.profile_b.nip
    cases = [
        (TRAINER_B, nip_a, False),
        (TRAINER_B, nip_b, True),
        (SUPERVISOR_X, nip_a, True),
        (SUPERVISOR_X, nip_b, False),
        (ADMIN, nip_b, True),
    ]
    for role, nip, found in cases:
        _login(client, world, role)
        body = client.get(url, {"q": nip}).content.decode()
        name = world.profile_a.full_name if nip == nip_a else world.profile_b.full_name
        assert (name in body) is found, (role, nip)


def test_a_profile_outside_the_scope_cannot_be_chosen_or_opened(client, world):
    _login(client, world, SUPERVISOR_X)
    chosen = reverse("wagtailsnippetchoosers_people_asnprofile:chosen", args=[world.profile_b.pk])
    assert client.get(chosen).status_code == 404
    mine = reverse("wagtailsnippetchoosers_people_asnprofile:chosen", args=[world.profile_a.pk])
    assert client.get(mine).status_code == 200
    edit = reverse("wagtailsnippets_people_asnprofile:edit", args=[world.profile_b.pk])
    assert client.get(edit).status_code in (302, 404)


# --- point 8: open redirect after grading -----------------------------------------------------------------


HOSTILE_NEXT = [
    "https://evil.example/x",
    "//evil.example/x",
    "///evil.example/x",
    "\\\\evil.example\\x",
    "/\\evil.example/x",
    "\\/evil.example/x",
    "https:/evil.example/x",
    "http://testserver@evil.example/x",
    "javascript:alert(document.cookie)",
    " //evil.example/x",
    "\t//evil.example/x",
]


@pytest.mark.parametrize("hostile", HOSTILE_NEXT)
def test_grading_never_redirects_off_the_site(client, world, hostile):
    _login(client, world, TRAINER_A)
    url = reverse("quizzes_admin:grade_essay", args=[world.slot_a.pk])
    page = client.get(url, {"next": hostile}).content.decode()
    assert 'name="next" value=""' in page  # not copied into the hidden field
    response = client.post(url, {"mark": str(Decimal("1")), "comment": "", "next": hostile})
    assert response.status_code == 302
    assert response["Location"] == reverse("quizzes_admin:grading_queue")


def test_grading_returns_to_a_page_on_the_site(client, world):
    _login(client, world, TRAINER_A)
    back = reverse("quizzes_admin:attempt", args=[world.slot_a.attempt_id])
    url = reverse("quizzes_admin:grade_essay", args=[world.slot_a.pk])
    assert f'name="next" value="{back}"' in client.get(url, {"next": back}).content.decode()
    response = client.post(url, {"mark": "1", "comment": "", "next": back})
    assert response["Location"] == back
