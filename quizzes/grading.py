"""Server-side grading of one response against one question version (a JSON snapshot), per type.

Pure functions, no database: ``grade(data, response)`` returns the fraction of the mark earned, a
``Decimal`` in [0, 1], or ``None`` when a person must grade it (an essay). Responses are in the
internal form built by ``quizzes.responses`` from the learner's input:

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

import re
import unicodedata
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

ZERO = Decimal("0")
ONE = Decimal("1")
HUNDRED = Decimal("100")
MARK_QUANTUM = Decimal("0.00001")

_SPACES = re.compile(r"\s+")


def clamp(value: Decimal) -> Decimal:
    return max(ZERO, min(ONE, value))


def credit(option: dict) -> Decimal:
    """An option's credit as a fraction (the snapshot stores percent)."""
    try:
        return Decimal(option.get("credit") or "0") / HUNDRED
    except InvalidOperation:
        return ZERO


def option_by_id(data: dict) -> dict[int, dict]:
    return {option["id"]: option for option in data.get("options", [])}


def mark_for(fraction: Decimal | None, max_mark: Decimal) -> Decimal | None:
    """The mark for a fraction of ``max_mark``, rounded to 5 places, never outside [0, max_mark]."""
    if fraction is None:
        return None
    mark = (clamp(fraction) * Decimal(max_mark)).quantize(MARK_QUANTUM, rounding=ROUND_HALF_EVEN)
    return max(ZERO, min(Decimal(max_mark), mark))


def grade(data: dict, response) -> Decimal | None:
    grader = GRADERS[data["type"]]
    return grader(data, response)


def is_answered(data: dict, response) -> bool:
    """Whether a learner gave any answer (an unanswered question is shown as such)."""
    if response is None:
        return False
    if isinstance(response, str):
        return response.strip() != ""
    if isinstance(response, (list, dict)):
        return len(response) > 0
    return True


# --- per type ----------------------------------------------------------------------------------


def grade_single(data: dict, response) -> Decimal:
    option = option_by_id(data).get(_as_int(response))
    return clamp(credit(option)) if option else ZERO


def grade_multiple(data: dict, response) -> Decimal:
    """Sum of the credits of every chosen option (wrong ones may be negative), clamped to [0, 1]."""
    options = option_by_id(data)
    if not isinstance(response, list):
        return ZERO
    chosen = {_as_int(value) for value in response}
    total = sum((credit(options[key]) for key in chosen if key in options), ZERO)
    return clamp(total)


def grade_truefalse(data: dict, response) -> Decimal:
    if response is None or not isinstance(response, bool):
        return ZERO
    return ONE if response == bool(data.get("correct_true", True)) else ZERO


def normalise_text(text: str, *, case_sensitive: bool, ignore_spaces: bool) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    text = _SPACES.sub("", text) if ignore_spaces else _SPACES.sub(" ", text).strip()
    return text if case_sensitive else text.casefold()


def _pattern(answer: str, *, case_sensitive: bool, ignore_spaces: bool) -> re.Pattern:
    # "*" matches anything (as in Moodle); everything else is literal.
    normalised = normalise_text(answer, case_sensitive=case_sensitive, ignore_spaces=ignore_spaces)
    return re.compile("^" + ".*".join(re.escape(part) for part in normalised.split("*")) + "$", re.DOTALL)


def grade_shortanswer(data: dict, response) -> Decimal:
    """The best credit among accepted answers the response matches."""
    if not isinstance(response, str) or not response.strip():
        return ZERO
    flags = {"case_sensitive": bool(data.get("case_sensitive")), "ignore_spaces": bool(data.get("ignore_spaces"))}
    given = normalise_text(response, **flags)
    best = ZERO
    for option in data.get("options", []):
        if _pattern(option.get("text", ""), **flags).match(given):
            best = max(best, credit(option))
    return clamp(best)


def parse_number(text) -> Decimal | None:
    """A number as Indonesians and others type it: "3,5", "3.5", "1.000,5", "1,000.5", " -2 "."""
    if text is None:
        return None
    raw = str(text).strip().replace(" ", "").replace("\u00a0", "")
    if not raw:
        return None
    if "," in raw and "." in raw:
        # The later separator is the decimal one.
        decimal_comma = raw.rfind(",") > raw.rfind(".")
        raw = raw.replace(".", "").replace(",", ".") if decimal_comma else raw.replace(",", "")
    elif raw.count(",") == 1:
        raw = raw.replace(",", ".")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def matching_option(data: dict, value: Decimal) -> dict | None:
    """The numerical answer row that accepts ``value`` with the best credit."""
    best = None
    for option in data.get("options", []):
        text = (option.get("text") or "").strip()
        if text == "*":
            accepted = True
        else:
            target = parse_number(text)
            if target is None:
                continue
            tolerance = abs(Decimal(option.get("tolerance") or "0"))
            accepted = abs(value - target) <= tolerance
        if accepted and (best is None or credit(option) > credit(best)):
            best = option
    return best


