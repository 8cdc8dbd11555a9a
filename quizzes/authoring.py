"""Authoring rules shared by the admin form and the importers: what makes a question complete, and
turning a parsed draft into a saved question."""

from decimal import Decimal

from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from quizzes import qtypes
from quizzes.drafts import OptionDraft, Problem, QuestionDraft
from quizzes.models import Question, QuestionCategory, QuestionOption, QuestionType

__all__ = [
    "OptionDraft",
    "Problem",
    "QuestionDraft",
    "category_below",
    "draft_problems",
    "option_problems",
    "save_draft",
]


def option_problems(qtype: str, options: list[dict]) -> list[str]:
    """Why a question of ``qtype`` with these options cannot be answered or graded (empty = fine).

    ``options``: dicts with ``text``, ``credit`` (percent), ``match``, ``tolerance``; the rule is the type's."""
    rows = [row for row in options if (row.get("text") or "").strip() or (row.get("match") or "").strip()]
    return qtypes.get(qtype).option_problems(rows, [Decimal(row.get("credit") or 0) for row in rows])


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
