"""The review of a submitted attempt, for every question type the bank supports, as the learner sees it
and in the trainer's attempt view: each shows the learner's own response. And the staff attempt view's
rules: one's own attempt follows the learner review rules, an attempt in progress shows no key to anyone."""

import random
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.permissions import grant_course_page_permissions
from people.roles import PENGAJAR, PESERTA, SUPERVISOR
from quizzes import responses
from quizzes.models import Attempt, QuestionType
from tests.factories import ASNProfileFactory, UnitFactory, UserFactory
from tests.quizzes.factories import course_with_module, enrolled_learner, make_question, quiz_page

pytestmark = pytest.mark.django_db

SHORT = "Kota Jambi Seberang"
NUMBER = "42,5"
ESSAY_LINES = ["Pelayanan publik yang prima", "dimulai dari sikap melayani."]


def every_type():
    """One question of each type the bank supports, in QuestionType order, none authored with the
    learner's answers below (so finding them on the page proves the response is shown)."""
    return [
        make_question("single", [{"text": "Opsi Alfa", "credit": 100}, {"text": "Opsi Beta"}]),
        make_question(
            "multiple", [{"text": "Ganda A", "credit": 50}, {"text": "Ganda B", "credit": 50}, {"text": "Ganda C"}]
        ),
        make_question("truefalse", correct_true=False),
        make_question("shortanswer", [{"text": "Jambi", "credit": 100}]),
        make_question("numerical", [{"text": "20", "credit": 100}]),
        make_question(
            "matching",
            [
                {"text": "Kerinci", "match_text": "Sungai Penuh"},
                {"text": "Bungo", "match_text": "Muara Bungo"},
                {"text": "Merangin", "match_text": "Bangko"},
            ],
        ),
        make_question("ordering", [{"text": "Satu"}, {"text": "Dua"}, {"text": "Tiga"}]),
        make_question("essay", grader_info="Panduan penilai"),
    ]


def test_the_fixture_covers_every_question_type():
    assert [question.qtype for question in every_type()] == list(QuestionType.values)


def _answers(attempt: Attempt) -> dict:
    """Form fields answering every question of the attempt, read from its stored layouts."""
    slots = {slot.version.data["type"]: slot for slot in attempt.slots.select_related("version")}
    fields = {"seq": 1, "slots": [slot.number for slot in slots.values()]}

    def position(slot, key, option_text):
        options = {option["id"]: option for option in slot.version.data["options"]}
        return next(i for i, option_id in enumerate(slot.layout[key]) if options[option_id]["text"] == option_text)

    fields[f"q{slots['single'].number}"] = position(slots["single"], "options", "Opsi Beta")
    multiple = slots["multiple"]
    fields[f"q{multiple.number}"] = [position(multiple, "options", "Ganda A"), position(multiple, "options", "Ganda C")]
    fields[f"q{slots['truefalse'].number}"] = 1
    fields[f"q{slots['shortanswer'].number}"] = SHORT
    fields[f"q{slots['numerical'].number}"] = NUMBER
    fields[f"q{slots['essay'].number}"] = "\n".join(ESSAY_LINES)
    matching = slots["matching"]
    prompts = {option["id"]: option["text"] for option in matching.version.data["options"]}
    # Every prompt gets "Bangko" (right for Merangin only).
    for index, prompt_id in enumerate(matching.layout["prompts"]):
        assert prompts[prompt_id]
        fields[f"q{matching.number}-{index}"] = matching.layout["answers"].index("Bangko")
    ordering = slots["ordering"]
    texts = {option["id"]: option["text"] for option in ordering.version.data["options"]}
    wanted = {"Satu": 3, "Dua": 1, "Tiga": 2}
    for index, item_id in enumerate(ordering.layout["items"]):
        fields[f"q{ordering.number}-{index}"] = wanted[texts[item_id]]
    return fields, {qtype: slot.number for qtype, slot in slots.items()}


@pytest.fixture
def submitted(client):
    course, module = course_with_module()
    grant_course_page_permissions()
    quiz = quiz_page(module, every_type(), shuffle_options=True, review_right_answers=True)
    learner = enrolled_learner(course)
    client.force_login(learner)
    client.post(reverse("quiz_start", args=[quiz.pk]))
    attempt = Attempt.objects.get(user=learner)
    fields, numbers = _answers(attempt)
    saved = client.post(reverse("quiz_save", args=[attempt.pk]), fields, HTTP_ACCEPT="application/json")
    assert saved.json()["status"] == "saved"
    client.post(reverse("quiz_submit", args=[attempt.pk]))
    return quiz, learner, attempt, numbers


def _sections(html: str, pattern: str) -> list[str]:
    return re.findall(pattern + r"(.*?)</section>", html, flags=re.S)


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)).strip()


