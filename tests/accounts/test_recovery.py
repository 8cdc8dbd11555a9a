"""Lupa kata sandi (a reset link by NIP or email) and activation through an emailed link (accounts/)."""

import re
from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from accounts import audit
from accounts.models import ActivationCode
from accounts.services import activation_codes_generate
from accounts.tokens import ActivationTokenGenerator
from people.models import User
from tests.accounts.test_activation import NEW_PASSWORD, spaced
from tests.factories import ASNProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://testserver(/\S+/)")


@pytest.fixture
def active():
    """An ASN who activated long ago and forgot their password."""
    profile = ASNProfileFactory(full_name="Budi Santoso, S.T.", user__email="budi.santoso@jambiprov.go.id")
    profile.user.activated_at = timezone.now() - timedelta(days=90)
    profile.user.save()
    return profile


def ask(client, identity):
    return client.post(reverse("password_reset"), {"identity": identity})


def mailed_link(message) -> str:
    return LINK.search(message.body).group(1)


def choose(client, link, password=NEW_PASSWORD):
    """Open the emailed link (Django moves the token out of the address first), then send the form."""
    opened = client.get(link)
    assert opened.status_code == 302, "the token leaves the address bar before the form shows"
    form_url = opened["Location"]
    assert client.get(form_url).status_code == 200
    return client.post(form_url, {"new_password1": password, "new_password2": password})


def test_the_sign_in_page_leads_to_the_recovery_page(client):
    page = client.get(reverse("login")).content.decode()
    assert reverse("password_reset") in page and "Lupa kata sandi?" in page


def test_a_reset_by_spaced_nip_mails_a_link_that_sets_a_new_password_once(client, active):
    response = ask(client, spaced(active.nip))
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["budi.santoso@jambiprov.go.id"]
    assert message.subject == "Kata sandi baru untuk LMS ASN Provinsi Jambi"
    assert "Yth. Budi Santoso, S.T.," in message.body and "24 jam" in message.body

    link = mailed_link(message)
    done = choose(client, link)
    assert done.status_code == 302 and done["Location"] == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200  # signed in
    user = User.objects.get(pk=active.user_id)
    assert user.check_password(NEW_PASSWORD)
    assert ModelLogEntry.objects.filter(action=audit.PASSWORD_RESET, object_id=str(user.pk)).count() == 1

    client.logout()
    again = client.get(link, follow=True).content.decode()
    assert "Tautan ini tidak berlaku lagi" in again, "a reset link works once"


def test_a_reset_by_email_ignores_case_and_reaches_every_account_of_that_address(client, active):
    ask(client, "Budi.Santoso@JAMBIPROV.go.id")
    assert [message.to for message in mail.outbox] == [["budi.santoso@jambiprov.go.id"]]


def test_unknown_no_email_and_inactive_accounts_get_the_same_answer_and_no_mail(client, active):
    no_email = ASNProfileFactory(user__email="")
    no_email.user.activated_at = timezone.now()
    no_email.user.save()
    inactive = ASNProfileFactory()
    inactive.user.is_active = False
    inactive.user.save()

    answers = [ask(client, typed) for typed in ("19700101 199001 1 999", no_email.nip, inactive.nip, "x@y.go.id")]
    assert not mail.outbox
    known = ask(client, active.nip)
    assert len(mail.outbox) == 1
    for answer in [*answers, known]:
        assert (answer.status_code, answer["Location"]) == (302, reverse("password_reset_done"))
    page = client.get(reverse("password_reset_done")).content.decode()
    assert "Jika yang Anda ketik cocok dengan akun yang emailnya tercatat" in page


