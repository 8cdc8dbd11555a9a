"""Signing in with an NIP or a username, and throttling of repeated failures."""

import pytest
from django.urls import reverse

from people.roles import PESERTA
from tests.factories import ASNProfileFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "rahasia-kuat-2026"


@pytest.fixture
def learner():
    return ASNProfileFactory(nip="198609262015051001", user=UserFactory(username="budi", roles=[PESERTA]))


@pytest.mark.parametrize("typed", ["198609262015051001", "19860926 201505 1 001", "19860926.201505.1.001", "budi"])
def test_sign_in_with_nip_typed_any_way_or_username(client, learner, typed):
    response = client.post(reverse("login"), {"username": typed, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    assert client.get(reverse("dashboard")).context["user"] == learner.user


def test_wrong_password_shows_an_indonesian_error_and_no_session(client, learner):
    response = client.post(reverse("login"), {"username": learner.nip, "password": "salah"})
    assert response.status_code == 200
    assert "kata sandi salah" in response.content.decode().lower()
    assert "_auth_user_id" not in client.session


def test_inactive_account_cannot_sign_in(client, learner):
    learner.user.is_active = False
    learner.user.save()
    response = client.post(reverse("login"), {"username": learner.nip, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


def test_sign_in_page_is_indonesian_even_for_an_english_browser(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "id"
    assert "Masuk" in response.content.decode()


def test_language_switch_to_english_is_remembered(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/masuk/"})
    response = client.get(reverse("login"))
    assert response["Content-Language"] == "en"
    assert "Sign in" in response.content.decode()


def test_repeated_failures_lock_the_account_from_that_address(client, learner, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(reverse("login"), {"username": learner.nip, "password": "salah"})
    # Even the right password, typed with spaces, is refused while locked.
    response = client.post(reverse("login"), {"username": "19860926 201505 1 001", "password": PASSWORD})
    assert response.status_code == 429
    assert "Terlalu banyak" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_of_one_account_leaves_colleagues_behind_the_same_address_alone(client, learner, settings):
    settings.AXES_FAILURE_LIMIT = 3
    colleague = ASNProfileFactory(nip="199001012015052002", gender="P", user=UserFactory(username="siti"))
    for _ in range(3):
        client.post(reverse("login"), {"username": learner.nip, "password": "salah"})
    response = client.post(reverse("login"), {"username": colleague.nip, "password": PASSWORD})
    assert response.status_code == 302


def test_sign_out_is_a_post(client, learner):
    client.force_login(learner.user)
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session


def test_dashboard_needs_sign_in(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
