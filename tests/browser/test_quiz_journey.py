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


def _sign_in(page, user, base_url):
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])


def test_two_tabs_on_one_attempt_the_stale_tab_shows_the_saved_answer_and_says_so(page, live_server):
    """Tab B's save loses to tab A's (409 stale): B must not say "all saved"; it shows A's answer, says what
    happened, and its next change saves."""
    course, module = course_with_module()
    questions = [
        make_question("truefalse", correct_true=True, text="<p>PNS wajib 20 JP per tahun.</p>"),
        make_question("shortanswer", [{"text": "Jambi", "credit": 100}], text="<p>Ibu kota provinsi?</p>"),
    ]
    quiz = quiz_page(module, questions, title="Kuis Dua Tab", questions_per_page=0)
    learner = enrolled_learner(course, username="dua-tab")
    _sign_in(page, learner, live_server.url)
    page.goto(quiz.url)
    page.get_by_role("button", name="Mulai kuis").click()
    page.wait_for_url(re.compile(r"/kuis/percobaan/\d+/"))
    tab_b = page.context.new_page()
    tab_b.goto(page.url)  # the same attempt, open in a second tab before either saved
    replies_b = []
    tab_b.on("response", lambda response: replies_b.append(response) if "/simpan/" in response.url else None)

    status_a, status_b = page.locator("#save-status"), tab_b.locator("#save-status")
    page.get_by_label("Benar").check()
    expect(status_a).to_contain_text("Semua jawaban tersimpan")

    # Tab B still shows the page as it was loaded: its save carries the number tab A just used, so the
    # server answers "stale" with that very number (which the script used to take for "saved").
    # click(), not check(): the script may put the server's answer back before Playwright looks, and
    # check() would then report that the click "did not change the state" (which is the point here).
    tab_b.get_by_label("Salah").click()
    expect(status_b).to_contain_text("Soal 1 dijawab di jendela lain: periksa kembali.")
    note_b = tab_b.locator('fieldset[data-slot="1"] .reloaded-note')
    expect(note_b).to_have_text(
        "Jawaban yang tersimpan dari jendela lain ditampilkan di sini; jawaban di jendela ini tidak tersimpan."
    )
    expect(status_b).not_to_contain_text("Semua jawaban tersimpan")
    expect(tab_b.get_by_label("Benar")).to_be_checked()  # the server's answer, shown
    assert len(replies_b) == 1 and replies_b[0].status == 409
    assert replies_b[0].json()["status"] == "stale" and replies_b[0].json()["seq"] == 1  # tab B's own number
    expect(tab_b.locator('fieldset[data-slot="1"]')).to_have_class(re.compile("is-reloaded"))
    tab_b.get_by_label("Jawaban Anda").fill("Muaro Jambi")
    tab_b.get_by_label("Jawaban Anda").blur()
    expect(note_b).to_be_visible()  # question 1 was not sent again: its note stays
    # Tab B resynchronised its number after the first refusal, so this save is accepted.
    expect(status_b).to_contain_text("Semua jawaban tersimpan")
    attempt = Attempt.objects.get(user=learner)
    slots = {slot.number: slot.response for slot in attempt.slots.all()}
    assert slots == {1: True, 2: "Muaro Jambi"}

    # Now tab A is the stale one: its next save is refused and it shows tab B's short answer.
    page.get_by_label("Jawaban Anda").fill("Kota Jambi")
    page.get_by_label("Jawaban Anda").blur()
    expect(status_a).to_contain_text("Soal 2 dijawab di jendela lain: periksa kembali.")
    expect(page.locator('fieldset[data-slot="2"] .reloaded-note')).to_be_visible()
    expect(page.get_by_label("Jawaban Anda")).to_have_value("Muaro Jambi")
    page.screenshot(path="/tmp/quiz/two-tabs-stale.png", full_page=True)
    # Choosing again in the stale tab saves (the learner decides), and no tab ever lied about it.
    page.get_by_label("Salah").check()
    expect(status_a).to_contain_text("Semua jawaban tersimpan")
    attempt.refresh_from_db()
    assert {slot.number: slot.response for slot in attempt.slots.all()} == {1: False, 2: "Muaro Jambi"}
    tab_b.close()


