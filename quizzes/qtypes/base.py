"""What every question type offers, and the pure helpers the types share (credits, numbers, text matching).

A type works on a version's JSON snapshot (``Question.snapshot``), never on models: grading and the
attempt pages read the version a learner was shown. Responses are in the internal form described in
``quizzes.grading``."""

import re
import unicodedata
from decimal import Decimal, InvalidOperation

ZERO = Decimal("0")
ONE = Decimal("1")
HUNDRED = Decimal("100")

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


def as_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def index_in(value, length: int):
    """A display position posted by the browser, when it is one (0 ≤ index < length)."""
    index = as_int(value)
    return index if index is not None and 0 <= index < length else None


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


def normalise_text(text: str, *, case_sensitive: bool, ignore_spaces: bool) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    text = _SPACES.sub("", text) if ignore_spaces else _SPACES.sub(" ", text).strip()
    return text if case_sensitive else text.casefold()


def text_pattern(answer: str, *, case_sensitive: bool, ignore_spaces: bool) -> re.Pattern:
    # "*" matches anything (as in Moodle); everything else is literal.
    normalised = normalise_text(answer, case_sensitive=case_sensitive, ignore_spaces=ignore_spaces)
    return re.compile("^" + ".*".join(re.escape(part) for part in normalised.split("*")) + "$", re.DOTALL)


def best_options(data: dict) -> list[dict]:
    """The answer rows with the best credit (short answer, numerical), when that credit is above 0."""
    options = data.get("options", [])
    best = max((credit(option) for option in options), default=ZERO)
    return [option for option in options if credit(option) == best and best > 0]


class FormFields:
    """The submitted form fields of one question (a QueryDict or a dict of lists)."""

    def __init__(self, post, prefix: str):
        self.post = post
        self.prefix = prefix

    def all(self, name: str | None = None) -> list:
        name = name or self.prefix
        values = self.post.getlist(name) if hasattr(self.post, "getlist") else self.post.get(name, [])
        return [values] if isinstance(values, str) else values

    def first(self, name: str | None = None):
        values = self.all(name)
        return values[0] if values else None


class QuestionTypeBase:
    """One question type: how it is laid out, answered, shown, graded, checked, imported and exported.

    Subclasses set ``value`` (the ``QuestionType`` value) and override what differs; each registers itself
    in ``quizzes.qtypes`` with ``@register``."""

    value = ""
    has_options = True  # whether its QuestionOption rows mean something (snapshotted and edited)
    needs_manual_grading = False  # a person grades it (``grade`` returns None)
    moodle_type = ""  # <question type="…"> written on export
    moodle_names: tuple[str, ...] = ()  # <question type="…"> values read on import
    moodle_shuffle_default = True  # Moodle's default when <shuffleanswers> is missing
    gift_order: int | None = None  # its place in Moodle's GIFT type decision; None = not in GIFT

    @property
    def answer_template(self) -> str:
        return f"quizzes/qtypes/{self.value}.html"

    @property
    def review_template(self) -> str:
        return f"quizzes/qtypes/{self.value}_review.html"

    # --- the attempt ------------------------------------------------------------------------------

    def build_layout(self, data: dict, *, shuffle: bool, rng) -> dict:
        """The display order of its parts for one attempt (stored with the slot, so it is stable)."""
        return {}

    def parse_response(self, data: dict, layout: dict, fields: FormFields):
        """Submitted form fields → the internal response."""
        raise NotImplementedError

    def form_values(self, data: dict, layout: dict, response, prefix: str) -> dict[str, list[str]]:
        """The inverse of ``parse_response``: the form fields that show ``response`` on the attempt page."""
        raise NotImplementedError

    def present(self, data: dict, layout: dict, response, *, options: dict, reveal, answered: bool) -> dict:
        """The type's part of the template's view of a question; nothing of the key unless ``reveal`` allows."""
        return {}

    # --- grading and the review -------------------------------------------------------------------

    def grade(self, data: dict, response) -> Decimal | None:
        raise NotImplementedError

    def right_answers(self, data: dict) -> list[str]:
        return []

    def right_answers_text(self, data: dict) -> list[str]:
        """The right answers as the review shows them (translated where they are words)."""
        return self.right_answers(data)

    def feedback(self, data: dict, response) -> list[str]:
        return []

    # --- authoring --------------------------------------------------------------------------------

    def option_problems(self, rows: list[dict], credits: list[Decimal]) -> list[str]:
        """Why a question of this type with these (non-empty) option rows cannot be answered or graded."""
        return []

    # --- GIFT ---------------------------------------------------------------------------------------

    def gift_claims(self, body: str) -> bool:
        """Whether an answer block ``{…}`` is of this type (asked in ``gift_order``)."""
        return False

    def gift_parse(self, draft, body: str, fmt: str) -> None:
        """Fill the draft from the answer block (escapes still protected); raises ValueError(reason)."""

    # --- Moodle XML ---------------------------------------------------------------------------------

    def xml_parse(self, draft, node, fmt: str) -> bool:
        """Fill the draft from a <question> element; returns whether it carried files (not imported)."""
        return False

    def xml_export(self, node, question, options) -> None:
        """Add the type's elements to a <question> element being written."""

    # --- demo and bench -----------------------------------------------------------------------------

    def demo_answer(self, data: dict, layout: dict, prefix: str, *, right: bool, rng) -> dict[str, list[str]]:
        """Form fields a learner would send, answering right or wrong (seed_demo and bench)."""
        raise NotImplementedError


class TextAnswerType(QuestionTypeBase):
    """A type answered by typing (short answer, numerical, essay)."""

    max_length = 255

    def parse_response(self, data, layout, fields):
        return (fields.first() or "")[: self.max_length]

    def form_values(self, data, layout, response, prefix):
        return {prefix: [response if isinstance(response, str) else ""]}

    def present(self, data, layout, response, *, options, reveal, answered):
        return {"value": response if isinstance(response, str) else "", "maxlength": self.max_length}

    review_template = "quizzes/qtypes/text_review.html"
