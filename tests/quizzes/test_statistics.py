"""Item analysis (Moodle's facility index, SD and discrimination index) against a hand-computed example,
on first attempts only, in a fixed number of queries; pre-/post-test gains."""

import math
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quizzes import selectors, services, statistics
from quizzes.models import QuizResult
from tests.quizzes.factories import (
    course_with_module,
    enrolled_learner,
    multiple_choice,
    quiz_page,
    true_false,
)

# Four first attempts; questions A and B (max 1) and C (max 2).
#   attempt  A  B  C  total
#   p1       1  1  2  4
#   p2       1  0  1  2
#   p3       0  1  0  1
#   p4       0  0  1  1
ROWS = [
    ("p1", "A", 1, 1, "truefalse"),
    ("p1", "B", 1, 1, "truefalse"),
    ("p1", "C", 2, 2, "multiple"),
    ("p2", "A", 1, 1, "truefalse"),
    ("p2", "B", 0, 1, "truefalse"),
    ("p2", "C", 1, 2, "multiple"),
    ("p3", "A", 0, 1, "truefalse"),
    ("p3", "B", 1, 1, "truefalse"),
    ("p3", "C", 0, 2, "multiple"),
    ("p4", "A", 0, 1, "truefalse"),
    ("p4", "B", 0, 1, "truefalse"),
    ("p4", "C", 1, 2, "multiple"),
]


def by_key(stats):
    return {item.key: item for item in stats.items}


def test_item_analysis_matches_the_hand_computed_example():
    stats = statistics.item_analysis(ROWS, names={"A": "A", "B": "B", "C": "C"})
    items = by_key(stats)
    # A: marks 1,1,0,0 → F = 50; SD = sqrt(4·0.25/3) = 57.735%; rest of test 3,1,1,1 → r = 1/√3.
    assert items["A"].facility == pytest.approx(50)
    assert items["A"].sd == pytest.approx(100 * math.sqrt(1 / 3))
    assert items["A"].discrimination == pytest.approx(100 / math.sqrt(3))
    # B: marks 1,0,1,0 against rest 3,2,0,1: uncorrelated.
    assert items["B"].facility == pytest.approx(50)
    assert items["B"].discrimination == pytest.approx(0, abs=1e-9)
    # C: marks 2,1,0,1 of 2 → F = 50; SD = 100·sqrt(2/3)/2; rest 2,1,1,0 → r = 1/2.
    assert items["C"].facility == pytest.approx(50)
    assert items["C"].sd == pytest.approx(100 * math.sqrt(2 / 3) / 2)
    assert items["C"].discrimination == pytest.approx(50)
    # Grades 100, 50, 25, 25.
    assert stats.attempts == 4
    assert stats.mean == pytest.approx(50) and stats.median == pytest.approx(37.5)
    assert dict(stats.distribution) == {
        "0–10": 0,
        "10–20": 0,
        "20–30": 2,
        "30–40": 0,
        "40–50": 0,
        "50–60": 1,
        "60–70": 0,
        "70–80": 0,
        "80–90": 0,
        "90–100": 1,
    }


def test_a_question_everyone_got_right_has_no_discrimination_index():
    rows = [
        ("p1", "A", 1, 1, "truefalse"),
        ("p2", "A", 1, 1, "truefalse"),
        ("p1", "B", 1, 1, "truefalse"),
        ("p2", "B", 0, 1, "truefalse"),
    ]
    items = by_key(statistics.item_analysis(rows))
    assert items["A"].facility == 100 and items["A"].discrimination is None and items["A"].sd == 0


def _answer(learner, attempt, **fields):
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    for name, value in fields.items():
        data.setlist(name, [str(v) for v in (value if isinstance(value, list) else [value])])
    numbers = sorted({int(name[1:]) for name in fields})
    services.attempt_save(attempt_id=attempt.pk, user=learner, seq=1, post=data, slot_numbers=numbers)
    return services.attempt_submit(attempt_id=attempt.pk, user=learner)


def _take(quiz, learner, a: bool, b: bool, c_options: list[int]):
    attempt = services.attempt_start(quiz=quiz, user=learner)
    layout = attempt.slots.get(number=3).layout["options"]
    question_c = quiz.quiz_questions.get(sort_order=2).question
    right = list(question_c.options.filter(credit=50).order_by("sort_order").values_list("pk", flat=True))
    fields = {"q1": 1 if a else 0, "q2": 1 if b else 0}
    if c_options:
        fields["q3"] = [layout.index(right[i]) for i in c_options]
    return _answer(learner, attempt, **fields)


@pytest.mark.django_db
def test_quiz_statistics_use_first_attempts_in_two_queries():
    course, module = course_with_module()
    quiz = quiz_page(
        module,
        [true_false(name="A"), true_false(name="B"), multiple_choice(name="C")],
        marks=[Decimal("1"), Decimal("1"), Decimal("2")],
    )
    learners = [enrolled_learner(course) for _ in range(4)]
    _take(quiz, learners[0], True, True, [0, 1])
    _take(quiz, learners[1], True, False, [0])
    _take(quiz, learners[2], False, True, [])
    _take(quiz, learners[3], False, False, [1])
    _take(quiz, learners[2], True, True, [0, 1])  # a second attempt: not in the statistics
    with CaptureQueriesContext(connection) as queries:
        stats = statistics.quiz_statistics(quiz=quiz)
    assert len(queries) == 2
    items = {item.name: item for item in stats.items}
    assert stats.attempts == 4
    assert items["A"].discrimination == pytest.approx(100 / math.sqrt(3))
    assert items["C"].discrimination == pytest.approx(50)
    assert items["C"].sd == pytest.approx(100 * math.sqrt(2 / 3) / 2)


@pytest.mark.django_db
def test_prepost_gain_per_learner_and_the_course_average():
    course, _module = course_with_module()
    pre = quiz_page(course, [true_false()], quiz_role="pretest", title="Pre-test")
    post = quiz_page(course, [true_false()], quiz_role="posttest", paired_pretest=pre, title="Post-test")
    learners = [enrolled_learner(course) for _ in range(4)]
    for learner, (before, after) in zip(learners, [(40, 70), (80, 90), (50, 50), (100, 100)], strict=True):
        QuizResult.objects.create(quiz=pre, user=learner, first_percent=before, grade_percent=before)
        QuizResult.objects.create(quiz=post, user=learner, grade_percent=after, first_percent=after)
    QuizResult.objects.create(quiz=post, user=enrolled_learner(course), grade_percent=90)  # no pre-test: left out
    report = selectors.prepost_gains(posttest=post)
    gains = sorted((row.pre, row.post, row.gain, row.normalised_gain) for row in report.rows)
    assert gains == [
        (40, 70, 30, Decimal("0.5")),
        (50, 50, 0, 0),
        (80, 90, 10, Decimal("0.5")),
        (100, 100, 0, None),
    ]
    assert report.average_normalised_gain == Decimal("0.333")  # (0.5 + 0.5 + 0) / 3; pre = 100 has no gain
    assert report.class_normalised_gain == Decimal("0.308")  # (77.5 − 67.5) / (100 − 67.5)
