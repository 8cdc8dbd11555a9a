"""Attempts: start, save with sequence numbers, submit, time limit, attempt limit, overrides, versions,
grading methods, essays, regrade, and quiz grades feeding course completion."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.http import QueryDict
from django.utils import timezone

from courses.models import Enrolment
from quizzes import services
from quizzes.models import Attempt, AttemptState, QuestionOption, QuizOverride, QuizResult
from tests.quizzes.factories import (
    course_with_module,
    enrolled_learner,
    essay,
    matching,
    multiple_choice,
    numerical,
    ordering,
    quiz_page,
    short_answer,
    single_choice,
    true_false,
)

pytestmark = pytest.mark.django_db


def post(**fields) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in fields.items():
        if isinstance(value, list):
            data.setlist(name, [str(v) for v in value])
        else:
            data[name] = str(value)
    return data


@pytest.fixture
def course_quiz():
    course, module = course_with_module()
    questions = [single_choice(), multiple_choice(), true_false()]
    quiz = quiz_page(module, questions, pass_mark=Decimal("60"))
    learner = enrolled_learner(course)
    return course, quiz, learner, questions


def answer(attempt, learner, seq, **fields):
    numbers = sorted({int(name.split("-")[0][1:]) for name in fields})
    return services.attempt_save(
        attempt_id=attempt.pk, user=learner, seq=seq, post=post(**fields), slot_numbers=numbers
    )


def test_start_builds_the_attempt_from_question_versions(course_quiz):
    _course, quiz, learner, questions = course_quiz
    attempt = services.attempt_start(quiz=quiz, user=learner)
    slots = list(attempt.slots.order_by("number"))
    assert [slot.version_id for slot in slots] == [q.current_version_id for q in questions]
    assert attempt.max_mark == 3
    assert attempt.number == 1 and attempt.state == AttemptState.IN_PROGRESS
    # Starting again (a second tab) returns the same attempt.
    assert services.attempt_start(quiz=quiz, user=learner).pk == attempt.pk
    assert Attempt.objects.count() == 1


def test_a_learner_who_is_not_enrolled_cannot_start():
    course, module = course_with_module()
    quiz = quiz_page(module, [single_choice()])
    outsider = enrolled_learner(None)
    with pytest.raises(services.QuizError):
        services.attempt_start(quiz=quiz, user=outsider)
    assert not Attempt.objects.exists()


def test_save_applies_newer_sequence_numbers_and_rejects_stale_or_replayed_ones(course_quiz):
    _course, quiz, learner, _questions = course_quiz
    attempt = services.attempt_start(quiz=quiz, user=learner)
    assert answer(attempt, learner, 1, q1=0).status == "saved"
    assert answer(attempt, learner, 2, q1=1).status == "saved"
    # The first request arrives again (a retry on a flaky connection): rejected, not applied.
    replay = answer(attempt, learner, 1, q1=0)
    assert replay.status == "stale" and replay.last_seq == 2
    slot = attempt.slots.get(number=1)
    assert slot.response == slot.layout["options"][1]
    # The same request twice: applied once, the second is rejected.
    assert answer(attempt, learner, 3, q2=[0, 1]).status == "saved"
    assert answer(attempt, learner, 3, q2=[0]).status == "stale"
    assert len(attempt.slots.get(number=2).response) == 2


def test_saved_answers_are_graded_on_submit_and_a_double_submit_grades_once(course_quiz):
    course, quiz, learner, questions = course_quiz
    attempt = services.attempt_start(quiz=quiz, user=learner)
    slot1 = attempt.slots.get(number=1)
    right = slot1.layout["options"].index(questions[0].options.get(credit=100).pk)
    answer(attempt, learner, 1, q1=right, q3=1)
    submitted = services.attempt_submit(attempt_id=attempt.pk, user=learner)
    assert submitted.state == AttemptState.FINISHED
    assert submitted.raw_mark == 2 and submitted.percent == Decimal("66.67") and submitted.passed
    graded_at = submitted.graded_at
    again = services.attempt_submit(attempt_id=attempt.pk, user=learner)
    assert again.graded_at == graded_at and again.raw_mark == 2
    result = QuizResult.objects.get(quiz=quiz, user=learner)
    assert result.passed and result.grade_percent == Decimal("66.67") and result.attempts_finished == 1
    # Saving after submit changes nothing.
    assert answer(attempt, learner, 5, q1=0).status == "closed"


def test_every_type_is_graded_through_the_attempt():
    course, module = course_with_module()
    questions = [short_answer(), numerical(), matching(), ordering(), essay()]
    quiz = quiz_page(module, questions)
    learner = enrolled_learner(course)
    attempt = services.attempt_start(quiz=quiz, user=learner)
    slots = {slot.number: slot for slot in attempt.slots.all()}
    match_layout = slots[3].layout
    match_fields = {}
    for index, prompt_id in enumerate(match_layout["prompts"]):
        right = questions[2].options.get(pk=prompt_id).match_text
        match_fields[f"q3-{index}"] = match_layout["answers"].index(right)
    order_ids = [option.pk for option in questions[3].options.order_by("sort_order")]
    order_fields = {f"q4-{i}": order_ids.index(item) + 1 for i, item in enumerate(slots[4].layout["items"])}
    answer(attempt, learner, 1, q1=" kota jambi ", q2="20,0", q5="Jawaban esai", **match_fields, **order_fields)
    attempt = services.attempt_submit(attempt_id=attempt.pk, user=learner)
    marks = {slot.number: slot.mark for slot in attempt.slots.all()}
    assert marks == {1: 1, 2: 1, 3: 1, 4: 1, 5: None}
    assert attempt.state == AttemptState.NEEDS_GRADING and attempt.passed is None
    assert QuizResult.objects.get(quiz=quiz, user=learner).grade_percent is None  # not final yet


def test_essay_grade_makes_the_attempt_final_and_feeds_course_completion():
    course, module = course_with_module()
    quiz = quiz_page(module, [essay(default_mark=Decimal("10"))], pass_mark=Decimal("70"))
    learner = enrolled_learner(course)
    trainer = enrolled_learner(None)
    attempt = services.attempt_start(quiz=quiz, user=learner)
    answer(attempt, learner, 1, q1="Pelayanan prima berarti …")
    attempt = services.attempt_submit(attempt_id=attempt.pk, user=learner)
    slot = attempt.slots.get()
    assert slot.needs_grading
    with pytest.raises(services.QuizError):
        services.essay_grade(slot_id=slot.pk, mark=Decimal("11"), comment="", grader=trainer)
    services.essay_grade(slot_id=slot.pk, mark=Decimal("8"), comment="Baik", grader=trainer)
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.FINISHED and attempt.percent == 80 and attempt.passed
    enrolment = Enrolment.objects.get(user=learner, course=course)
    assert enrolment.completed_at is not None and enrolment.percent == 100


def test_required_quiz_must_be_passed_for_course_completion(course_quiz):
    course, quiz, learner, _questions = course_quiz
    enrolment = Enrolment.objects.get(user=learner, course=course)
    assert enrolment.required_items == 1 and enrolment.completed_at is None
    attempt = services.attempt_start(quiz=quiz, user=learner)
    services.attempt_submit(attempt_id=attempt.pk, user=learner)  # nothing answered: 0%, failed
    enrolment.refresh_from_db()
    assert enrolment.completed_at is None
    attempt = services.attempt_start(quiz=quiz, user=learner)
    layout = attempt.slots.get(number=1).layout["options"]
    right = layout.index(quiz.quiz_questions.first().question.options.get(credit=100).pk)
    answer(attempt, learner, 1, q1=right, q3=1)
    services.attempt_submit(attempt_id=attempt.pk, user=learner)
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None and enrolment.percent == 100


def test_attempt_limit_and_an_override_with_an_extra_attempt(course_quiz):
    _course, quiz, learner, _questions = course_quiz
    quiz.attempts_allowed = 1
    quiz.save()
    attempt = services.attempt_start(quiz=quiz, user=learner)
    services.attempt_submit(attempt_id=attempt.pk, user=learner)
    with pytest.raises(services.QuizError):
        services.attempt_start(quiz=quiz, user=learner)
    QuizOverride.objects.create(quiz=quiz, user=learner, extra_attempts=1)
    assert services.attempt_start(quiz=quiz, user=learner).number == 2


def test_open_and_close_times_with_a_later_close_for_one_learner(course_quiz):
    _course, quiz, learner, _questions = course_quiz
    now = timezone.now()
    quiz.open_at = now + timedelta(hours=1)
    quiz.save()
    with pytest.raises(services.QuizError, match="belum dibuka|not open"):
        services.attempt_start(quiz=quiz, user=learner)
    quiz.open_at, quiz.close_at = now - timedelta(days=2), now - timedelta(hours=1)
    quiz.save()
    with pytest.raises(services.QuizError):
        services.attempt_start(quiz=quiz, user=learner)
    QuizOverride.objects.create(quiz=quiz, user=learner, close_at=now + timedelta(hours=2))
    attempt = services.attempt_start(quiz=quiz, user=learner)
    assert attempt.deadline == now + timedelta(hours=2)  # the override's close is the deadline


def test_time_limit_and_a_longer_time_override(course_quiz):
    _course, quiz, learner, _questions = course_quiz
    quiz.time_limit_minutes = 10
    quiz.save()
    now = timezone.now()
    attempt = services.attempt_start(quiz=quiz, user=learner, now=now)
    assert attempt.deadline == now + timedelta(minutes=10)
    services.attempt_submit(attempt_id=attempt.pk, user=learner)
    QuizOverride.objects.create(quiz=quiz, user=learner, time_limit_minutes=30)
    attempt = services.attempt_start(quiz=quiz, user=learner, now=now)
    assert attempt.deadline == now + timedelta(minutes=30)


def test_expired_attempt_is_submitted_with_what_was_saved_when_the_browser_is_gone(course_quiz):
    _course, quiz, learner, questions = course_quiz
    quiz.time_limit_minutes = 5
    quiz.save()
    attempt = services.attempt_start(quiz=quiz, user=learner)
    answer(attempt, learner, 1, q3=1)  # saved in time
    # Time passes: the deadline (plus the grace for requests in flight) is behind us.
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    # A save arriving after the deadline is not applied: the attempt is submitted instead.
    late = answer(attempt, learner, 2, q1=0)
    assert late.status == "time_up"
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.FINISHED and attempt.auto_submitted
    assert attempt.submitted_at == attempt.deadline
    assert attempt.raw_mark == 1  # the true/false answer saved before the deadline


def test_close_expired_attempts_command_closes_abandoned_attempts_only(course_quiz):
    course, quiz, learner, _questions = course_quiz
    other = enrolled_learner(course)
    quiz.time_limit_minutes = 5
    quiz.save()
    abandoned = services.attempt_start(quiz=quiz, user=learner)
    answer(abandoned, learner, 1, q3=1)
    running = services.attempt_start(quiz=quiz, user=other)
    Attempt.objects.filter(pk=abandoned.pk).update(deadline=timezone.now() - timedelta(minutes=2))
    out = io.StringIO()
    call_command("close_expired_attempts", stdout=out)
    abandoned.refresh_from_db()
    running.refresh_from_db()
    assert abandoned.state == AttemptState.FINISHED and abandoned.auto_submitted and abandoned.raw_mark == 1
    assert running.state == AttemptState.IN_PROGRESS
    assert "1" in out.getvalue()
    assert QuizResult.objects.get(quiz=quiz, user=learner).attempts_finished == 1


@pytest.mark.parametrize(
    ("method", "expected"), [("highest", "100"), ("average", "50"), ("first", "0"), ("last", "50")]
)
def test_grading_methods_across_attempts(method, expected):
    course, module = course_with_module()
    question = true_false()
    second = true_false()
    quiz = quiz_page(module, [question, second], grading_method=method)
    learner = enrolled_learner(course)
    for fields in ({}, {"q1": 1, "q2": 1}, {"q1": 1}):
        attempt = services.attempt_start(quiz=quiz, user=learner)
        if fields:
            answer(attempt, learner, 1, **fields)
        services.attempt_submit(attempt_id=attempt.pk, user=learner)
    assert QuizResult.objects.get(quiz=quiz, user=learner).grade_percent == Decimal(expected)


def test_editing_a_question_never_changes_past_grading_until_a_regrade(course_quiz):
    _course, quiz, learner, questions = course_quiz
    question = questions[0]
    attempt = services.attempt_start(quiz=quiz, user=learner)
    layout = attempt.slots.get(number=1).layout["options"]
    wrong_id = question.options.filter(credit=0).first().pk
    answer(attempt, learner, 1, q1=layout.index(wrong_id), q3=1)
    attempt = services.attempt_submit(attempt_id=attempt.pk, user=learner)
    assert attempt.raw_mark == 1
    old_version = question.current_version_id

    # The trainer fixes the key: the "wrong" option was right after all.
    QuestionOption.objects.filter(question=question).update(credit=0)
    QuestionOption.objects.filter(pk=wrong_id).update(credit=100)
    question.save()
    question.refresh_from_db()
    assert question.current_version_id != old_version and question.current_version.number == 2
    attempt.refresh_from_db()
    assert attempt.raw_mark == 1  # the past attempt still says what it was graded against
    assert attempt.slots.get(number=1).version_id == old_version

    changes = services.quiz_regrade(quiz=quiz, dry_run=True)
    assert [(c.old_percent, c.new_percent, c.questions_changed) for c in changes] == [
        (Decimal("33.33"), Decimal("66.67"), [1])
    ]
    attempt.refresh_from_db()
    assert attempt.percent == Decimal("33.33")  # a dry run writes nothing

    services.quiz_regrade(quiz=quiz, dry_run=False)
    attempt.refresh_from_db()
    assert attempt.percent == Decimal("66.67") and attempt.passed
    assert attempt.slots.get(number=1).version_id == question.current_version_id
    assert QuizResult.objects.get(quiz=quiz, user=learner).passed
    assert services.quiz_regrade(quiz=quiz, dry_run=True) == []  # nothing left to change


def test_saving_a_question_without_changes_adds_no_version():
    question = single_choice()
    version = question.current_version_id
    question.save()
    question.refresh_from_db()
    assert question.current_version_id == version


def test_random_draws_pick_distinct_questions_per_attempt_from_a_category_and_tags():
    from tests.quizzes.factories import CategoryFactory

    course, module = course_with_module()
    root = CategoryFactory(name="Bank")
    child = CategoryFactory(name="Sub", parent=root)
    tagged = [true_false(category=child, tags=["mudah"]) for _ in range(6)]
    true_false(category=child)  # untagged: never drawn
    quiz = quiz_page(
        module,
        [],
        draws=[
            {"category": root, "include_subcategories": True, "tag_names": "mudah", "count": 4, "mark": Decimal("2")}
        ],
    )
    learners = [enrolled_learner(course) for _ in range(4)]
    drawn_sets = []
    for learner in learners:
        attempt = services.attempt_start(quiz=quiz, user=learner)
        ids = [slot.question_id for slot in attempt.slots.all()]
        assert len(ids) == len(set(ids)) == 4 and set(ids) <= {q.pk for q in tagged}
        assert attempt.max_mark == 8
        drawn_sets.append(frozenset(ids))
    assert len(set(drawn_sets)) > 1  # different learners, different questions (6 choose 4 = 15 sets)


def test_the_periodic_task_closes_expired_attempts(course_quiz):
    from quizzes.tasks import close_expired_attempts_task

    _course, quiz, learner, _questions = course_quiz
    quiz.time_limit_minutes = 5
    quiz.save()
    attempt = services.attempt_start(quiz=quiz, user=learner)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=3))
    result = close_expired_attempts_task.enqueue()  # the immediate backend runs it at once
    assert result.return_value == 1
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.FINISHED and attempt.auto_submitted


def test_deleting_the_quiz_page_keeps_attempts_results_and_the_review(client, course_quiz):
    from django.urls import reverse

    _course, quiz, learner, _questions = course_quiz
    attempt = services.attempt_start(quiz=quiz, user=learner)
    answer(attempt, learner, 1, q3=1)
    services.attempt_submit(attempt_id=attempt.pk, user=learner)
    quiz.delete()
    attempt.refresh_from_db()
    assert attempt.quiz is None and attempt.quiz_title == "Kuis Modul 1" and attempt.raw_mark == 1
    assert QuizResult.objects.filter(user=learner, grade_percent__isnull=False).count() == 1
    client.force_login(learner)
    review = client.get(reverse("quiz_review", args=[attempt.pk]))
    assert review.status_code == 200 and "Kuis Modul 1" in review.content.decode()


def test_starting_a_quiz_marks_the_course_as_started(course_quiz):
    course, quiz, learner, _questions = course_quiz
    assert Enrolment.objects.get(user=learner, course=course).progress_status == "not_started"
    services.attempt_start(quiz=quiz, user=learner)
    assert Enrolment.objects.get(user=learner, course=course).progress_status == "in_progress"


def test_the_periodic_process_closes_abandoned_attempts(course_quiz):
    """``manage.py run_periodic`` (started by ``make run``; ``periodic`` in the Procfile) runs the closing job."""
    _course, quiz, learner, _questions = course_quiz
    quiz.time_limit_minutes = 5
    quiz.save()
    attempt = services.attempt_start(quiz=quiz, user=learner)
    answer(attempt, learner, 1, q3=1)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=3))
    call_command("run_periodic", "--once", "--job", "quizzes.close_expired_attempts", stdout=io.StringIO())
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.FINISHED and attempt.auto_submitted and attempt.raw_mark == 1