def _assert_own_responses(sections: dict[str, str], *, chosen_marker: str, position_word: str):
    single, multiple, truefalse = sections["single"], sections["multiple"], sections["truefalse"]
    assert re.search(chosen_marker % "Opsi Beta", single), single
    assert not re.search(chosen_marker % "Opsi Alfa", single)
    assert re.search(chosen_marker % "Ganda A", multiple) and re.search(chosen_marker % "Ganda C", multiple)
    assert not re.search(chosen_marker % "Ganda B", multiple)
    assert re.search(chosen_marker % "Benar", truefalse), truefalse
    assert SHORT in _text(sections["shortanswer"])
    assert NUMBER in _text(sections["numerical"])
    essay = sections["essay"]
    assert "<br>".join(ESSAY_LINES) in essay  # line breaks kept
    matching = _text(sections["matching"])
    for prompt in ("Kerinci", "Bungo", "Merangin"):
        assert f"{prompt} → Bangko" in matching
    ordering = _text(sections["ordering"])
    for item, place in (("Satu", 3), ("Dua", 1), ("Tiga", 2)):
        assert f"{item}: {position_word}{place}" in ordering, ordering
    for qtype, section in sections.items():
        assert "–" not in _text(section), (qtype, _text(section))  # every question was answered


def test_the_learner_review_shows_their_own_response_to_every_type(client, submitted):
    _quiz, _learner, attempt, numbers = submitted
    html = client.get(reverse("quiz_review", args=[attempt.pk])).content.decode()
    assert ": urutan –" not in html
    by_number = dict(re.findall(r'aria-labelledby="q(\d+)-head">(.*?)</section>', html, flags=re.S))
    sections = {qtype: by_number[str(number)] for qtype, number in numbers.items()}
    _assert_own_responses(
        sections, chosen_marker=r'class="is-chosen">\s*<span[^>]*>[^<]*</span>\s*%s\b', position_word="urutan "
    )


def test_the_trainers_attempt_view_shows_the_learners_response_to_every_type(client, submitted):
    quiz, _learner, attempt, numbers = submitted
    trainer = _named_on_course_of(quiz, UserFactory(roles=[PENGAJAR]))
    client.force_login(trainer)
    assert quiz.permissions_for_user(trainer).can_edit()
    html = client.get(_admin_url(attempt)).content.decode()
    assert ": urutan –" not in html and "urutan –" not in html
    ordered = _sections(html, r'<section class="w-mt-6">')
    assert len(ordered) == 8
    sections = {qtype: ordered[number - 1] for qtype, number in numbers.items()}
    _assert_own_responses(sections, chosen_marker=r"<strong>%s</strong> \(dipilih\)", position_word="")
    assert "Jawaban benar" in html  # someone else's submitted attempt: the trainer sees the key


def _admin_url(attempt):
    return reverse("quizzes_admin:attempt", args=[attempt.pk])


def test_no_response_key_is_named_like_a_dict_method():
    """Templates look ``q.items`` up as the dict's method when the key is missing: the ": urutan –" bug."""
    reserved = set(dir(dict))
    for question in every_type():
        data = question.current_version.data
        layout = responses.build_layout(data, shuffle=True, rng=random.Random(1))
        full = responses.Reveal(correctness=True, feedback=True, right_answers=True, marks=True)
        for reveal in (responses.HIDDEN, full):
            view = responses.present(number=1, data=data, layout=layout, response=None, prefix="q1", reveal=reveal)
            assert not (set(view) & reserved), (question.qtype, set(view) & reserved)


# --- staff attempt views: own attempts and attempts in progress ----------------------------------


@pytest.fixture
def staff_learner_world(client):
    """A Supervisor who is also a Peserta, enrolled in a course whose quiz shows no right answers."""
    course, module = course_with_module()
    grant_course_page_permissions()
    questions = [
        make_question("shortanswer", [{"text": "KUNCI-RAHASIA", "credit": 100, "feedback": "UMPAN-RAHASIA"}]),
        make_question("single", [{"text": "Pilihan Kunci", "credit": 100}, {"text": "Pilihan Lain"}]),
    ]
    quiz = quiz_page(
        module,
        questions,
        review_right_answers=False,
        review_feedback=False,
        review_correctness=False,
    )
    unit = UnitFactory(name="Dinas Kesehatan")
    profile = ASNProfileFactory(user=UserFactory(roles=[SUPERVISOR, PESERTA]), unit=unit)
    profile.supervised_units.add(unit)
    from courses.services import enrolment_create

    enrolment_create(user=profile.user, course=course)
    return quiz, profile.user, unit, course


def _start_and_answer(client, quiz, user, *, submit: bool) -> Attempt:
    client.force_login(user)
    client.post(reverse("quiz_start", args=[quiz.pk]))
    attempt = Attempt.objects.get(user=user, quiz=quiz)
    client.post(reverse("quiz_save", args=[attempt.pk]), {"seq": 1, "slots": [1], "q1": "tebakan saya"})
    if submit:
        client.post(reverse("quiz_submit", args=[attempt.pk]))
    return attempt


