"""Issue 11 Low #10: learners' sessions end when idle (shared office computers); password spraying from
one address across many accounts is limited, while one office NAT with a few typos is not locked."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from lms import middleware as lms_middleware
from people.roles import PENGAJAR, PESERTA
from tests.factories import ASNProfileFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "rahasia-kuat-2026"


def session_row(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def sign_in(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content[:300]


# --- idle expiry --------------------------------------------------------------------------------


def test_a_learner_session_expires_after_the_idle_time(client, settings):
    settings.LMS_SESSION_IDLE_MINUTES = 90
    sign_in(client, UserFactory(username="peserta1", roles=[PESERTA]))
    assert client.session.get_expiry_age() == 90 * 60
    left = session_row(client).expire_date - timezone.now()
    assert timedelta(minutes=89) < left <= timedelta(minutes=90)
    # The cookie itself ends then too, not in two weeks.
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200


def test_activity_moves_the_end_of_a_learner_session(client, settings, monkeypatch):
    settings.LMS_SESSION_IDLE_MINUTES = 120
    sign_in(client, UserFactory(username="peserta2", roles=[PESERTA]))
    first_end = session_row(client).expire_date
    real_time = lms_middleware.time.time
    # Half an hour later the learner opens a page: the session now ends two hours after that.
    monkeypatch.setattr(lms_middleware.time, "time", lambda: real_time() + 30 * 60)
    later = timezone.now() + timedelta(minutes=30)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert client.get(reverse("dashboard")).status_code == 200
    second_end = session_row(client).expire_date
    assert second_end - first_end >= timedelta(minutes=29)


def test_an_idle_learner_is_signed_out(client, settings):
    settings.LMS_SESSION_IDLE_MINUTES = 60
    sign_in(client, UserFactory(username="peserta3", roles=[PESERTA]))
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    # With REDIS_URL sessions are cached_db: the cached copy lives exactly as long (its timeout is the
    # same expiry age), so it has run out too.
    store = import_module(settings.SESSION_ENGINE).SessionStore(key)
    if hasattr(store, "cache_key"):
        caches[settings.SESSION_CACHE_ALIAS].delete(store.cache_key)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert reverse("login") in response.url


def test_a_page_view_within_the_minute_writes_no_session(client, settings):
    settings.LMS_SESSION_IDLE_MINUTES = 120
    sign_in(client, UserFactory(username="peserta4", roles=[PESERTA]))
    before = session_row(client).expire_date
    client.get(reverse("dashboard"))
    assert session_row(client).expire_date == before


def test_staff_keep_the_admin_session_age(client, settings):
    settings.LMS_SESSION_IDLE_MINUTES = 60
    sign_in(client, UserFactory(username="pengajar1", roles=[PENGAJAR]))
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    assert lms_middleware.IDLE_SESSION_KEY not in client.session


def test_a_learner_who_is_also_staff_counts_as_staff(client, settings):
    settings.LMS_SESSION_IDLE_MINUTES = 60
    sign_in(client, UserFactory(username="dua-peran", roles=[PESERTA, PENGAJAR]))
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_zero_turns_the_idle_expiry_off(client, settings):
    settings.LMS_SESSION_IDLE_MINUTES = 0
    sign_in(client, UserFactory(username="peserta5", roles=[PESERTA]))
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_the_idle_minutes_come_from_the_environment(monkeypatch):
    import importlib

    import lms.settings.base as base

    monkeypatch.setenv("LMS_SESSION_IDLE_MINUTES", "45")
    try:
        assert importlib.reload(base).LMS_SESSION_IDLE_MINUTES == 45
    finally:
        monkeypatch.delenv("LMS_SESSION_IDLE_MINUTES")
        assert importlib.reload(base).LMS_SESSION_IDLE_MINUTES == 120


# --- password spraying --------------------------------------------------------------------------


def fail(client, username, address):
    return client.post(reverse("login"), {"username": username, "password": "Salah123!"}, REMOTE_ADDR=address)


def test_spraying_many_accounts_from_one_address_locks_that_address(client, settings):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 10
    target = ASNProfileFactory(user=UserFactory(username="sasaran", roles=[PESERTA]))
    for number in range(9):
        assert fail(client, f"akun{number}", "203.0.113.7").status_code == 200  # one try per account
    assert fail(client, "akun9", "203.0.113.7").status_code == 429  # the tenth failure locks the address
    # The next try from that address is refused, even with the right password of a real account.
    response = client.post(
        reverse("login"), {"username": target.user.username, "password": PASSWORD}, REMOTE_ADDR="203.0.113.7"
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another address is not affected.
    response = client.post(
        reverse("login"), {"username": target.user.username, "password": PASSWORD}, REMOTE_ADDR="198.51.100.9"
    )
    assert response.status_code == 302


def test_an_office_behind_one_address_with_a_few_typos_is_not_locked(client, settings):
    """Default limits: 40 colleagues behind one NAT address, each mistyping twice and then signing in."""
    assert settings.AXES_ADDRESS_FAILURE_LIMIT == 30
    colleagues = [UserFactory(username=f"rekan{number}", roles=[PESERTA]) for number in range(40)]
    for user in colleagues:
        fail(client, user.username, "192.0.2.50")
        fail(client, user.username, "192.0.2.50")
        response = client.post(
            reverse("login"), {"username": user.username, "password": PASSWORD}, REMOTE_ADDR="192.0.2.50"
        )
        assert response.status_code == 302, user.username
        client.post(reverse("logout"), REMOTE_ADDR="192.0.2.50")


def test_address_failures_older_than_the_cool_off_do_not_count(client, settings):
    from axes.models import AccessAttempt

    settings.AXES_ADDRESS_FAILURE_LIMIT = 5
    user = UserFactory(username="lama", roles=[PESERTA])
    for number in range(5):
        fail(client, f"akun{number}", "203.0.113.8")
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1))
    response = client.post(
        reverse("login"), {"username": user.username, "password": PASSWORD}, REMOTE_ADDR="203.0.113.8"
    )
    assert response.status_code == 302


def test_the_address_limit_comes_from_the_environment(monkeypatch):
    import importlib

    import lms.settings.base as base

    monkeypatch.setenv("AXES_ADDRESS_FAILURE_LIMIT", "50")
    try:
        assert importlib.reload(base).AXES_ADDRESS_FAILURE_LIMIT == 50
    finally:
        monkeypatch.delenv("AXES_ADDRESS_FAILURE_LIMIT")
        importlib.reload(base)
