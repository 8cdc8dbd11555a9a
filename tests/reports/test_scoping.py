"""Who sees what: every report URL and export × every role × a person inside and outside scope."""

import re

import pytest
from django.urls import reverse

from reports.scoping import Scope, scope_for

pytestmark = pytest.mark.django_db

LISTINGS = [
    "reports:overview",
    "reports:completion",
    "reports:enrolments",
    "reports:jp",
    "reports:quizzes",
    "reports:siasn",
]
EXPORTABLE = ["reports:completion", "reports:enrolments", "reports:jp", "reports:quizzes", "reports:siasn"]


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", errors="replace")


def visible_names(client, world) -> set[str]:
    """Whose names appear anywhere in the HTML listings and CSV exports this client can open."""
    text = ""
    for name in LISTINGS:
        text += body(client.get(reverse(name)))
    for name in EXPORTABLE:
        text += body(client.get(reverse(name), {"export": "csv"}))
    return {key for key, user in world.people.items() if user.asn_profile.full_name in text}


def test_scope_of_each_role(world):
    assert scope_for(world.admin) == Scope(everything=True)
    supervisor = scope_for(world.supervisor)
    assert supervisor.unit_paths == (world.units["opd_a"].path,) and supervisor.course_ids == ()
    trainer = scope_for(world.trainer)
    assert trainer.unit_paths == () and trainer.course_ids == (world.courses["c3"].pk,)
    assert scope_for(world.people["a1"]).is_empty


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", {"a1", "a2", "a3", "b1", "k1", "k2", "supervisor"}),
        ("supervisor", {"a1", "a2", "a3"}),
        ("trainer", {"a2", "b1"}),
    ],
)
def test_every_listing_and_export_shows_only_people_in_scope(client, world, role, expected):
    client.force_login(getattr(world, role))
    assert visible_names(client, world) == expected


@pytest.mark.parametrize(
    ("role", "person", "status"),
    [
        ("admin", "k1", 200),
        ("supervisor", "a2", 200),
        ("supervisor", "b1", 404),
        ("supervisor", "k1", 404),
        ("trainer", "b1", 200),
        ("trainer", "a1", 404),
        ("trainer", "k2", 404),
    ],
)
def test_person_report_inside_and_outside_scope(client, world, role, person, status):
    client.force_login(getattr(world, role))
    response = client.get(reverse("reports:person", args=[world.people[person].pk]))
    assert response.status_code == status
    if status == 404:
        assert world.people[person].asn_profile.full_name not in body(response)


@pytest.mark.parametrize(
    ("role", "course", "status", "names"),
    [
        ("admin", "c1", 200, {"Ahmad Satu", "Aisyah Dua", "Agus Tiga", "Budi Empat"}),
        ("supervisor", "c1", 200, {"Ahmad Satu", "Aisyah Dua", "Agus Tiga"}),
        ("trainer", "c3", 200, {"Aisyah Dua", "Budi Empat"}),
        ("trainer", "c1", 404, set()),
    ],
)
def test_course_drill_down_and_its_export(client, world, role, course, status, names):
    client.force_login(getattr(world, role))
    url = reverse("reports:participants", args=[world.courses[course].pk])
    for query in ({}, {"export": "csv"}, {"export": "xlsx"}):
        response = client.get(url, query)
        assert response.status_code == status
    if status == 200:
        text = body(client.get(url, {"export": "csv"}))
        everyone = {user.asn_profile.full_name for user in world.people.values()}
        assert {name for name in everyone if name in text} == names


def test_guessing_an_unknown_id_is_a_404(client, world):
    client.force_login(world.admin)
    assert client.get(reverse("reports:person", args=[999_999])).status_code == 404
    assert client.get(reverse("reports:participants", args=[999_999])).status_code == 404
    # A page that exists but is not a course
    assert client.get(reverse("reports:participants", args=[world.quizzes["q1"].pk])).status_code == 404


@pytest.mark.parametrize("name", LISTINGS + ["reports:person"])
def test_learners_and_anonymous_visitors_get_no_report(client, world, name):
    args = [world.people["a1"].pk] if name == "reports:person" else []
    url = reverse(name, args=args)
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    client.force_login(world.people["a1"])  # a learner (Peserta) without admin access
    response = client.get(url, {"export": "csv"})
    assert response.status_code in {302, 403}
    assert "Ahmad Satu" not in body(response)


def test_a_unit_outside_the_scope_in_the_url_is_refused_not_applied(client, world):
    client.force_login(world.supervisor)
    response = client.get(reverse("reports:jp"), {"unit": world.units["kab"].pk, "export": "csv"})
    text = body(response)
    assert "Kartini Lima" not in text and "Ahmad Satu" in text


def test_a_supervisor_without_units_sees_an_empty_report_with_an_explanation(client, world):
    from tests.factories import UserFactory

    lonely = UserFactory(username="kepala_tanpa_unit", roles=["Supervisor"])
    client.force_login(lonely)
    response = client.get(reverse("reports:overview"))
    assert response.status_code == 200
    assert "Ahmad Satu" not in body(response)
    assert visible_names(client, world) == set()


def test_menu_shows_reports_to_report_roles_only(client, world):
    client.force_login(world.supervisor)
    assert reverse("reports:jp") in body(client.get(reverse("wagtailadmin_home")))
    client.force_login(world.trainer)
    assert reverse("reports:jp") in body(client.get(reverse("wagtailadmin_home")))


def test_admin_home_panel_summarises_only_the_viewers_scope(client, world):
    client.force_login(world.supervisor)
    html = body(client.get(reverse("wagtailadmin_home")))
    assert 'id="reports-panel-title"' in html
    # Three ASN in Dinas A and below; one of them (a1) reached 20 JP: 33 %.
    assert re.search(r'lms-number">3</span>\s*ASN', html)
    assert re.search(r'lms-number">33%</span>', html)
    client.force_login(world.people["a1"])
    assert client.get(reverse("wagtailadmin_home")).status_code == 302  # learners have no admin


def test_quiz_filter_offers_a_trainer_only_the_quizzes_of_their_courses(client, world):
    client.force_login(world.trainer)
    html = body(client.get(reverse("reports:quizzes")))
    assert "Post-test Tiga" in html and "Kuis Satu" not in html
    response = client.get(reverse("reports:quizzes"), {"quiz": world.quizzes["q1"].pk, "export": "csv"})
    assert "Ahmad Satu" not in body(response)