def _assert_no_key(html: str):
    for secret in ("KUNCI-RAHASIA", "UMPAN-RAHASIA", "Jawaban benar", "✓", "✗"):
        assert secret not in html, secret


def test_a_supervisor_learner_cannot_read_the_key_of_their_own_attempt_in_progress(client, staff_learner_world):
    quiz, supervisor, _unit, _course = staff_learner_world
    attempt = _start_and_answer(client, quiz, supervisor, submit=False)
    response = client.get(_admin_url(attempt))
    assert response.status_code == 200  # their own unit: the screen opens, the key does not
    _assert_no_key(response.content.decode())


def test_own_submitted_attempt_follows_the_learner_review_rules(client, staff_learner_world):
    quiz, supervisor, _unit, _course = staff_learner_world
    attempt = _start_and_answer(client, quiz, supervisor, submit=True)
    html = client.get(_admin_url(attempt)).content.decode()
    _assert_no_key(html)  # the quiz shows no right answers, correctness or feedback to learners
    learner_view = client.get(reverse("quiz_review", args=[attempt.pk])).content.decode()
    _assert_no_key(learner_view)
    # Once the quiz shows right answers after closing, and has closed, both views show them.
    quiz.review_right_answers = True
    quiz.review_timing = "after_close"
    quiz.close_at = timezone.now() + timedelta(hours=1)
    quiz.save()
    _assert_no_key(client.get(_admin_url(attempt)).content.decode())
    quiz.close_at = timezone.now() - timedelta(minutes=1)
    quiz.save()
    assert "KUNCI-RAHASIA" in client.get(_admin_url(attempt)).content.decode()
    assert "KUNCI-RAHASIA" in client.get(reverse("quiz_review", args=[attempt.pk])).content.decode()


@pytest.mark.parametrize("viewer_kind", ["admin", "trainer", "supervisor"])
def test_nobody_sees_the_key_of_someone_elses_attempt_in_progress(client, staff_learner_world, viewer_kind):
    quiz, supervisor, unit, course = staff_learner_world
    learner = enrolled_learner(course, unit=unit)
    attempt = _start_and_answer(client, quiz, learner, submit=False)
    viewer = {
        "admin": lambda: UserFactory(is_superuser=True, is_staff=True),
        "trainer": lambda: _named_on_course_of(quiz, UserFactory(roles=[PENGAJAR])),
        "supervisor": lambda: supervisor,
    }[viewer_kind]()
    client.force_login(viewer)
    response = client.get(_admin_url(attempt))
    assert response.status_code == 200
    html = response.content.decode()
    _assert_no_key(html)
    assert "tebakan saya" in html  # the answers so far are there, without marks or key
    # After submission the staff view of someone else's attempt shows the key again.
    client.force_login(learner)
    client.post(reverse("quiz_submit", args=[attempt.pk]))
    client.force_login(viewer)
    html = client.get(_admin_url(attempt)).content.decode()
    assert "KUNCI-RAHASIA" in html and "Jawaban benar" in html


def test_a_trainer_cannot_grade_their_own_essay(client):
    course, module = course_with_module()
    grant_course_page_permissions()
    quiz = quiz_page(module, [make_question("essay", grader_info="PANDUAN-RAHASIA")])
    trainer = UserFactory(roles=[PENGAJAR, PESERTA])
    ASNProfileFactory(user=trainer)
    from courses.services import enrolment_create

    enrolment_create(user=trainer, course=course)
    _named_on_course_of(quiz, trainer)
    attempt = _start_and_answer(client, quiz, trainer, submit=True)  # the essay is question 1
    slot = attempt.slots.get()
    assert quiz.permissions_for_user(trainer).can_edit()
    queue = client.get(reverse("quizzes_admin:grading_queue")).content.decode()
    assert reverse("quizzes_admin:grade_essay", args=[slot.pk]) not in queue
    page = client.get(reverse("quizzes_admin:grade_essay", args=[slot.pk]))
    assert page.status_code == 404 and "PANDUAN-RAHASIA" not in page.content.decode()
    refused = client.post(reverse("quizzes_admin:grade_essay", args=[slot.pk]), {"mark": "1", "comment": ""})
    assert refused.status_code == 404
    slot.refresh_from_db()
    assert slot.mark is None and slot.needs_grading


def _named_on_course_of(quiz, user):
    """Name ``user`` as a trainer of the quiz's course: staff screens are scoped to those courses."""
    from courses.models import CoursePage

    course = CoursePage.objects.ancestor_of(quiz).get()
    course.trainers.add(user)
    course.save()
    return user