def test_trainer_finds_questions_with_search_and_filters_and_adds_several_at_once(page, live_server):
    """The quiz editor's "add question" opens the chooser in multiple mode: search, filter, tick, confirm."""
    from courses.permissions import grant_course_page_permissions
    from people.roles import PENGAJAR
    from tests.factories import UserFactory
    from tests.quizzes.factories import ethics_bank

    questions = ethics_bank()
    ethics, integrity = questions["ethics"], questions["integrity"]
    bank = [
        questions["nilai"],
        questions["gratifikasi"],
        make_question(
            "essay",
            name="Konflik kepentingan",
            text="<p>Jelaskan konflik kepentingan.</p>",
            category=integrity,
            tags=["kpk"],
        ),
    ]
    bank += [
        make_question("shortanswer", [{"text": "Jambi", "credit": 100}], name=f"Geografi {n}", category=ethics)
        for n in range(1, 6)
    ]
    course, module = course_with_module()
    grant_course_page_permissions()
    quiz = quiz_page(module, [], title="Kuis Integritas")
    trainer = UserFactory(roles=[PENGAJAR])
    course.trainers.add(trainer)  # a trainer edits only the courses that name them
    course.save()
    page.set_viewport_size({"width": 1366, "height": 900})
    _sign_in(page, trainer, live_server.url)
    page.goto(f"/admin/pages/{quiz.pk}/edit/")
    page.locator("#id_quiz_questions-OPEN_MODAL").click()
    modal = page.locator(".modal-content")
    expect(modal.get_by_text("Gratifikasi")).to_be_visible()
    expect(modal.locator("tbody tr")).to_have_count(8)
    rows = modal.locator("tbody tr")

    def refreshed(action):
        """Run a search or filter and wait for the chooser's results reply, so no late reply of an earlier
        search can replace the rows afterwards."""
        with page.expect_response(lambda response: "/choose/quizzes/question/results/" in response.url):
            action()

    refreshed(lambda: modal.locator("#id_q").fill("hadiah"))
    expect(rows).to_have_count(1)
    refreshed(lambda: modal.locator("#id_q").fill(""))
    expect(rows).to_have_count(8)
    refreshed(lambda: modal.locator("select[name=category]").select_option(label="— Integritas"))
    expect(rows).to_have_count(2)
    refreshed(lambda: modal.locator("select[name=qtype]").select_option("essay"))
    expect(rows).to_have_count(1)
    refreshed(lambda: modal.locator("select[name=qtype]").select_option(""))
    refreshed(lambda: modal.locator("select[name=tag]").select_option(label="kpk"))
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="Gratifikasi")).to_contain_text("Benar/salah")
    rows.filter(has_text="Gratifikasi").locator("[data-multiple-choice-select]").check()
    rows.filter(has_text="Konflik kepentingan").locator("[data-multiple-choice-select]").check()
    page.screenshot(path="/tmp/quiz/question-chooser.png")
    modal.locator("[data-multiple-choice-submit]").click()
    forms = page.locator("#id_quiz_questions-FORMS")
    expect(forms).to_contain_text("Gratifikasi")
    expect(forms).to_contain_text("Konflik kepentingan")
    chosen = sorted(
        int(value)
        for value in page.locator('#id_quiz_questions-FORMS input[type="hidden"][name$="-question"]').evaluate_all(
            "els => els.map(e => e.value)"
        )
    )
    assert chosen == sorted([bank[1].pk, bank[2].pk])
    # Leave the editor while the server still runs: its editing-session release request lands now.
    page.goto(f"/admin/kuis/{quiz.pk}/hasil/")
    expect(page.locator("h1")).to_contain_text("Kuis Integritas")
