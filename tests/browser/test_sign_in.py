"""Journey: a learner signs in with an NIP typed with spaces and lands on their dashboard."""

import pytest

from people.roles import PESERTA
from tests.factories import ASNProfileFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_learner_signs_in_with_a_spaced_nip_and_sees_the_dashboard_in_indonesian(page):
    unit = UnitFactory(name="Dinas Kesehatan", code="15.03")
    ASNProfileFactory(
        nip="198609262015051001",
        full_name="Budi Santoso, S.Kep.",
        unit=unit,
        user=UserFactory(username="budi", roles=[PESERTA]),
    )

    page.goto("/")
    page.get_by_role("link", name="Masuk", exact=True).first.click()
    page.get_by_label("NIP atau nama pengguna").fill("19860926 201505 1 001")
    page.get_by_label("Kata sandi").fill("rahasia-kuat-2026")
    page.get_by_role("button", name="Masuk").click()

    page.wait_for_url("**/dasbor/")
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.get_by_role("heading", level=1).inner_text() == "Kursus Saya"
    assert page.locator("main .lead").first.inner_text() == "Selamat datang, Budi Santoso, S.Kep."
    assert "Dinas Kesehatan" in page.locator(".profile-card").inner_text()
    assert "19860926 201505 1 001" in page.locator(".profile-card").inner_text()


def test_wrong_password_keeps_the_learner_on_the_sign_in_page_with_a_message(page):
    ASNProfileFactory(nip="198609262015051001", user=UserFactory(username="budi", roles=[PESERTA]))
    page.goto("/masuk/")
    page.get_by_label("NIP atau nama pengguna").fill("198609262015051001")
    page.get_by_label("Kata sandi").fill("salah-sekali")
    page.get_by_role("button", name="Masuk").click()
    assert "kata sandi salah" in page.get_by_role("alert").first.inner_text().lower()
    assert page.url.endswith("/masuk/")
