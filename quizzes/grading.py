"""Server-side grading of one response against one question version (a JSON snapshot).

Pure functions, no database: ``grade(data, response)`` returns the fraction of the mark earned, a
``Decimal`` in [0, 1], or ``None`` when a person must grade it (an essay). Each type's rule lives in its
class in ``quizzes.qtypes``. Responses are in the internal form built by ``quizzes.responses`` from the
learner's input:

==============  =====================================================================
single          option id (int) or None
multiple        list of option ids
truefalse       True / False / None
shortanswer     text
numerical       text as typed ("3,5" and "3.5" are the same number)
matching        {prompt option id (str): chosen answer text}
ordering        {item option id (str): position 1..n the learner gave it}
essay           text
==============  =====================================================================
"""

from decimal import ROUND_HALF_EVEN, Decimal

from quizzes import qtypes
from quizzes.qtypes.base import ZERO, clamp, credit, option_by_id, parse_number
from quizzes.qtypes.numerical import accepting_option as matching_option

__all__ = [
    "GRADERS",
    "MARK_QUANTUM",
    "credit",
    "grade",
    "is_answered",
    "mark_for",
    "matching_option",
    "option_by_id",
    "option_feedback",
    "parse_number",
    "right_answer_summary",
]

MARK_QUANTUM = Decimal("0.00001")

# Every type's grading rule, by QuestionType value.
GRADERS = {value: qtype.grade for value, qtype in qtypes.all_types().items()}


def mark_for(fraction: Decimal | None, max_mark: Decimal) -> Decimal | None:
    """The mark for a fraction of ``max_mark``, rounded to 5 places, never outside [0, max_mark]."""
    if fraction is None:
        return None
    mark = (clamp(fraction) * Decimal(max_mark)).quantize(MARK_QUANTUM, rounding=ROUND_HALF_EVEN)
    return max(ZERO, min(Decimal(max_mark), mark))


def grade(data: dict, response) -> Decimal | None:
    return qtypes.for_data(data).grade(data, response)


def is_answered(data: dict, response) -> bool:
    """Whether a learner gave any answer (an unanswered question is shown as such)."""
    if response is None:
        return False
    if isinstance(response, str):
        return response.strip() != ""
    if isinstance(response, (list, dict)):
        return len(response) > 0
    return True


def right_answer_summary(data: dict) -> list[str]:
    """The right answer(s) in words, for the review page when the quiz shows right answers."""
    return qtypes.for_data(data).right_answers(data)


def option_feedback(data: dict, response) -> list[str]:
    """Feedback attached to what the learner chose (choice, short answer, numerical, true/false)."""
    return qtypes.for_data(data).feedback(data, response)
