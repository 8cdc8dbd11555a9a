"""Races on a real database server: two tabs pressing "start" at once, a double-clicked submit, and many
concurrent saves. Threads each use their own connection; row locks and constraints must hold.
Skipped on SQLite, which serialises every write anyway (run with DATABASE_URL=postgres://…)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.http import QueryDict

from quizzes import services
from quizzes.models import Attempt, AttemptState, QuizResult
from tests.quizzes.factories import course_with_module, enrolled_learner, quiz_page, true_false

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="races need PostgreSQL (set DATABASE_URL)"),
]


def run_together(target, count: int):
    """Run ``target(i)`` in ``count`` threads released at the same moment; return results or exceptions."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def worker(index):
        try:
            barrier.wait()
            results[index] = target(index)
        except Exception as exc:  # noqa: BLE001 - reported to the test
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


@pytest.fixture
def quiz_and_learner():
    course, module = course_with_module()
    quiz = quiz_page(module, [true_false(), true_false()], attempts_allowed=1)
    return quiz, enrolled_learner(course)


def test_two_tabs_pressing_start_at_once_get_one_attempt(quiz_and_learner):
    quiz, learner = quiz_and_learner
    results = run_together(lambda _i: services.attempt_start(quiz=quiz, user=learner).pk, 6)
    assert all(isinstance(result, int) for result in results), results
    assert len(set(results)) == 1
    assert Attempt.objects.filter(quiz=quiz, user=learner).count() == 1
    assert QuizResult.objects.get(quiz=quiz, user=learner).attempts_started == 1


def test_the_attempt_limit_holds_when_starts_race_after_a_finished_attempt(quiz_and_learner):
    quiz, learner = quiz_and_learner
    quiz.attempts_allowed = 2
    quiz.save()
    first = services.attempt_start(quiz=quiz, user=learner)
    services.attempt_submit(attempt_id=first.pk, user=learner)

    def start_and_submit(_i):
        attempt = services.attempt_start(quiz=quiz, user=learner)
        services.attempt_submit(attempt_id=attempt.pk, user=learner)
        return attempt.number

    results = run_together(start_and_submit, 4)
    # One tab gets attempt 2; the others either share it or are told the attempts are used up.
    numbers = [r for r in results if isinstance(r, int)]
    errors = [r for r in results if isinstance(r, Exception)]
    assert set(numbers) == {2}
    assert all(isinstance(error, services.QuizError) for error in errors), errors
    assert Attempt.objects.filter(quiz=quiz, user=learner).count() == 2


def test_a_double_clicked_submit_grades_once(quiz_and_learner):
    quiz, learner = quiz_and_learner
    attempt = services.attempt_start(quiz=quiz, user=learner)
    data = QueryDict(mutable=True)
    data["q1"] = "1"
    services.attempt_save(attempt_id=attempt.pk, user=learner, seq=1, post=data, slot_numbers=[1])
    results = run_together(lambda _i: services.attempt_submit(attempt_id=attempt.pk, user=learner), 5)
    graded = {(result.graded_at, result.raw_mark) for result in results}
    assert len(graded) == 1, results
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.FINISHED and attempt.raw_mark == Decimal("1")
    result = QuizResult.objects.get(quiz=quiz, user=learner)
    assert result.attempts_finished == 1 and result.attempts_started == 1


def test_concurrent_saves_with_the_same_sequence_number_apply_once(quiz_and_learner):
    quiz, learner = quiz_and_learner
    attempt = services.attempt_start(quiz=quiz, user=learner)

    def save(i):
        data = QueryDict(mutable=True)
        data["q1"] = str(i % 2)
        return services.attempt_save(attempt_id=attempt.pk, user=learner, seq=1, post=data, slot_numbers=[1]).status

    results = run_together(save, 6)
    assert sorted(results) == ["saved"] + ["stale"] * 5
    attempt.refresh_from_db()
    assert attempt.last_seq == 1
