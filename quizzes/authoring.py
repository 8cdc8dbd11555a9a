"""Authoring rules shared by the admin form and the importers: what makes a question complete, and
turning a parsed draft into a saved question."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.html import escape, linebreaks, strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from wagtail.whitelist import Whitelister

from quizzes import grading
from quizzes.models import Question, QuestionCategory, QuestionOption, QuestionType

HUNDRED = Decimal("100")


@dataclass
class OptionDraft:
    text: str
    credit: Decimal = Decimal("0")
    feedback: str = ""
    match: str = ""
    tolerance: Decimal = Decimal("0")


@dataclass
class QuestionDraft:
    qtype: str
    name: str
    text: str  # HTML, already sanitised
    default_mark: Decimal = Decimal("1")
    general_feedback: str = ""
    options: list[OptionDraft] = field(default_factory=list)
    shuffle: bool = True
    case_sensitive: bool = False
    ignore_spaces: bool = False
    correct_true: bool = True
    true_feedback: str = ""
    false_feedback: str = ""
    response_template: str = ""
    grader_info: str = ""
    tags: list[str] = field(default_factory=list)
    category_path: list[str] = field(default_factory=list)
    category_description: str = ""  # of the category at category_path, set where that has none yet
    warnings: list[str] = field(default_factory=list)
    source_line: int = 0  # where the question starts in the file (GIFT), for the import report


@dataclass
class Problem:
    """A question of an imported file that was not imported, and why."""

    index: int
    name: str
    reason: str
    line: int = 0  # where the question starts in the file, when the format has lines


def plain_to_html(text: str) -> str:
    return linebreaks(escape(text.strip())) if text.strip() else ""


def clean_html(html: str) -> str:
    """Keep formatting, drop scripts, event handlers and anything else an imported file may carry."""
    return Whitelister().clean(html or "").strip()


def option_problems(qtype: str, options: list[dict]) -> list[str]:
    """Why a question of ``qtype`` with these options cannot be answered or graded (empty = fine).

    ``options``: dicts with ``text``, ``credit`` (percent), ``match``, ``tolerance``."""
    rows = [row for row in options if (row.get("text") or "").strip() or (row.get("match") or "").strip()]
    credits = [Decimal(row.get("credit") or 0) for row in rows]
    problems = []
    if qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        if len(rows) < 2:
            problems.append(_("A choice question needs at least two options."))
        if qtype == QuestionType.SINGLE and not any(value == HUNDRED for value in credits):
            problems.append(_("One option must give full credit (100)."))
        if qtype == QuestionType.MULTIPLE:
            positive = sum((value for value in credits if value > 0), Decimal("0"))
            if abs(positive - HUNDRED) > Decimal("0.1"):
                problems.append(_("The positive credits of a multiple-choice question must add up to 100%."))
    elif qtype == QuestionType.SHORTANSWER:
        if not any(value == HUNDRED for value in credits):
            problems.append(_("At least one accepted answer must give full credit (100)."))
    elif qtype == QuestionType.NUMERICAL:
        if not rows:
            problems.append(_("A numerical question needs at least one answer."))
        for row in rows:
            text = (row.get("text") or "").strip()
            if text != "*" and grading.parse_number(text) is None:
                problems.append(_("'%(value)s' is not a number.") % {"value": text})
        if not any(value == HUNDRED for value in credits):
            problems.append(_("At least one answer must give full credit (100)."))
    elif qtype == QuestionType.MATCHING:
        prompts = [row for row in rows if (row.get("text") or "").strip()]
        if len(prompts) < 2:
            problems.append(_("A matching question needs at least two prompts, each with an answer."))
        if any(not (row.get("match") or "").strip() for row in prompts):
            problems.append(_("Every matching prompt needs an answer."))
    elif qtype == QuestionType.ORDERING and len(rows) < 2:
        problems.append(_("An ordering question needs at least two items."))
    return problems


def draft_problems(draft: QuestionDraft) -> list[str]:
    problems = []
    if draft.qtype not in QuestionType.values:
        problems.append(_("Unknown question type."))
        return problems
    if not draft.text.strip():
        problems.append(_("The question has no text."))
    problems += option_problems(
        draft.qtype,
        [{"text": o.text, "credit": o.credit, "match": o.match, "tolerance": o.tolerance} for o in draft.options],
    )
    return problems


def category_below(root: QuestionCategory, path: list[str]) -> QuestionCategory:
    """The category at ``path`` below ``root``, created where missing."""
    category = root
    for name in path:
        name = name.strip()[:200]
        if not name:
            continue
        child = category.get_children().filter(name=name).first()
        if child is None:
            category.refresh_from_db()
            child = category.add_child(name=name)
        category = child
    return category


def save_draft(draft: QuestionDraft, *, category: QuestionCategory, user=None) -> Question:
    question = Question(
        category=category,
        qtype=draft.qtype,
        name=(draft.name.strip() or Truncator(strip_tags(draft.text)).chars(80))[:255] or _("Question"),
        text=draft.text,
        default_mark=draft.default_mark,
        general_feedback=draft.general_feedback,
        shuffle_options=draft.shuffle,
        case_sensitive=draft.case_sensitive,
        ignore_spaces=draft.ignore_spaces,
        correct_true=draft.correct_true,
        true_feedback=draft.true_feedback,
        false_feedback=draft.false_feedback,
        response_template=draft.response_template,
        grader_info=draft.grader_info,
        created_by=user,
    )
    question.options = [
        QuestionOption(
            text=option.text,
            credit=option.credit,
            feedback=option.feedback,
            match_text=option.match[:255],
            tolerance=abs(option.tolerance),
            sort_order=index,
        )
        for index, option in enumerate(draft.options)
    ]
    if draft.category_description and not category.description:
        category.description = draft.category_description
        category.save(update_fields=["description"])
    if draft.tags:
        question.tags.set([tag.strip()[:100] for tag in draft.tags if tag.strip()])
    question.save()
    return question
