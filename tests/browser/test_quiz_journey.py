"""Journey: a learner takes a timed quiz on a phone, reloads midway and finds their answers, submits, and
sees the grade; the course page then shows the quiz done and the course complete."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from courses.models import Enrolment
from quizzes.models import Attempt
from tests.quizzes.factories import course_with_module, enrolled_learner, make_question, quiz_page

pytestmark = pytest.mark.django_db(transaction=True)
expect.set_options(timeout=30_000)  # a loaded 2-core CI machine can take many seconds per page


def test_learner_takes_a_timed_quiz_reloads_midway_submits_and_sees_the_grade(page):
    course, module = course_with_module(title="Pelayanan Publik Prima")
    questions = [
        make_question(
            "single",
            [{"text": "UU 25/2009", "credit": 100}, {"text": "UU 5/2014"}],
            text="<p>Dasar hukum pelayanan publik?</p>",
        ),
        make_question("shortanswer", [{"text": "Jambi", "credit": 100}], text="<p>Ibu kota provinsi?</p>"),
        make_question("truefalse", correct_true=True, text="<p>PNS wajib 20 JP per tahun.</p>"),
        make_question("numerical", [{"text": "45", "credit": 100}], text="<p>Menit per JP?</p>"),
    ]
    quiz = quiz_page(
        module,
        questions,
        title="Kuis Pelayanan",
        time_limit_minutes=10,
        questions_per_page=2,
        pass_mark=Decimal("75"),
        shuffle_options=False,
    )
    learner = enrolled_learner(course, username="budi")

    page.goto("/masuk/")
    page.get_by_label("NIP atau nama pengguna").fill("budi")
    page.get_by_label("Kata sandi").fill("rahasia-kuat-2026")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/dasbor/")

    page.goto(course.url)
    page.get_by_role("link", name="Kuis Pelayanan", exact=True).click()
    page.wait_for_url(f"**{quiz.url}")
    expect(page.get_by_text("10 menit")).to_be_visible()
    page.get_by_role("button", name="Mulai kuis").click()
    page.wait_for_url(re.compile(r"/kuis/percobaan/\d+/"))

    # The countdown runs from the server's deadline.
    timer = page.locator("#timer-value")
    expect(timer).to_have_text(re.compile(r"^(9|10):\d\d$"))

    status = page.locator("#save-status")
    page.get_by_label("UU 25/2009").check()
    expect(status).to_contain_text("tersimpan")
    page.get_by_label("Jawaban Anda").fill("jambi")
    page.get_by_label("Jawaban Anda").blur()
    expect(status).to_contain_text("tersimpan")
    expect(page.locator('[data-slot-nav="1"]')).to_have_class(re.compile("is-answered"))

    page.reload()  # the connection dropped, or the phone reloaded the tab
    expect(page.get_by_label("UU 25/2009")).to_be_checked()
    expect(page.get_by_label("Jawaban Anda")).to_have_value("jambi")

    page.get_by_role("button", name="Berikutnya").click()
    page.get_by_label("Benar").check()
    page.get_by_label("Jawaban Anda (angka)").fill("45")
    page.get_by_role("button", name="Selesaikan percobaan…").click()
    expect(page.get_by_text("4 dari 4 terjawab")).to_be_visible()
    page.get_by_role("button", name="Kirim dan selesai").click()

    expect(page.locator("#attempt-score")).to_have_text("100")
    expect(page.get_by_text("Lulus", exact=True)).to_be_visible()
    attempt = Attempt.objects.get(user=learner)
    assert attempt.percent == 100 and attempt.passed

    page.goto(quiz.url)
    expect(page.locator("#quiz-grade")).to_have_text("100")
    page.goto(course.url)
    quiz_item = page.locator(".outline-item", has_text="Kuis Pelayanan")
    expect(quiz_item).to_contain_text("Selesai")
    expect(quiz_item).to_contain_text("Nilai Anda: 100")
    assert Enrolment.objects.get(user=learner, course=course).percent == 100
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling on a phone
