"""Journey: an imported ASN gets a code from their office, activates on a phone, signs in, and later
gets back in through *Lupa kata sandi* and the emailed link."""

import os
import re

import pytest
from django.core import mail

from accounts import codes
from accounts.services import activation_codes_generate
from people.roles import PESERTA
from tests.factories import ASNProfileFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = os.environ.get("LMS_SCREENSHOTS", "")


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_an_imported_asn_activates_with_a_code_signs_in_and_later_resets_a_forgotten_password(page):
    user = UserFactory(username="198609262015052001", roles=[PESERTA], email="siti.rahma@jambiprov.go.id")
    user.set_unusable_password()
    user.save()
    ASNProfileFactory(
        user=user,
        nip="198609262015052001",
        gender="P",
        full_name="Siti Rahmā, S.E., M.Si.",
        unit=UnitFactory(name="Dinas Kesehatan"),
    )
    code = activation_codes_generate(user_ids=[user.pk], created_by=None)[0].code

    page.goto("/masuk/")
    page.get_by_role("link", name="Baru pertama kali? Aktivasi akun").click()
    page.wait_for_url("**/aktivasi/")
    page.get_by_label("NIP").fill("19860926 201505 2 001")
    page.get_by_label("Kode aktivasi").fill("salah-kode")
    page.get_by_role("button", name="Lanjutkan").click()
    assert "tidak cocok" in page.get_by_role("alert").inner_text()
    page.get_by_label("Kode aktivasi").fill(codes.printed(code).lower())
    shot(page, "activation-code")
    page.get_by_role("button", name="Lanjutkan").click()

    page.wait_for_url("**/aktivasi/kata-sandi/")
    page.locator("#id_new_password1").fill("12345678")
    page.locator("#id_new_password2").fill("12345678")
    page.get_by_role("button", name="Aktifkan akun saya").click()
    assert page.url.endswith("/aktivasi/kata-sandi/")  # too common: refused, stays
    page.locator("#id_new_password1").fill("Sungai-Batanghari-77")
    page.locator("#id_new_password2").fill("Sungai-Batanghari-77")
    shot(page, "activation-password")
    page.get_by_role("button", name="Aktifkan akun saya").click()

    page.wait_for_url("**/dasbor/")
    assert page.get_by_role("heading", level=1).inner_text() == "Kursus Saya"
    assert "Akun Anda sudah aktif" in page.locator("main").inner_text()
    shot(page, "activation-done")

    page.context.clear_cookies()
    page.goto("/masuk/")
    page.get_by_label("NIP atau nama pengguna").fill("19860926 201505 2 001")
    page.get_by_label("Kata sandi").fill("Sungai-Batanghari-77")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/dasbor/")
    assert page.get_by_role("heading", level=1).inner_text() == "Kursus Saya"

    # Months later the password is forgotten: the emailed link leads to a new one.
    page.context.clear_cookies()
    page.goto("/masuk/")
    page.get_by_role("link", name="Lupa kata sandi?").click()
    page.wait_for_url("**/lupa-kata-sandi/")
    page.get_by_label("NIP atau email").fill("198609262015052001")
    shot(page, "recovery")
    page.get_by_role("button", name="Kirim tautan").click()
    page.wait_for_url("**/lupa-kata-sandi/terkirim/")
    assert page.get_by_role("heading", level=1).inner_text() == "Periksa email Anda"
    shot(page, "recovery-done")
    (message,) = mail.outbox
    assert message.to == ["siti.rahma@jambiprov.go.id"]
    page.goto(re.search(r"https?://\S+", message.body).group(0))
    page.locator("#id_new_password1").fill("Candi-Muaro-Jambi-12")
    page.locator("#id_new_password2").fill("Candi-Muaro-Jambi-12")
    shot(page, "recovery-new-password")
    page.get_by_role("button", name="Simpan kata sandi baru").click()
    page.wait_for_url("**/dasbor/")
    assert "Kata sandi Anda sudah diganti" in page.locator("main").inner_text()

    page.context.clear_cookies()
    page.goto("/masuk/")
    page.get_by_label("NIP atau nama pengguna").fill("19860926 201505 2 001")
    page.get_by_label("Kata sandi").fill("Candi-Muaro-Jambi-12")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/dasbor/")
