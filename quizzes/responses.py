"""What a learner sees of a question and how their input becomes a response.

The browser only ever gets display positions (0, 1, 2 …) in a per-attempt order, never option ids,
credits, feedback or the right answer; ``present()`` builds the template's view of a question and
adds correctness, feedback and right answers only when the review options allow (``reveal``)."""

import random
from dataclasses import dataclass

from quizzes import grading

MAX_SHORT = 255
MAX_NUMBER = 64
MAX_ESSAY = 20_000


def build_layout(data: dict, *, shuffle: bool, rng: random.Random) -> dict:
    """The display order of a question's parts for one attempt; stored with the slot, so it is stable."""
    qtype = data["type"]
    option_ids = [option["id"] for option in data.get("options", [])]
    shuffle = shuffle and data.get("shuffle", True)
    if qtype in ("single", "multiple"):
        if shuffle:
            rng.shuffle(option_ids)
        return {"options": option_ids}
    if qtype == "matching":
        prompts = [option["id"] for option in grading.matching_prompts(data)]
        answers = grading.matching_answers(data)
        if shuffle:
            rng.shuffle(prompts)
        rng.shuffle(answers)  # the answer list in authoring order would pair up with the prompts
        return {"prompts": prompts, "answers": answers}
    if qtype == "ordering":
        # Always shuffled (the authoring order is the key), uniformly: every order is equally likely, the
        # right one included. Excluding the right order gave the key away: two items were always shown
        # reversed, and with more items the shown order was a small hint. The learner gives positions, so
        # an order that happens to be right shows no more than any other.
        items = list(option_ids)
        rng.shuffle(items)
        return {"items": items}
    return {}


def _text(value: str, limit: int) -> str:
    return (value or "")[:limit]


def _index(value, length: int):
    try:
        index = int(value)
    except (TypeError, ValueError):
        return None
    return index if 0 <= index < length else None


def parse(data: dict, layout: dict, post, prefix: str):
    """Turn submitted form fields (a QueryDict or dict of lists) for one question into a response."""

    def get(name):
        values = post.getlist(name) if hasattr(post, "getlist") else post.get(name, [])
        if isinstance(values, str):
            values = [values]
        return values

    def first(name):
        values = get(name)
        return values[0] if values else None

    qtype = data["type"]
    if qtype == "single":
        ids = layout.get("options", [])
        index = _index(first(prefix), len(ids))
        return ids[index] if index is not None else None
    if qtype == "multiple":
        ids = layout.get("options", [])
        chosen = {_index(value, len(ids)) for value in get(prefix)} - {None}
        return [ids[index] for index in sorted(chosen)]
    if qtype == "truefalse":
        return {"1": True, "0": False}.get(first(prefix))
    if qtype == "shortanswer":
        return _text(first(prefix), MAX_SHORT)
    if qtype == "numerical":
        return _text(first(prefix), MAX_NUMBER)
    if qtype == "essay":
        return _text(first(prefix), MAX_ESSAY)
    if qtype == "matching":
        prompts, answers = layout.get("prompts", []), layout.get("answers", [])
        response = {}
        for index, prompt_id in enumerate(prompts):
            choice = _index(first(f"{prefix}-{index}"), len(answers))
            if choice is not None:
                response[str(prompt_id)] = answers[choice]
        return response
    if qtype == "ordering":
        items = layout.get("items", [])
        response = {}
        for index, item_id in enumerate(items):
            position = _index(first(f"{prefix}-{index}"), len(items) + 1)
            if position:
                response[str(item_id)] = position
        return response
    return None