def test_an_account_never_activated_gets_an_activation_link_that_activates_it_once(client, imported):
    imported.user.email = "siti@jambiprov.go.id"
    imported.user.save()
    activation_codes_generate(user_ids=[imported.user_id], created_by=None)
    ask(client, imported.nip)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Aktifkan akun Anda di LMS ASN Provinsi Jambi"
    assert "72 jam" in message.body
    link = mailed_link(message)
    assert link.startswith("/aktivasi/email/")

    done = choose(client, link)
    assert done.status_code == 302 and done["Location"] == reverse("dashboard")
    user = User.objects.get(pk=imported.user_id)
    assert user.activated_at is not None and user.check_password(NEW_PASSWORD)
    assert ActivationCode.objects.get(user=user).voided_at is not None, "the slip's code no longer works"
    entry = ModelLogEntry.objects.get(action=audit.ACTIVATED, object_id=str(user.pk))
    assert entry.data == {"method": "email"} and entry.user_id == user.pk

    client.logout()
    assert "Tautan ini tidak berlaku lagi" in client.get(link, follow=True).content.decode()
    # Now active: a new request brings a password-reset link, not another activation link.
    ask(client, imported.nip)
    assert mailed_link(mail.outbox[-1]).startswith("/lupa-kata-sandi/")


