"""Journey: a learner finds a course in the catalogue, enrols, watches the video, completes it, sees the JP."""

import re

import pytest
from django.core.files import File
from playwright.sync_api import expect
from wagtailmedia.models import Media

from courses.demo import DEMO_VIDEO
from courses.models import Enrolment, JPCredit, LessonProgress
from people.roles import PESERTA
from tests.courses.factories import build_course, lesson_body, root_collection
from tests.factories import ASNProfileFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_learner_finds_enrols_watches_completes_and_sees_the_jp(page):
    with DEMO_VIDEO.open("rb") as handle:
        video = Media(
            title="Pengantar",
            type="video",
            duration=6,
            width=320,
            height=180,
            collection=root_collection(),
        )
        video.file.save("pengantar.mp4", File(handle), save=True)
    tree = build_course(title="Pelayanan Publik Prima", lessons_per_module=2, jp_value=4)
    first, second = tree.lessons
    first.completion_rule = "video"
    first.body = lesson_body(video=video, text="Tonton video pengantar.")
    first.save_revision().publish()
    build_course(title="Manajemen ASN dan Etika Birokrasi", slug="manajemen-asn")
    ASNProfileFactory(
        nip="198609262015051001",
        full_name="Budi Santoso, S.Kep.",
        unit=UnitFactory(name="Dinas Kesehatan"),
        user=UserFactory(username="budi", roles=[PESERTA]),
    )

    page.goto("/masuk/")
    page.get_by_label("NIP atau nama pengguna").fill("19860926 201505 1 001")
    page.get_by_label("Kata sandi").fill("rahasia-kuat-2026")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/dasbor/")

    # Find the course in the catalogue with a search.
    page.get_by_role("link", name="Katalog Kursus").first.click()
    page.get_by_label("Cari kursus").fill("pelayanan")
    page.get_by_role("button", name="Tampilkan kursus").click()
    expect(page.get_by_role("status")).to_contain_text("1 kursus ditemukan")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling on a phone
    page.get_by_role("link", name="Pelayanan Publik Prima").click()

    # The outline is visible, the lessons are not yet.
    expect(page.get_by_role("heading", name="Susunan kursus")).to_be_visible()
    expect(page.get_by_role("link", name="Materi 1.1")).to_have_count(0)
    page.get_by_role("button", name="Daftar").click()
    expect(page.get_by_text("Anda terdaftar. Selamat belajar!")).to_be_visible()

    # Play the video to the end: the page reports what was played and the lesson completes.
    # Wait for the page's first progress report each time, as a person reading it would.
    with page.expect_response(lambda response: "/aktivitas/" in response.url):
        page.get_by_role("link", name=re.compile("Mulai belajar")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Materi 1.1")
    player = page.locator("video.lesson-video")
    expect(player).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    player.evaluate("video => { video.muted = true; return video.play(); }")
    expect(page.locator("#lesson-status")).to_contain_text("Selesai: materi ini sudah tuntas.", timeout=20_000)
    progress = LessonProgress.objects.get(lesson=first)
    assert progress.video_fraction >= 0.9 and progress.completed_at is not None

    # The next lesson is completed with "Tandai selesai".
    with page.expect_response(lambda response: "/aktivitas/" in response.url):
        page.get_by_role("link", name=re.compile("Berikutnya")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Materi 1.2")
    page.get_by_role("button", name="Tandai selesai").click()
    expect(page.get_by_text("Selamat! Anda telah menyelesaikan kursus ini.")).to_be_visible()

    # The dashboard shows the course at 100% and the JP earned this year.
    page.get_by_role("link", name="Dasbor").click()
    expect(page.locator(".jp-card")).to_contain_text("4 / 20 JP")
    completed = page.locator(".completed-list")
    expect(completed).to_contain_text("Pelayanan Publik Prima")
    expect(completed).to_contain_text("100%")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling on a phone
    assert Enrolment.objects.get(course=tree.course).progress_status == "completed"
    assert JPCredit.objects.get().jp == 4
    assert second.pk in LessonProgress.objects.filter(completed_at__isnull=False).values_list("lesson_id", flat=True)
