"""Journeys: a learner finds a course in the catalogue, enrols, watches the video, completes it, sees the
JP and the course under its completed section; a learner goes through pre-test, modules and post-test."""

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


def failed_responses(page) -> list:
    """Every response of 400 or more the page receives (a missing favicon among them)."""
    failed = []
    page.on(
        "response", lambda response: failed.append((response.status, response.url)) if response.status >= 400 else None
    )
    return failed


def assert_header_fits_one_row(page):
    items = page.locator(".site-nav li")
    tops = {round(items.nth(index).bounding_box()["y"]) for index in range(items.count())}
    assert len(tops) == 1, tops
    assert page.locator(".site-header").bounding_box()["height"] < 64


def budi_signs_in(page, *, typed_nip: str) -> None:
    """Budi, a nurse of Dinas Kesehatan imported as a learner, signs in with his NIP as typed."""
    ASNProfileFactory(
        nip="198609262015051001",
        full_name="Budi Santoso, S.Kep.",
        unit=UnitFactory(name="Dinas Kesehatan"),
        user=UserFactory(username="budi", roles=[PESERTA]),
    )
    page.goto("/masuk/")
    page.get_by_label("NIP atau nama pengguna").fill(typed_nip)
    page.get_by_label("Kata sandi").fill("rahasia-kuat-2026")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/dasbor/")


def test_learner_finds_enrols_watches_completes_and_sees_the_jp(page):
    failed = failed_responses(page)
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
    budi_signs_in(page, typed_nip="19860926 201505 1 001")  # an NIP typed with spaces is accepted

    # Find the course in the catalogue with a search.
    assert_header_fits_one_row(page)
    page.get_by_role("link", name="Katalog", exact=True).first.click()
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
    expect(page.locator(".lesson-position")).to_have_text("Modul 1 · Materi 1 dari 2")
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

    expect(page.locator(".enrolment-card")).to_contain_text("Kursus selesai")
    expect(page.locator(".enrolment-card")).not_to_contain_text("Selesai Selesai")

    # Kursus Saya shows the JP earned this year and the course in its own completed section.
    page.get_by_role("link", name="Kursus Saya").click()
    expect(page.locator(".jp-card")).to_contain_text("4 / 20 JP")
    completed = page.locator("#selesai")
    expect(completed).to_contain_text("Pelayanan Publik Prima")
    expect(completed).to_contain_text("Selesai pada")
    expect(completed).to_contain_text("4 JP tercatat")
    expect(page.locator("#kursus-saya")).to_contain_text("semua kursus yang Anda ikuti sudah selesai")
    assert_header_fits_one_row(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling on a phone
    assert Enrolment.objects.get(course=tree.course).progress_status == "completed"
    assert JPCredit.objects.get().jp == 4
    assert second.pk in LessonProgress.objects.filter(completed_at__isnull=False).values_list("lesson_id", flat=True)
    assert failed == []  # no 404 for a favicon or anything else


def test_learner_takes_the_pre_test_then_the_modules_then_the_post_test(page):
    from decimal import Decimal

    from tests.quizzes.factories import quiz_page, true_false

    tree = build_course(title="Pelayanan Publik Prima", modules=1, lessons_per_module=1, jp_value=4)
    pre = quiz_page(tree.course, [true_false()], title="Pre-test Prima", quiz_role="pretest", required=False)
    quiz_page(tree.course, [true_false()], title="Post-test Prima", quiz_role="posttest", pass_mark=Decimal("60"))
    budi_signs_in(page, typed_nip="198609262015051001")
    page.goto(tree.course.url)
    page.get_by_role("button", name="Daftar").click()

    outline = page.locator(".outline")
    titles = outline.locator(".outline-item-title, .outline-item a, .outline-module-title")
    expect(titles.first).to_contain_text("Pre-test Prima")  # listed first though added last
    expect(titles.last).to_contain_text("Post-test Prima")
    expect(outline).to_contain_text("Kerjakan pre-test “Pre-test Prima” terlebih dahulu")
    expect(page.locator(".outline .icon-lock").first).to_be_visible()
    box = page.locator(".outline .icon-lock").first.bounding_box()
    assert box["width"] >= 10 and box["height"] >= 10  # drawn, not an empty glyph box
    expect(page.get_by_role("link", name="Materi 1.1", exact=True)).to_have_count(0)

    # Take the pre-test (wrong answer: the pre-test need not be passed).
    page.get_by_role("link", name=re.compile("Mulai belajar")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pre-test Prima")
    page.get_by_role("button", name="Mulai kuis").click()
    page.get_by_label("Salah").check()
    page.get_by_role("button", name="Selesaikan percobaan…").click()
    page.get_by_role("button", name="Kirim dan selesai").click()
    expect(page.get_by_text("Pre-test Prima").first).to_be_visible()
    assert pre.attempts.filter(submitted_at__isnull=False).exists()

    page.goto(tree.course.url)
    expect(page.get_by_role("link", name="Materi 1.1", exact=True)).to_be_visible()
    expect(outline).to_contain_text("Post-test terbuka setelah semua modul selesai.")
    page.get_by_role("link", name="Materi 1.1", exact=True).click()
    page.get_by_role("button", name="Tandai selesai").click()
    page.goto(tree.course.url)
    expect(page.get_by_role("link", name="Post-test Prima", exact=True)).to_be_visible()
