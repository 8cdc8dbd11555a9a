"""Journey on a 360 px phone: a learner sees the bell's count, opens Notifikasi, marks one read, then
all; the page fits the phone (no sideways scrolling)."""

import os

import pytest

from notifications import services
from notifications.kinds import Kind
from people.roles import PESERTA
from tests.browser.test_h5p_journey import sign_in
from tests.factories import ASNProfileFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = os.environ.get("LMS_SCREENSHOTS", "")


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_a_learner_reads_their_notifications(page, live_server):
    user = UserFactory(username="rina", roles=[PESERTA], email="rina@jambiprov.go.id")
    ASNProfileFactory(user=user, full_name="Rina Marlina, S.Sos.")
    texts = [
        (Kind.ENROLMENT_ASSIGNED, "Kursus “Manajemen ASN Berbasis Sistem Merit” ditugaskan kepada Anda."),
        (Kind.ENROLMENT_APPROVED, "Permintaan Anda untuk mengikuti “Etika Pelayanan Publik” disetujui."),
        (Kind.ESSAY_GRADED, "Esai Anda (soal 1) pada “Kuis Akhir Etika” sudah dinilai."),
    ]
    for i, (kind, text) in enumerate(texts):
        services.notify(recipient=user, kind=kind, text=text, link="/dasbor/", key=f"demo:{i}")
    sign_in(page, user, live_server.url)

    page.goto("/dasbor/")
    bell = page.locator("a.bell")
    assert "3" in bell.locator(".bell-count").inner_text()
    bell.click()
    page.wait_for_url("**/notifikasi/")
    shot(page, "notify-list")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # The whole header fits: sign-out is not pushed out of the scrolling menu.
    nav = page.locator(".site-nav")
    assert nav.evaluate("n => n.scrollWidth <= n.clientWidth")
    page.get_by_role("button", name="Tandai sudah dibaca").first.click()
    page.wait_for_url("**/notifikasi/")
    assert "2" in page.locator("a.bell .bell-count").inner_text()
    page.get_by_role("button", name="Tandai semua sudah dibaca").click()
    page.wait_for_url("**/notifikasi/")
    assert page.locator("a.bell .bell-count").count() == 0
    shot(page, "notify-read")
