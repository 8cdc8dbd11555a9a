"""Journey on a 360 px phone: a learner opens Profil Saya from Kursus Saya, fixes their phone number,
switches to English, and changes their email through the confirmation link."""

import os
import re

import pytest
from django.core import mail
from django.utils import timezone

from courses.models import JPCredit
from courses.selectors import current_year
from people.models import User
from people.roles import PESERTA
from tests.browser.test_h5p_journey import sign_in
from tests.factories import ASNProfileFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = os.environ.get("LMS_SCREENSHOTS", "")


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_a_learner_keeps_their_profile_up_to_date(page, live_server):
    user = UserFactory(username="rina", roles=[PESERTA], email="rina@jambiprov.go.id")
    ASNProfileFactory(user=user, full_name="Rina Marlina, S.Sos.", unit=UnitFactory(name="Dinas Pendidikan"))
    JPCredit.objects.create(
        user=user, course_ref=1, course_title="Etika ASN", jp=12, year=current_year(), credited_at=timezone.now()
    )
    sign_in(page, user, live_server.url)

    page.goto("/dasbor/")
    page.get_by_role("link", name="Profil Saya: kontak, bahasa, kata sandi, JP per tahun").click()
    page.wait_for_url("**/profil/")
    assert "Rina Marlina, S.Sos." in page.locator("main").inner_text()
    assert f"{current_year()}: 12 dari 20 JP" in page.locator("main").inner_text()

    page.get_by_label("Nomor ponsel").fill("0812 345")
    page.get_by_role("button", name="Simpan", exact=True).click()
    assert "Masukkan nomor ponsel Indonesia" in page.locator("main").inner_text()
    page.get_by_label("Nomor ponsel").fill("0812 3456 7890")
    shot(page, "profile")
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.wait_for_url("**/profil/")
    assert "Profil Anda sudah disimpan." in page.locator("main").inner_text()

    page.get_by_label("Alamat email baru").fill("rina.marlina@jambiprov.go.id")
    page.get_by_role("button", name="Kirim tautan konfirmasi").click()
    (message,) = mail.outbox
    page.goto(re.search(r"https?://\S+", message.body).group(0))
    shot(page, "profile-email-confirm")
    page.get_by_role("button", name="Ya, pakai alamat ini").click()
    page.wait_for_url("**/profil/")
    assert User.objects.get(pk=user.pk).email == "rina.marlina@jambiprov.go.id"

    page.locator("main select[name=language]").select_option("en")  # not the footer's switcher
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.wait_for_url("**/profil/")
    assert page.get_by_role("heading", level=1).inner_text() == "My profile"
    assert "Your profile has been saved." in page.locator("main").inner_text()
