"""Activation of an imported account with a one-time code (accounts/)."""

import re

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from accounts import codes
from accounts.models import ActivationCode
from accounts.services import activation_codes_generate, activation_complete
from people.models import User
from tests.factories import ASNProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Sungai-Batanghari-77"
NO_MATCH = "NIP dan kode aktivasi tidak cocok"


def issue(profile, **kwargs) -> str:
    return activation_codes_generate(user_ids=[profile.user_id], created_by=None, **kwargs)[0].code


def spaced(nip: str) -> str:
    return f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"


def start(client, nip, code):
    return client.post(reverse("activation_start"), {"login": nip, "code": code})


def test_a_code_typed_loosely_leads_to_a_password_of_ones_own_and_a_signed_in_learner(client, imported):
    code = issue(imported)
    typed = codes.printed(code).lower().replace("-", " - ")
    response = start(client, spaced(imported.nip), typed)
    assert response.status_code == 302 and response["Location"] == reverse("activation_password")

    response = client.post(
        reverse("activation_password"), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    user = User.objects.get(pk=imported.user_id)
    assert user.check_password(NEW_PASSWORD) and user.activated_at is not None
    assert ActivationCode.objects.get(user=user).used_at is not None
    assert client.get(reverse("dashboard")).status_code == 200  # signed in

    client.logout()
    signed_in = client.post(reverse("login"), {"username": spaced(imported.nip), "password": NEW_PASSWORD})
    assert signed_in.status_code == 302
    # The code works once.
    assert NO_MATCH not in start(client, imported.nip, code).content.decode()
    assert "sudah aktif" in start(client, imported.nip, code).content.decode()


def test_the_password_is_checked_by_djangos_validators_in_indonesian(client, imported):
    start(client, imported.nip, issue(imported))
    response = client.post(reverse("activation_password"), {"new_password1": "12345678", "new_password2": "12345678"})
    assert response.status_code == 200
    assert "terlalu umum" in response.content.decode()
    user = User.objects.get(pk=imported.user_id)
    assert not user.has_usable_password() and user.activated_at is None


def test_an_unknown_nip_and_a_wrong_code_get_the_same_answer_and_change_nothing(client, imported):
    issue(imported)
    other = ASNProfileFactory()
    unknown = start(client, "19700101 199001 1 999", "ACDEFGHJ").content.decode()
    wrong = start(client, imported.nip, "ACDEFGHJ").content.decode()
    someone_elses = start(client, other.nip, issue(imported)).content.decode()
    assert NO_MATCH in unknown and NO_MATCH in wrong and NO_MATCH in someone_elses

    def body(html):
        # The page without the typed NIP and the CSRF token, which differ by design.
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
        return html.split("<main", 1)[1].split("</form>", 1)[0].replace(other.nip, "").replace(imported.nip, "")

    assert body(unknown).replace("19700101 199001 1 999", "") == body(wrong)
    assert not User.objects.get(pk=imported.user_id).has_usable_password()
    assert "activation_password" not in str(client.session.get("accounts.activation", ""))
    assert client.get(reverse("activation_password")).status_code == 302  # no step without a code


@pytest.mark.parametrize(
    "spoil, message",
    [
        (lambda code: code.__class__.objects.filter(pk=code.pk).update(expires_at=timezone.now()), "kedaluwarsa"),
        (lambda code: code.__class__.objects.filter(pk=code.pk).update(used_at=timezone.now()), "sudah dipakai"),
        (lambda code: User.objects.filter(pk=code.user_id).update(is_active=False), "tidak aktif"),
        (lambda code: User.objects.filter(pk=code.user_id).update(activated_at=timezone.now()), "sudah aktif"),
    ],
    ids=["expired", "used", "inactive-person", "already-active"],
)
def test_a_right_code_that_cannot_be_used_says_why_and_changes_nothing(client, imported, spoil, message):
    code = issue(imported)
    spoil(ActivationCode.objects.get(user_id=imported.user_id))
    before = User.objects.values().get(pk=imported.user_id)
    response = start(client, imported.nip, code)
    assert response.status_code == 200 and message in response.content.decode()
    assert User.objects.values().get(pk=imported.user_id) == before
    assert "accounts.activation" not in client.session


def test_regenerating_a_code_voids_the_old_one(client, imported):
    old = issue(imported)
    new = issue(imported)
    assert "diganti kode baru" in start(client, imported.nip, old).content.decode()
    assert start(client, imported.nip, new).status_code == 302


def test_a_code_is_used_once_even_by_two_tabs_racing(imported):
    issue(imported)
    code = ActivationCode.objects.get(user_id=imported.user_id)
    user = User.objects.get(pk=imported.user_id)
    assert activation_complete(user=user, code_id=code.pk, password=NEW_PASSWORD)
    assert not activation_complete(user=user, code_id=code.pk, password="Another-Pass-2026")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_the_step_after_the_code_expires(client, imported, monkeypatch):
    start(client, imported.nip, issue(imported))
    session = client.session
    session["accounts.activation"]["at"] -= 16 * 60
    session.save()
    response = client.post(
        reverse("activation_password"), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == reverse("activation_start")
    assert not User.objects.get(pk=imported.user_id).has_usable_password()


def test_wrong_codes_are_throttled_like_sign_ins_and_then_even_the_right_code_waits(client, imported):
    code = issue(imported)
    for _ in range(5):
        start(client, imported.nip, "ACDEFGHJ")
    assert AccessAttempt.objects.filter(username=imported.nip).exists()
    response = start(client, imported.nip, code)
    assert response.status_code in (403, 429)
    assert not User.objects.get(pk=imported.user_id).has_usable_password()


def test_wrong_codes_for_one_nip_from_many_addresses_meet_the_nip_limit(client, imported, settings):
    settings.LMS_ACTIVATION_NIP_FAILURE_LIMIT = 4
    code = issue(imported)
    for number in range(4):
        client.post(
            reverse("activation_start"), {"login": imported.nip, "code": "ACDEFGHJ"}, REMOTE_ADDR=f"10.0.0.{number}"
        )
    response = client.post(reverse("activation_start"), {"login": imported.nip, "code": code}, REMOTE_ADDR="10.0.9.9")
    assert response.status_code == 429 and "Terlalu banyak" in response.content.decode()


def test_codes_are_stored_only_as_a_keyed_digest(imported):
    code = issue(imported)
    stored = ActivationCode.objects.get(user_id=imported.user_id)
    assert code not in stored.digest and stored.digest == codes.digest(user_id=imported.user_id, code=code)
    assert set(code) <= set(codes.ALPHABET) and len(code) == codes.LENGTH
    assert not set("0O1IL5S8B2Z") & set(codes.ALPHABET)


@pytest.mark.parametrize("people", [5, 50])
def test_generating_codes_takes_the_same_queries_for_5_or_50_people(people, django_assert_max_num_queries):
    users = [UserFactory(password="!") for _ in range(people)]
    activation_codes_generate(user_ids=[u.pk for u in users], created_by=None)
    with django_assert_max_num_queries(5):
        issued = activation_codes_generate(user_ids=[u.pk for u in users], created_by=None)
    assert len({item.code for item in issued}) == people
    assert ActivationCode.objects.usable().count() == people
    assert ActivationCode.objects.filter(voided_at__isnull=False).count() == people


def test_the_sign_in_page_links_to_activation(client):
    assert reverse("activation_start") in client.get(reverse("login")).content.decode()


def test_activation_page_query_count(client, imported, django_assert_max_num_queries):
    code = issue(imported)
    with django_assert_max_num_queries(3):
        assert client.get(reverse("activation_start")).status_code == 200
    with django_assert_max_num_queries(14):
        assert start(client, imported.nip, code).status_code == 302