def form_values(data: dict, layout: dict, response, prefix: str) -> dict[str, list[str]]:
    """The inverse of ``parse``: the form fields (name → values) that show ``response`` on the attempt page.

    Used to put the server's answer back on a page whose save was refused as stale (another tab saved
    first). Like the page itself it carries display positions only, never option ids or the key; every field
    of the question is listed, empty when unanswered, so the page can clear what the server does not hold."""
    qtype = data["type"]
    if qtype == "single":
        ids = layout.get("options", [])
        return {prefix: [str(ids.index(response))] if response in ids else []}
    if qtype == "multiple":
        ids = layout.get("options", [])
        chosen = response if isinstance(response, list) else []
        return {prefix: [str(index) for index, option_id in enumerate(ids) if option_id in chosen]}
    if qtype == "truefalse":
        return {prefix: [] if response is None else ["1" if response else "0"]}
    if qtype in ("shortanswer", "numerical", "essay"):
        return {prefix: [response if isinstance(response, str) else ""]}
    if qtype == "matching":
        answers = layout.get("answers", [])
        given = response if isinstance(response, dict) else {}
        fields = {}
        for index, prompt_id in enumerate(layout.get("prompts", [])):
            chosen = given.get(str(prompt_id))
            fields[f"{prefix}-{index}"] = [str(answers.index(chosen))] if chosen in answers else [""]
        return fields
    if qtype == "ordering":
        given = response if isinstance(response, dict) else {}
        return {
            f"{prefix}-{index}": [str(given[str(item_id)]) if str(item_id) in given else ""]
            for index, item_id in enumerate(layout.get("items", []))
        }
    return {}


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
    qtype = data["type"]
    options = grading.option_by_id(data)
    view = {
        "number": number,
        "prefix": prefix,
        "qtype": qtype,
        "text": data.get("text", ""),
        "answered": grading.is_answered(data, response),
        "max_mark": max_mark,
        "reveal": reveal,
    }
    if qtype in ("single", "multiple"):
        chosen = set(response or []) if qtype == "multiple" else {response}
        view["choices"] = [
            {
                "value": index,
                "text": options[option_id]["text"],
                "checked": option_id in chosen,
                **(
                    {"correct": grading.credit(options[option_id]) > 0}
                    if reveal.right_answers or (reveal.correctness and option_id in chosen)
                    else {}
                ),
            }
            for index, option_id in enumerate(layout.get("options", []))
            if option_id in options
        ]
    elif qtype == "truefalse":
        correct_true = bool(data.get("correct_true", True))
        view["choices"] = [
            {
                "value": 1,
                "label": "true",
                "checked": response is True,
                **(
                    {"correct": correct_true}
                    if reveal.right_answers or (reveal.correctness and response is True)
                    else {}
                ),
            },
            {
                "value": 0,
                "label": "false",
                "checked": response is False,
                **(
                    {"correct": not correct_true}
                    if reveal.right_answers or (reveal.correctness and response is False)
                    else {}
                ),
            },
        ]
    elif qtype in ("shortanswer", "numerical", "essay"):
        view["value"] = response if isinstance(response, str) else ""
        if qtype == "essay" and not view["answered"] and not view["value"]:
            view["value"] = data.get("response_template", "")
        view["maxlength"] = {"shortanswer": MAX_SHORT, "numerical": MAX_NUMBER, "essay": MAX_ESSAY}[qtype]
    elif qtype == "matching":
        answers = layout.get("answers", [])
        given = response if isinstance(response, dict) else {}
        view["prompts"] = []
        for index, prompt_id in enumerate(layout.get("prompts", [])):
            prompt = options.get(prompt_id)
            if prompt is None:
                continue
            chosen = given.get(str(prompt_id))
            row = {
                "index": index,
                "text": prompt["text"],
                "choices": [{"value": j, "text": text, "selected": text == chosen} for j, text in enumerate(answers)],
            }
            if reveal.correctness and chosen:
                row["correct"] = chosen == prompt.get("match")
            view["prompts"].append(row)
    elif qtype == "ordering":
        given = response if isinstance(response, dict) else {}
        items = layout.get("items", [])
        view["positions"] = list(range(1, len(items) + 1))
        view["order_items"] = [
            {"index": index, "text": options[item_id]["text"], "position": given.get(str(item_id))}
            for index, item_id in enumerate(items)
            if item_id in options
        ]
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
    return view