def test_a_reset_link_is_not_an_activation_link_nor_the_reverse(client, imported, active):
    imported.user.email = "siti@jambiprov.go.id"
    imported.user.save()
    ask(client, imported.nip)
    ask(client, active.nip)
    activation_link, reset_link = (mailed_link(message) for message in mail.outbox)
    swapped_to_reset = reset_link.replace(reset_link.split("/")[-2], activation_link.split("/")[-2])
    swapped_to_activation = activation_link.replace(activation_link.split("/")[-2], reset_link.split("/")[-2])
    assert "Tautan ini tidak berlaku lagi" in client.get(swapped_to_reset, follow=True).content.decode()
    assert "Tautan ini tidak berlaku lagi" in client.get(swapped_to_activation, follow=True).content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/lupa-kata-sandi/{uid}/forged-token/",
        "/lupa-kata-sandi/!!notbase64/abc-def/",
        "/lupa-kata-sandi/OTk5OTk5/abc-def/",
        "/aktivasi/email/{uid}/1x-abcdef/",
        "/aktivasi/email/%%%/abc/",
        "/aktivasi/email/{uid}/kata-sandi-baru/",
    ],
)
def test_forged_links_get_a_clear_page_and_change_nothing(client, imported, path):
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(imported.user_id))
    response = client.get(path.format(uid=uid), follow=True)
    assert response.status_code in (200, 404)
    if response.status_code == 200:
        assert "Tautan ini tidak berlaku lagi" in response.content.decode()
    posted = client.post(path.format(uid=uid), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert posted.status_code in (200, 404)
    user = User.objects.get(pk=imported.user_id)
    assert not user.has_usable_password() and user.activated_at is None


def test_an_activation_link_expires_after_its_own_lifetime(client, imported, settings):
    settings.LMS_ACTIVATION_LINK_HOURS = 2
    imported.user.email = "siti@jambiprov.go.id"
    imported.user.save()
    ask(client, imported.nip)
    link = mailed_link(mail.outbox[0])
    later = datetime.now() + timedelta(hours=2, minutes=1)
    with mock.patch.object(ActivationTokenGenerator, "_now", return_value=later):
        page = client.get(link, follow=True).content.decode()
    assert "Tautan ini tidak berlaku lagi" in page
    assert User.objects.get(pk=imported.user_id).activated_at is None


def test_deactivating_a_person_kills_the_links_already_mailed(client, active):
    ask(client, active.nip)
    link = mailed_link(mail.outbox[0])
    User.objects.filter(pk=active.user_id).update(is_active=False)
    assert "Tautan ini tidak berlaku lagi" in client.get(link, follow=True).content.decode()


def test_with_email_activation_off_no_activation_mail_goes_and_the_link_is_gone(client, imported, settings):
    imported.user.email = "siti@jambiprov.go.id"
    imported.user.save()
    settings.LMS_ACTIVATION_METHODS = {"code"}
    ask(client, imported.nip)
    assert not mail.outbox
    assert client.get("/aktivasi/email/MQ/abc-def/").status_code == 404


def test_with_codes_off_first_time_here_leads_to_the_emailed_link(client, settings):
    settings.LMS_ACTIVATION_METHODS = {"email"}
    response = client.get(reverse("activation_start"))
    assert response.status_code == 302 and response["Location"] == reverse("password_reset")
    settings.LMS_ACTIVATION_METHODS = set()
    assert client.get(reverse("activation_start")).status_code == 404


def test_one_mailbox_gets_at_most_the_hourly_limit_of_mails(client, active, settings):
    settings.LMS_RECOVERY_EMAILS_PER_HOUR = 3
    for _ in range(5):
        assert ask(client, active.nip).status_code == 302  # the answer does not change
    assert len(mail.outbox) == 3


def test_one_address_is_paused_after_its_hourly_limit(client, active, settings):
    settings.LMS_RECOVERY_ADDRESS_LIMIT = 4
    for _ in range(4):
        assert ask(client, "19700101 199001 1 999").status_code == 302
    refused = ask(client, active.nip)
    assert refused.status_code == 429
    assert "Terlalu banyak permintaan" in refused.content.decode()
    assert not mail.outbox


def test_the_recovery_pages_need_a_fixed_number_of_queries(client, active, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        assert client.get(reverse("password_reset")).status_code == 200
    with django_assert_max_num_queries(4):  # the account, then at most the session
        ask(client, active.nip)
    with django_assert_max_num_queries(4):
        ask(client, "19700101 199001 1 999")


def test_the_activation_link_page_needs_a_fixed_number_of_queries(client, imported, django_assert_max_num_queries):
    imported.user.email = "siti@jambiprov.go.id"
    imported.user.save()
    ask(client, imported.nip)
    opened = client.get(mailed_link(mail.outbox[0]))
    with django_assert_max_num_queries(4):
        assert client.get(opened["Location"]).status_code == 200


def test_staff_added_in_the_admin_choose_their_own_password_through_the_link(client, admin_user):
    client.force_login(admin_user)
    form = client.get(reverse("wagtailusers_users:add")).content.decode()
    assert 'name="password1"' not in form, "nobody types a password for someone else"
    response = client.post(
        reverse("wagtailusers_users:add"),
        {
            "username": "pengajar.baru",
            "email": "pengajar.baru@jambiprov.go.id",
            "first_name": "Rina",
            "last_name": "Wati",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    staff = User.objects.get(username="pengajar.baru")
    assert not staff.has_usable_password() and staff.activated_at is None
    assert [message.to for message in mail.outbox] == [["pengajar.baru@jambiprov.go.id"]]
    client.logout()
    done = choose(client, mailed_link(mail.outbox[0]))
    assert done["Location"] == reverse("dashboard")
    staff.refresh_from_db()
    assert staff.activated_at is not None and staff.check_password(NEW_PASSWORD)


def test_activation_by_code_is_logged_too(client, imported):
    code = activation_codes_generate(user_ids=[imported.user_id], created_by=None)[0].code
    client.post(reverse("activation_start"), {"login": imported.nip, "code": code})
    client.post(reverse("activation_password"), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    entry = ModelLogEntry.objects.get(action=audit.ACTIVATED, object_id=str(imported.user_id))
    assert entry.data == {"method": "code"}


def test_a_sheet_of_codes_is_one_entry_on_the_units_history(imported):
    staff = UserFactory(username="admin-bpsdm")
    activation_codes_generate(user_ids=[imported.user_id], created_by=staff, unit=imported.unit)
    entry = ModelLogEntry.objects.get(action=audit.CODES_GENERATED)
    assert entry.object_id == str(imported.unit_id) and entry.user_id == staff.pk
    assert entry.data == {"people": 1, "days": 30}