def grade_numerical(data: dict, response) -> Decimal:
    value = parse_number(response)
    if value is None:
        return ZERO
    option = matching_option(data, value)
    return clamp(credit(option)) if option else ZERO


def matching_prompts(data: dict) -> list[dict]:
    return [option for option in data.get("options", []) if (option.get("text") or "").strip()]


def matching_answers(data: dict) -> list[str]:
    """Every distinct answer text (extra wrong answers included), in authoring order."""
    seen: list[str] = []
    for option in data.get("options", []):
        answer = (option.get("match") or "").strip()
        if answer and answer not in seen:
            seen.append(answer)
    return seen


def grade_matching(data: dict, response) -> Decimal:
    """Each prompt matched to its answer earns an equal share."""
    prompts = matching_prompts(data)
    if not prompts or not isinstance(response, dict):
        return ZERO
    right = sum(1 for prompt in prompts if _matched(response.get(str(prompt["id"])), prompt))
    return clamp(Decimal(right) / Decimal(len(prompts)))


def _matched(given, prompt: dict) -> bool:
    return isinstance(given, str) and given.strip() == (prompt.get("match") or "").strip()


def grade_ordering(data: dict, response) -> Decimal:
    """Each item put in its right absolute position earns an equal share."""
    correct = [option["id"] for option in data.get("options", [])]
    if not correct or not isinstance(response, dict):
        return ZERO
    right = sum(1 for index, key in enumerate(correct, start=1) if _as_int(response.get(str(key))) == index)
    return clamp(Decimal(right) / Decimal(len(correct)))


def grade_essay(data: dict, response) -> Decimal | None:
    """A person grades essays; an empty essay earns nothing and needs nobody."""
    if not isinstance(response, str) or not response.strip():
        return ZERO
    return None


GRADERS = {
    "single": grade_single,
    "multiple": grade_multiple,
    "truefalse": grade_truefalse,
    "shortanswer": grade_shortanswer,
    "numerical": grade_numerical,
    "matching": grade_matching,
    "ordering": grade_ordering,
    "essay": grade_essay,
}


def right_answer_summary(data: dict) -> list[str]:
    """The right answer(s) in words, for the review page when the quiz shows right answers."""
    qtype = data["type"]
    options = data.get("options", [])
    if qtype in ("single", "multiple"):
        return [option["text"] for option in options if credit(option) > 0]
    if qtype == "truefalse":
        return ["true" if data.get("correct_true", True) else "false"]
    if qtype in ("shortanswer", "numerical"):
        best = max((credit(option) for option in options), default=ZERO)
        rows = [option for option in options if credit(option) == best and best > 0]
        if qtype == "numerical":
            return [
                option["text"] + (f" ± {option['tolerance']}" if Decimal(option.get("tolerance") or 0) else "")
                for option in rows
            ]
        return [option["text"] for option in rows]
    if qtype == "matching":
        return [f"{prompt['text']} → {prompt['match']}" for prompt in matching_prompts(data)]
    if qtype == "ordering":
        return [option["text"] for option in options]
    return []


def option_feedback(data: dict, response) -> list[str]:
    """Feedback attached to what the learner chose (choice, short answer, numerical, true/false)."""
    qtype = data["type"]
    options = option_by_id(data)
    if qtype == "single":
        option = options.get(_as_int(response))
        return [option["feedback"]] if option and option.get("feedback") else []
    if qtype == "multiple" and isinstance(response, list):
        return [
            options[key]["feedback"] for key in map(_as_int, response) if key in options and options[key]["feedback"]
        ]
    if qtype == "truefalse" and isinstance(response, bool):
        text = data.get("true_feedback") if response else data.get("false_feedback")
        return [text] if text else []
    if qtype == "shortanswer" and isinstance(response, str) and response.strip():
        flags = {"case_sensitive": bool(data.get("case_sensitive")), "ignore_spaces": bool(data.get("ignore_spaces"))}
        given = normalise_text(response, **flags)
        matches = [o for o in data.get("options", []) if _pattern(o.get("text", ""), **flags).match(given)]
        if matches:
            best = max(matches, key=credit)
            return [best["feedback"]] if best.get("feedback") else []
    if qtype == "numerical":
        value = parse_number(response)
        option = matching_option(data, value) if value is not None else None
        return [option["feedback"]] if option and option.get("feedback") else []
    return []


def _as_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
