"""Profil Saya: imported ASN data shown read-only, phone and language, email change by link, JP per year."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from accounts import audit
from courses.models import JPCredit
from courses.selectors import current_year
from people.models import User
from tests.factories import ASNProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://testserver(/\S+/)")


@pytest.fixture
def learner(client):
    profile = ASNProfileFactory(
        full_name="Rina Marlina, S.Sos.", phone="", user__email="rina@jambiprov.go.id", jabatan_name="Analis SDM"
    )
    client.force_login(profile.user)
    return profile


def credit(user, *, year, jp, ref):
    JPCredit.objects.create(
        user=user, course_ref=ref, course_title=f"Kursus {ref}", jp=jp, year=year, credited_at=timezone.now()
    )


def test_the_profile_shows_the_imported_data_read_only_with_whom_to_ask(client, learner):
    page = client.get(reverse("profile")).content.decode()
    assert "Rina Marlina, S.Sos." in page and learner.nip_formatted in page and learner.unit.name in page
    assert "Analis SDM" in page and "pengelola kepegawaian" in page
    client.post(reverse("profile"), {"full_name": "Orang Lain", "nip": "1", "phone": "", "language": "id"})
    learner.refresh_from_db()
    assert learner.full_name == "Rina Marlina, S.Sos." and learner.nip != "1"


def test_jp_of_this_year_and_earlier_years(client, learner):
    year = current_year()
    credit(learner.user, year=year, jp=12, ref=1)
    credit(learner.user, year=year - 1, jp=8, ref=2)
    credit(learner.user, year=year - 1, jp=16, ref=3)
    page = client.get(reverse("profile")).content.decode()
    assert f"{year}: 12 dari 20 JP" in page
    years = re.findall(r"<dt>(\d{4})</dt><dd>(\d+) JP</dd>", page)
    assert years == [(str(year), "12"), (str(year - 1), "24")]


def test_no_jp_yet_says_how_to_earn_them(client, learner):
    assert "Belum ada JP tercatat" in client.get(reverse("profile")).content.decode()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("0812-3456-7890", "081234567890"), ("+62 812 3456 7890", "+6281234567890"), ("62812345678", "+62812345678")],
)
def test_a_mobile_number_typed_the_usual_ways_is_saved(client, learner, typed, stored):
    response = client.post(reverse("profile"), {"phone": typed, "language": "id"})
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.phone == stored


@pytest.mark.parametrize("typed", ["12345", "0741 123456", "08abc", "+1 202 555 0100"])
def test_a_number_that_is_not_an_indonesian_mobile_is_refused_in_indonesian(client, learner, typed):
    response = client.post(reverse("profile"), {"phone": typed, "language": "id"})
    assert response.status_code == 200
    assert "Masukkan nomor ponsel Indonesia" in response.content.decode()
    learner.refresh_from_db()
    assert learner.phone == ""


def test_the_language_chosen_is_kept_used_for_pages_and_mails_and_follows_the_sign_in(client, learner):
    response = client.post(reverse("profile"), {"phone": "", "language": "en"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert User.objects.get(pk=learner.user_id).language == "en"
    assert "My profile" in client.get(reverse("profile")).content.decode()

    client.post(reverse("profile_email"), {"email": "rina.baru@jambiprov.go.id"})
    assert mail.outbox[0].subject.startswith("Confirm your new email")

    fresh = type(client)()  # another phone: no cookie until the person signs in
    signed_in = fresh.post(reverse("login"), {"username": learner.nip, "password": "rahasia-kuat-2026"})
    assert signed_in.status_code == 302
    assert signed_in.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_an_email_change_applies_only_once_the_link_is_opened_and_confirmed(client, learner):
    response = client.post(reverse("profile_email"), {"email": "Rina.Baru@jambiprov.go.id"})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["Rina.Baru@jambiprov.go.id"]
    assert User.objects.get(pk=learner.user_id).email == "rina@jambiprov.go.id", "nothing changes before the link"
    link = LINK.search(message.body).group(1)

    shown = client.get(link)
    assert shown.status_code == 200 and "Rina.Baru@jambiprov.go.id" in shown.content.decode()
    assert User.objects.get(pk=learner.user_id).email == "rina@jambiprov.go.id", "opening the link is not the change"
    confirmed = client.post(link)
    assert confirmed.status_code == 302
    assert User.objects.get(pk=learner.user_id).email == "Rina.Baru@jambiprov.go.id"
    notice = mail.outbox[1]
    assert notice.to == ["rina@jambiprov.go.id"] and "Rina.Baru@jambiprov.go.id" in notice.body
    entry = ModelLogEntry.objects.get(action=audit.EMAIL_CHANGED)
    assert entry.data == {"old": "rina@jambiprov.go.id", "new": "Rina.Baru@jambiprov.go.id"}

    # The link is spent: the address it replaces is gone.
    assert client.post(link).status_code == 400
    assert "Tautan ini tidak berlaku lagi" in client.get(link).content.decode()


def test_an_email_link_does_not_work_for_another_account_or_forged(client, learner):
    client.post(reverse("profile_email"), {"email": "rina.baru@jambiprov.go.id"})
    link = LINK.search(mail.outbox[0].body).group(1)
    other = UserFactory()
    client.force_login(other)
    assert client.post(link).status_code == 400
    assert client.post(reverse("profile_email_confirm", kwargs={"token": "forged:token"})).status_code == 400
    other.refresh_from_db()
    assert other.email != "rina.baru@jambiprov.go.id"
    assert User.objects.get(pk=learner.user_id).email == "rina@jambiprov.go.id"


def test_the_same_address_or_a_malformed_one_is_refused(client, learner):
    same = client.post(reverse("profile_email"), {"email": "RINA@jambiprov.go.id"})
    assert same.status_code == 200 and "sudah alamat email Anda" in same.content.decode()
    broken = client.post(reverse("profile_email"), {"email": "rina@"})
    assert broken.status_code == 200 and not mail.outbox


def test_the_profile_needs_a_sign_in_and_changes_only_by_post(client):
    response = client.get(reverse("profile"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(UserFactory())
    assert client.get(reverse("profile_email")).status_code == 405


def test_staff_without_an_asn_profile_see_their_account_without_a_phone_field(client):
    client.force_login(UserFactory(username="pengajar"))
    page = client.get(reverse("profile")).content.decode()
    assert 'name="phone"' not in page and "belum memiliki profil ASN" in page


@pytest.mark.parametrize("years", [1, 6])
def test_the_profile_page_needs_a_fixed_number_of_queries(client, learner, years, django_assert_max_num_queries):
    for offset in range(years):
        credit(learner.user, year=current_year() - offset, jp=4, ref=offset + 1)
    # Session, user, profile with its unit, JP per year, the two permission reads of the header and
    # the header's notification bell (one COUNT, issue 16).
    with django_assert_max_num_queries(7):
        assert client.get(reverse("profile")).status_code == 200
