"""What a learner sees of a question and how their input becomes a response.

The browser only ever gets display positions (0, 1, 2 …) in a per-attempt order, never option ids,
credits, feedback or the right answer; ``present()`` builds the template's view of a question and
adds correctness, feedback and right answers only when the review options allow (``reveal``). What
differs per type is the type's (``quizzes.qtypes``); this module holds what every type shares."""

import random
from dataclasses import dataclass

from quizzes import grading, qtypes
from quizzes.qtypes.base import FormFields


def build_layout(data: dict, *, shuffle: bool, rng: random.Random) -> dict:
    """The display order of a question's parts for one attempt; stored with the slot, so it is stable."""
    return qtypes.for_data(data).build_layout(data, shuffle=shuffle and data.get("shuffle", True), rng=rng)


def parse(data: dict, layout: dict, post, prefix: str):
    """Turn submitted form fields (a QueryDict or dict of lists) for one question into a response."""
    return qtypes.for_data(data).parse_response(data, layout, FormFields(post, prefix))


def form_values(data: dict, layout: dict, response, prefix: str) -> dict[str, list[str]]:
    """The inverse of ``parse``: the form fields (name → values) that show ``response`` on the attempt page.

    Used to put the server's answer back on a page whose save was refused as stale (another tab saved
    first). Like the page itself it carries display positions only, never option ids or the key; every field
    of the question is listed, empty when unanswered, so the page can clear what the server does not hold."""
    return qtypes.for_data(data).form_values(data, layout, response, prefix)


@dataclass
class Reveal:
    """What the review may show: decided by the quiz's review options, never by the template."""

    correctness: bool = False
    feedback: bool = False
    right_answers: bool = False
    marks: bool = False


HIDDEN = Reveal()


def present(
    *,
    number: int,
    data: dict,
    layout: dict,
    response,
    prefix: str,
    reveal: Reveal = HIDDEN,
    mark=None,
    max_mark=None,
    needs_grading: bool = False,
    grader_comment: str = "",
) -> dict:
    """A question as the template may render it. Nothing from the answer key is included unless revealed.

    The result is a dict read by templates, where ``q.name`` tries ``q["name"]`` and then the dict's own
    attributes: no key may be named like a dict method (``items``, ``values``, ``keys`` …), or a missing
    key silently renders the method instead (``tests/quizzes/test_review.py`` guards this)."""
    qtype = qtypes.for_data(data)
    answered = grading.is_answered(data, response)
    view = {
        "number": number,
        "prefix": prefix,
        "qtype": qtype.value,
        "answer_template": qtype.answer_template,
        "review_template": qtype.review_template,
        "graded_by_hand": qtype.needs_manual_grading,
        "text": data.get("text", ""),
        "answered": answered,
        "max_mark": max_mark,
        "reveal": reveal,
    }
    view.update(
        qtype.present(data, layout, response, options=grading.option_by_id(data), reveal=reveal, answered=answered)
    )
    if reveal.marks:
        view["mark"] = mark
        view["needs_grading"] = needs_grading
        if mark is not None and max_mark:
            fraction = mark / max_mark
            view["state"] = "correct" if fraction >= 1 else ("partial" if fraction > 0 else "incorrect")
    if reveal.feedback:
        view["feedback"] = [text for text in grading.option_feedback(data, response) if text]
        view["general_feedback"] = data.get("general_feedback", "")
        view["grader_comment"] = grader_comment
    if reveal.right_answers:
        view["right_answers"] = grading.right_answer_summary(data)
        view["right_answers_text"] = qtype.right_answers_text(data)
    return view
