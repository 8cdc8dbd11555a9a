"""Learner pages: the intro, the attempt page (restores saved answers), saving, submitting, the review
options, no answer key before review allows it, other learners' attempts are 404, and query counts."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quizzes import services
from quizzes.models import Attempt, AttemptState
from tests.quizzes.factories import (
    course_with_module,
    enrolled_learner,
    make_question,
    quiz_page,
    single_choice,
    true_false,
)

pytestmark = pytest.mark.django_db

SECRETS = [
    "RAHASIA-UMPAN",
    "RAHASIA-UMUM",
    "RAHASIA-KUNCI",
    "RAHASIA-PANDUAN",
    "314159",
    "RAHASIA-BENAR",
    "RAHASIA-SALAH",
]


def secret_questions():
    """One question of each type, with every key, credit and feedback marked RAHASIA (secret)."""
    common = {"general_feedback": "RAHASIA-UMUM"}
    return [
        make_question(
            "single",
            [
                {"text": "Pilihan A", "credit": 100, "feedback": "RAHASIA-UMPAN"},
                {"text": "Pilihan B", "credit": 0, "feedback": "RAHASIA-UMPAN"},
            ],
            **common,
        ),
        make_question(
            "multiple",
            [
                {"text": "M1", "credit": 50, "feedback": "RAHASIA-UMPAN"},
                {"text": "M2", "credit": 50},
                {"text": "M3", "credit": -100},
            ],
            **common,
        ),
        make_question(
            "truefalse", correct_true=False, true_feedback="RAHASIA-BENAR", false_feedback="RAHASIA-SALAH", **common
        ),
        make_question("shortanswer", [{"text": "RAHASIA-KUNCI", "credit": 100, "feedback": "RAHASIA-UMPAN"}], **common),
        make_question("numerical", [{"text": "314159", "credit": 100, "tolerance": 1}], **common),
        make_question(
            "matching",
            [
                {"text": "P1", "match_text": "J1"},
                {"text": "P2", "match_text": "J2"},
                {"text": "P3", "match_text": "J3"},
            ],
            **common,
        ),
        make_question("ordering", [{"text": "U1"}, {"text": "U2"}, {"text": "U3"}, {"text": "U4"}], **common),
        make_question("essay", grader_info="RAHASIA-PANDUAN", **common),
    ]


@pytest.fixture
def setup(client):
    course, module = course_with_module()
    questions = secret_questions()
    quiz = quiz_page(
        module,
        questions,
        shuffle_options=True,
        review_right_answers=True,
        review_timing="after_close",
        close_at=timezone.now() + timedelta(days=1),
    )
    learner = enrolled_learner(course)
    client.force_login(learner)
    return quiz, learner, questions


def start(client, quiz) -> Attempt:
    response = client.post(reverse("quiz_start", args=[quiz.pk]))
    assert response.status_code == 302
    return Attempt.objects.latest("pk")


def assert_no_secrets(text: str, questions):
    for secret in SECRETS:
        assert secret not in text
    # No option id, no credit: the browser only gets display positions.
    option_ids = {str(option.pk) for question in questions for option in question.options.all()}
    values = set(re.findall(r'value="([^"]*)"', text))
    assert not ({value for value in values if value.isdigit() and int(value) > 20} & option_ids)
    assert "credit" not in text and "fraction" not in text


def test_answer_keys_never_reach_the_browser_before_review(client, setup):
    quiz, learner, questions = setup
    intro = client.get(quiz.url)
    assert intro.status_code == 200
    assert_no_secrets(intro.content.decode(), questions)
    attempt = start(client, quiz)
    page = client.get(reverse("quiz_attempt", args=[attempt.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "Soal 8" in html
    assert_no_secrets(html, questions)
    # The ordering items are shown in the attempt's stored (shuffled) order, which says nothing of the key.
    slot = attempt.slots.get(number=7)
    texts = {option["id"]: option["text"] for option in slot.version.data["options"]}
    positions = [html.index(f">{texts[item_id]}<") for item_id in slot.layout["items"]]
    assert positions == sorted(positions)
    # Saving answers: the JSON reply says only whether it was saved.
    save = client.post(
        reverse("quiz_save", args=[attempt.pk]),
        {"seq": 1, "slots": [1, 4, 8], "q1": 0, "q4": "x", "q8": "Esai saya"},
        HTTP_ACCEPT="application/json",
    )
    assert save.json() == {"status": "saved", "seq": 1, "saved": [1, 4, 8]}
    summary = client.get(reverse("quiz_summary", args=[attempt.pk]))
    assert_no_secrets(summary.content.decode(), questions)
    # Submitted, but the review opens only after the quiz closes: the score only.
    review = client.post(reverse("quiz_submit", args=[attempt.pk]), follow=True)
    text = review.content.decode()
    assert "Menunggu pengajar menilai esai" in text
    assert_no_secrets(text, questions)


def test_review_shows_feedback_and_right_answers_once_the_quiz_closes(client, setup):
    quiz, learner, _questions = setup
    attempt = start(client, quiz)
    client.post(reverse("quiz_save", args=[attempt.pk]), {"seq": 1, "slots": [1, 3], "q1": 0, "q3": 1})
    client.post(reverse("quiz_submit", args=[attempt.pk]))
    quiz.close_at = timezone.now() - timedelta(minutes=1)
    quiz.save()
    text = client.get(reverse("quiz_review", args=[attempt.pk])).content.decode()
    assert "RAHASIA-UMUM" in text  # general feedback
    assert "RAHASIA-BENAR" in text  # the learner answered "true": its feedback
    assert "RAHASIA-KUNCI" in text  # right answers are shown (review_right_answers)
    assert "RAHASIA-PANDUAN" not in text  # grader information never goes to learners


def test_review_can_show_the_score_only(client):
    course, module = course_with_module()
    quiz = quiz_page(
        module,
        [single_choice(general_feedback="RAHASIA-UMUM")],
        review_correctness=False,
        review_feedback=False,
        review_right_answers=False,
    )
    learner = enrolled_learner(course)
    client.force_login(learner)
    attempt = start(client, quiz)
    response = client.post(reverse("quiz_submit", args=[attempt.pk]), follow=True)
    text = response.content.decode()
    assert 'id="attempt-score"' in text
    assert "RAHASIA-UMUM" not in text and "Pilihan" not in text and "Benar" not in text.split("attempt-score")[1]


def test_the_attempt_page_restores_saved_answers_after_a_reload(client):
    course, module = course_with_module()
    quiz = quiz_page(
        module, [single_choice(), true_false(), make_question("shortanswer", [{"text": "Jambi", "credit": 100}])]
    )
    client.force_login(enrolled_learner(course))
    attempt = start(client, quiz)
    client.post(
        reverse("quiz_save", args=[attempt.pk]), {"seq": 1, "slots": [1, 2, 3], "q1": 2, "q2": 0, "q3": "Muaro Jambi"}
    )
    html = client.get(reverse("quiz_attempt", args=[attempt.pk])).content.decode()
    assert re.search(r'name="q1" value="2" checked', html)
    assert re.search(r'name="q2" value="0" checked', html)
    assert 'value="Muaro Jambi"' in html
    assert "3 dari 3 terjawab" in html or "3 of 3 answered" in html


def test_form_navigation_saves_and_moves_between_pages_without_javascript(client):
    course, module = course_with_module()
    quiz = quiz_page(module, [true_false() for _ in range(4)], questions_per_page=2)
    client.force_login(enrolled_learner(course))
    attempt = start(client, quiz)
    response = client.post(
        reverse("quiz_save", args=[attempt.pk]), {"seq": 1, "slots": [1, 2], "q1": 1, "q2": 0, "goto": 1}
    )
    assert response.status_code == 302 and response["Location"].endswith("?halaman=1")
    page = client.get(response["Location"]).content.decode()
    assert "Soal 3" in page and "Soal 1" not in page.split("question-nav")[0]
    # Pressing "back" in the browser and posting the old page again is stale: nothing changes.
    stale = client.post(reverse("quiz_save", args=[attempt.pk]), {"seq": 1, "slots": [1], "q1": 0, "goto": 1})
    assert stale.status_code == 302
    assert Attempt.objects.get(pk=attempt.pk).slots.get(number=1).response is True
    finish = client.post(reverse("quiz_save", args=[attempt.pk]), {"seq": 2, "slots": [3, 4], "finish": "1"})
    assert finish["Location"] == reverse("quiz_summary", args=[attempt.pk])


def test_sequential_navigation_cannot_go_back(client):
    course, module = course_with_module()
    quiz = quiz_page(module, [true_false() for _ in range(4)], questions_per_page=2, navigation="sequential")
    learner = enrolled_learner(course)
    client.force_login(learner)
    attempt = start(client, quiz)
    client.post(reverse("quiz_save", args=[attempt.pk]), {"seq": 1, "slots": [1, 2], "q1": 1, "goto": 1})
    html = client.get(reverse("quiz_attempt", args=[attempt.pk]) + "?halaman=0").content.decode()
    assert "Soal 3" in html and 'name="q1"' not in html
    client.post(reverse("quiz_save", args=[attempt.pk]), {"seq": 2, "slots": [1], "q1": 0})
    assert Attempt.objects.get(pk=attempt.pk).slots.get(number=1).response is True


def test_another_learners_attempt_is_404_and_state_changes_need_post(client):
    course, module = course_with_module()
    quiz = quiz_page(module, [true_false()])
    owner = enrolled_learner(course)
    attempt = services.attempt_start(quiz=quiz, user=owner)
    client.force_login(enrolled_learner(course))
    for name in ("quiz_attempt", "quiz_review", "quiz_summary"):
        assert client.get(reverse(name, args=[attempt.pk])).status_code == 404
    for name in ("quiz_save", "quiz_submit"):
        assert client.post(reverse(name, args=[attempt.pk]), {"seq": 1}).status_code == 404
    client.force_login(owner)
    assert client.get(reverse("quiz_submit", args=[attempt.pk])).status_code == 405
    assert client.get(reverse("quiz_start", args=[quiz.pk])).status_code == 405


def test_not_enrolled_learner_sees_the_rules_but_cannot_start(client):
    course, module = course_with_module()
    quiz = quiz_page(module, [true_false()])
    client.force_login(enrolled_learner(None))
    page = client.get(quiz.url).content.decode()
    assert "Daftar" in page or "Enrol" in page
    response = client.post(reverse("quiz_start", args=[quiz.pk]), follow=True)
    assert not Attempt.objects.exists()
    assert response.status_code == 200


def test_an_expired_attempt_is_submitted_on_the_next_request(client):
    course, module = course_with_module()
    quiz = quiz_page(module, [true_false()], time_limit_minutes=1)
    client.force_login(enrolled_learner(course))
    attempt = start(client, quiz)
    client.post(reverse("quiz_save", args=[attempt.pk]), {"seq": 1, "slots": [1], "q1": 1})
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=5))
    response = client.get(reverse("quiz_attempt", args=[attempt.pk]))
    assert response["Location"] == reverse("quiz_review", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.FINISHED and attempt.auto_submitted and attempt.raw_mark == 1


def test_stale_autosave_answers_409_with_the_current_sequence(client):
    course, module = course_with_module()
    quiz = quiz_page(module, [true_false()])
    client.force_login(enrolled_learner(course))
    attempt = start(client, quiz)
    url = reverse("quiz_save", args=[attempt.pk])
    for seq in (1, 2, 3):
        assert client.post(url, {"seq": seq, "slots": [1], "q1": 1}, HTTP_ACCEPT="application/json").status_code == 200
    stale = client.post(url, {"seq": 2, "slots": [1], "q1": 0}, HTTP_ACCEPT="application/json")
    assert stale.status_code == 409 and stale.json()["status"] == "stale" and stale.json()["seq"] == 3
    assert stale.json()["message"]
    # The reply carries what the server holds for that question, as the page's own form fields.
    assert stale.json()["answers"] == {"1": {"q1": ["1"]}}


# --- query budgets --------------------------------------------------------------------------------


def _quiz_with(n: int):
    course, module = course_with_module()
    questions = [single_choice() if i % 2 else true_false() for i in range(n)]
    quiz = quiz_page(module, questions, questions_per_page=0, shuffle_options=True)
    learner = enrolled_learner(course)
    return quiz, learner


def _count(callable_):
    with CaptureQueriesContext(connection) as queries:
        response = callable_()
    return len(queries), response


# The attempt page: 7 with the header bell's unread COUNT (notifications/), 6 before it.
@pytest.mark.parametrize("budget", [{"intro": 23, "page": 7, "save": 7}])
def test_quiz_intro_attempt_page_and_save_take_a_fixed_number_of_queries(client, budget):
    counts = {}
    for n in (5, 50):
        quiz, learner = _quiz_with(n)
        client.force_login(learner)
        for _previous in range(n // 10):  # 0 or 5 earlier attempts on the intro page
            services.attempt_submit(attempt_id=services.attempt_start(quiz=quiz, user=learner).pk, user=learner)
        client.get(quiz.url)  # warm per-process caches (content types) so both runs are comparable
        intro_queries, response = _count(lambda quiz=quiz: client.get(quiz.url))
        assert response.status_code == 200
        attempt = start(client, quiz)
        url = reverse("quiz_attempt", args=[attempt.pk])
        page_queries, response = _count(lambda url=url: client.get(url))
        assert response.status_code == 200
        save_url = reverse("quiz_save", args=[attempt.pk])
        save_queries, response = _count(
            lambda save_url=save_url: client.post(
                save_url, {"seq": 1, "slots": [1], "q1": 0}, HTTP_ACCEPT="application/json"
            )
        )
        assert response.status_code == 200
        counts[n] = (intro_queries, page_queries, save_queries)
    assert counts[5] == counts[50], counts  # flat: independent of the number of questions and attempts
    intro_queries, page_queries, save_queries = counts[50]
    assert intro_queries <= budget["intro"], counts
    assert page_queries <= budget["page"], counts
    assert save_queries <= budget["save"], counts


def test_submitting_50_questions_takes_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    quiz, learner = _quiz_with(50)
    client.force_login(learner)
    attempt = start(client, quiz)
    fields = {"seq": 1, "slots": list(range(1, 51))}
    fields.update({f"q{n}": 0 for n in range(1, 51)})
    client.post(reverse("quiz_save", args=[attempt.pk]), fields)
    with django_assert_max_num_queries(40):
        response = client.post(reverse("quiz_submit", args=[attempt.pk]))
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.FINISHED and attempt.max_mark == Decimal("50")


def test_learner_quiz_pages_stay_small(client):
    import gzip
    from pathlib import Path

    from django.conf import settings

    quiz, learner = _quiz_with(20)
    client.force_login(learner)
    attempt = start(client, quiz)
    html = client.get(reverse("quiz_attempt", args=[attempt.pk])).content
    static = Path(settings.BASE_DIR)
    assets = [
        static / "lms/static/lms/css/site.css",
        static / "quizzes/static/quizzes/css/quizzes.css",
        static / "quizzes/static/quizzes/js/attempt.js",
    ]
    total = len(gzip.compress(html)) + sum(len(gzip.compress(path.read_bytes())) for path in assets)
    assert total < 100 * 1024


def test_the_quiz_page_submits_an_expired_attempt_when_the_learner_comes_back(client):
    course, module = course_with_module()
    quiz = quiz_page(module, [true_false()], time_limit_minutes=1)
    client.force_login(enrolled_learner(course))
    attempt = start(client, quiz)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=5))
    html = client.get(quiz.url).content.decode()
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.FINISHED and attempt.auto_submitted
    assert "Lanjutkan percobaan" not in html and "Mulai percobaan baru" in html


def test_the_course_page_shows_the_learners_grade_beside_the_quiz(client):
    course, module = course_with_module()
    quiz = quiz_page(module, [single_choice(), true_false()], shuffle_questions=False, pass_mark=Decimal("60"))
    learner = enrolled_learner(course)
    client.force_login(learner)

    def quiz_entry() -> str:
        html = client.get(course.url).content.decode()
        items = re.findall(r'<li class="outline-item.*?</li>', html, flags=re.S)
        return next(item for item in items if "Kuis Modul 1" in item)

    assert "Nilai Anda" not in quiz_entry()  # nothing graded yet
    attempt = start(client, quiz)
    client.post(reverse("quiz_save", args=[attempt.pk]), {"seq": 1, "slots": [1, 2], "q1": 0, "q2": 0})
    client.post(reverse("quiz_submit", args=[attempt.pk]))
    entry = quiz_entry()
    assert "Nilai Anda: 50, belum lulus" in entry and "Selesai" not in entry

    attempt = start(client, quiz)
    client.post(reverse("quiz_save", args=[attempt.pk]), {"seq": 1, "slots": [1, 2], "q1": 0, "q2": 1})
    client.post(reverse("quiz_submit", args=[attempt.pk]))
    entry = quiz_entry()
    assert "Nilai Anda: 100" in entry and "belum lulus" not in entry and "Selesai" in entry
