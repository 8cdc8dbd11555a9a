"""Grading per question type, on question snapshots (no database), with property-based bounds."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizzes import grading


def snapshot(qtype, options=(), **extra):
    return {
        "type": qtype,
        "options": [
            {"id": index + 1, "text": "", "credit": "0", "feedback": "", "match": "", "tolerance": "0", **option}
            for index, option in enumerate(options)
        ],
        **extra,
    }


SINGLE = snapshot(
    "single", [{"text": "a", "credit": "100"}, {"text": "b", "credit": "0"}, {"text": "c", "credit": "-50"}]
)
MULTI = snapshot(
    "multiple",
    [
        {"text": "a", "credit": "50"},
        {"text": "b", "credit": "50"},
        {"text": "c", "credit": "-50"},
        {"text": "d", "credit": "-100"},
    ],
)
SHORT = snapshot("shortanswer", [{"text": "Jambi", "credit": "100"}, {"text": "Kota *", "credit": "50"}])
NUMERIC = snapshot("numerical", [{"text": "3.1", "credit": "100", "tolerance": "0.1"}, {"text": "3", "credit": "50"}])
MATCH = snapshot(
    "matching",
    [
        {"text": "Kerinci", "match": "Sungai Penuh"},
        {"text": "Bungo", "match": "Muara Bungo"},
        {"text": "", "match": "Bangko"},  # an extra wrong answer
    ],
)
ORDER = snapshot("ordering", [{"text": "1"}, {"text": "2"}, {"text": "3"}, {"text": "4"}])


@pytest.mark.parametrize(
    ("response", "expected"), [(1, "1"), (2, "0"), (3, "0"), (None, "0"), ("1", "1"), ("x", "0"), (99, "0")]
)
def test_single_choice_earns_the_chosen_options_credit_never_below_zero(response, expected):
    assert grading.grade(SINGLE, response) == Decimal(expected)


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        ([1, 2], "1"),  # both right answers
        ([1], "0.5"),  # partial credit
        ([1, 2, 3], "0.5"),  # a wrong option takes marks back (negative marks)
        ([1, 3], "0"),
        ([1, 4], "0"),  # never below zero
        ([1, 2, 3, 4], "0"),
        ([], "0"),
        ([1, 1, 1], "0.5"),  # a repeated option counts once
    ],
)
def test_multiple_choice_partial_credit_and_negative_marks(response, expected):
    assert grading.grade(MULTI, response) == Decimal(expected)


def test_true_false():
    question = snapshot("truefalse", correct_true=False)
    assert grading.grade(question, False) == 1
    assert grading.grade(question, True) == 0
    assert grading.grade(question, None) == 0
    assert grading.grade(question, "false") == 0  # only the parsed boolean counts


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        ("Jambi", "1"),
        ("  jambi ", "1"),
        ("JAMBI", "1"),
        ("Kota  Jambi", "0.5"),
        ("kota anything", "0.5"),
        ("Jamb", "0"),
        ("", "0"),
    ],
)
def test_short_answer_is_case_and_space_insensitive_with_wildcards(response, expected):
    assert grading.grade(SHORT, response) == Decimal(expected)


def test_short_answer_case_sensitive_and_space_free_options():
    question = snapshot("shortanswer", [{"text": "PP 11/2017", "credit": "100"}], case_sensitive=True)
    assert grading.grade(question, "PP 11/2017") == 1
    assert grading.grade(question, "pp 11/2017") == 0
    assert grading.grade(question, "PP11/2017") == 0
    question["ignore_spaces"] = True
    assert grading.grade(question, "PP11/2017") == 1
    assert grading.grade(question, "P P 1 1/2017") == 1


def test_short_answer_regex_characters_are_literal():
    question = snapshot("shortanswer", [{"text": "a.b", "credit": "100"}])
    assert grading.grade(question, "a.b") == 1
    assert grading.grade(question, "axb") == 0


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        ("3.1", "1"),
        ("3,1", "1"),
        ("3.2", "1"),
        ("3.0", "1"),
        ("3,05", "1"),
        ("3.21", "0"),
        ("2.99", "0"),
        ("3", "1"),
        ("abc", "0"),
        ("", "0"),
        (None, "0"),
        ("1e400", "0"),
        ("NaN", "0"),
    ],
)
def test_numerical_with_tolerance_and_indonesian_decimal_comma(response, expected):
    # 3 is inside 3.1 ± 0.1 (full marks beat the 50% exact answer)
    assert grading.grade(NUMERIC, response) == Decimal(expected)


def test_numerical_tolerance_is_exact_decimal_not_float():
    question = snapshot("numerical", [{"text": "3.0", "credit": "100", "tolerance": "0.1"}])
    assert grading.grade(question, "3.1") == 1  # 3.1 - 3.0 is 0.10000000000000009 in floats


def test_parse_number_formats():
    assert grading.parse_number("1.000,5") == Decimal("1000.5")
    assert grading.parse_number("1,000.5") == Decimal("1000.5")
    assert grading.parse_number(" -2 ") == Decimal("-2")


def test_matching_earns_an_equal_share_per_prompt():
    assert grading.grade(MATCH, {"1": "Sungai Penuh", "2": "Muara Bungo"}) == 1
    assert grading.grade(MATCH, {"1": "Sungai Penuh", "2": "Bangko"}) == Decimal("0.5")
    assert grading.grade(MATCH, {"1": "Bangko"}) == 0
    assert grading.grade(MATCH, None) == 0
    assert grading.grade(MATCH, {"3": "Bangko"}) == 0  # the extra answer is not a prompt


def test_ordering_by_absolute_position():
    assert grading.grade(ORDER, {"1": 1, "2": 2, "3": 3, "4": 4}) == 1
    assert grading.grade(ORDER, {"1": 1, "2": 2, "3": 4, "4": 3}) == Decimal("0.5")
    assert grading.grade(ORDER, {"1": 1, "2": 1, "3": 1, "4": 1}) == Decimal("0.25")
    assert grading.grade(ORDER, {"1": 2, "2": 3, "3": 4, "4": 1}) == 0
    assert grading.grade(ORDER, []) == 0


def test_essay_needs_a_person_unless_empty():
    question = snapshot("essay")
    assert grading.grade(question, "Pelayanan publik adalah …") is None
    assert grading.grade(question, "   ") == 0
    assert grading.grade(question, None) == 0


def test_mark_for_rounds_and_stays_within_the_max():
    assert grading.mark_for(Decimal("1") / 3, Decimal("2")) == Decimal("0.66667")
    assert grading.mark_for(Decimal("1"), Decimal("2.5")) == Decimal("2.5")
    assert grading.mark_for(None, Decimal("2")) is None


# --- property-based: whatever the question and whatever the learner sends, 0 <= mark <= max ---------

credits = st.decimals(min_value=-100, max_value=100, places=3, allow_nan=False, allow_infinity=False)
option_strategy = st.fixed_dictionaries(
    {
        "text": st.text(max_size=8),
        "credit": credits.map(str),
        "match": st.text(max_size=5),
        "tolerance": st.decimals(min_value=0, max_value=10, places=2).map(str),
    }
)
junk = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 20) | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=6) | st.dictionaries(st.text(max_size=3), inner, max_size=4),
    max_leaves=10,
)


@settings(max_examples=300, deadline=None)
@given(
    qtype=st.sampled_from(list(grading.GRADERS)),
    options=st.lists(option_strategy, max_size=6),
    response=junk,
    max_mark=st.decimals(min_value="0.01", max_value=100, places=2),
    flags=st.fixed_dictionaries(
        {"case_sensitive": st.booleans(), "ignore_spaces": st.booleans(), "correct_true": st.booleans()}
    ),
)
def test_any_response_to_any_question_scores_within_zero_and_max(qtype, options, response, max_mark, flags):
    question = {"type": qtype, "options": [{"id": i + 1, "feedback": "", **o} for i, o in enumerate(options)], **flags}
    fraction = grading.grade(question, response)
    if fraction is None:
        assert qtype == "essay"
        return
    assert Decimal("0") <= fraction <= Decimal("1")
    mark = grading.mark_for(fraction, max_mark)
    assert Decimal("0") <= mark <= max_mark


@settings(max_examples=200, deadline=None)
@given(chosen=st.lists(st.integers(1, 4), max_size=8))
def test_multiple_choice_choosing_more_never_beats_the_right_set(chosen):
    assert grading.grade(MULTI, chosen) <= grading.grade(MULTI, [1, 2])


form_values = st.lists(st.one_of(st.text(max_size=6), st.integers(-3, 9).map(str)), max_size=4)


@settings(max_examples=200, deadline=None)
@given(
    qtype=st.sampled_from(list(grading.GRADERS)),
    fields=st.dictionaries(st.sampled_from(["q1", "q1-0", "q1-1", "q1-2", "q1-9"]), form_values, max_size=5),
)
def test_whatever_a_browser_posts_parses_to_a_gradable_response(qtype, fields):
    """Tampered or garbled form input never crashes and never scores outside [0, 1]."""
    from django.http import QueryDict

    from quizzes import responses

    data = snapshot(
        qtype,
        [
            {"text": "1", "credit": "100", "match": "a"},
            {"text": "2", "credit": "0", "match": "b"},
            {"text": "3", "credit": "-50", "match": ""},
        ],
    )
    layout = responses.build_layout(data, shuffle=True, rng=__import__("random").Random(1))
    post = QueryDict(mutable=True)
    for name, values in fields.items():
        post.setlist(name, values)
    response = responses.parse(data, layout, post, "q1")
    fraction = grading.grade(data, response)
    assert fraction is None or Decimal("0") <= fraction <= Decimal("1")
    responses.present(number=1, data=data, layout=layout, response=response, prefix="q1")


@settings(max_examples=300, deadline=None)
@given(
    qtype=st.sampled_from(list(grading.GRADERS)),
    fields=st.dictionaries(st.sampled_from(["q1", "q1-0", "q1-1", "q1-2", "q1-9"]), form_values, max_size=5),
    seed=st.integers(0, 1000),
)
def test_form_values_give_back_the_saved_response(qtype, fields, seed):
    """What a stale tab is sent back (``form_values``) posts to exactly the response the server holds."""
    import random

    from django.http import QueryDict

    from quizzes import responses

    data = snapshot(
        qtype,
        [
            {"text": "1", "credit": "100", "match": "a"},
            {"text": "2", "credit": "0", "match": "b"},
            {"text": "3", "credit": "-50", "match": "c"},
        ],
    )
    layout = responses.build_layout(data, shuffle=True, rng=random.Random(seed))
    post = QueryDict(mutable=True)
    for name, values in fields.items():
        post.setlist(name, values)
    response = responses.parse(data, layout, post, "q1")
    back = QueryDict(mutable=True)
    for name, values in responses.form_values(data, layout, response, "q1").items():
        back.setlist(name, values)
    assert responses.parse(data, layout, back, "q1") == response
