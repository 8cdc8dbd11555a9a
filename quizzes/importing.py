"""Importing a GIFT or Moodle XML file into the question bank: each question created whole or reported
with its reason."""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from quizzes import authoring
from quizzes.formats import gift, moodle_xml
from quizzes.models import Question


@dataclass
class ImportReport:
    created: list[tuple[int, Question, list[str]]] = field(default_factory=list)  # (index, question, warnings)
    problems: list = field(default_factory=list)  # authoring.Problem
    format_name: str = ""


MAX_IMPORT_QUESTIONS = 2000


def questions_import(*, filename: str, content: bytes, category, user=None) -> ImportReport:
    """Import a GIFT or Moodle XML file below ``category``. Each question is created whole or reported with
    its reason; one bad question never stops the others, and a crash leaves nothing half-written."""
    report = ImportReport()
    head = content[:200].lstrip().lower()
    if filename.lower().endswith(".xml") or head.startswith((b"<?xml", b"<quiz")):
        report.format_name = "Moodle XML"
        drafts, problems = moodle_xml.parse(content)
    else:
        report.format_name = "GIFT"
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = content.decode("cp1252", errors="replace")
        drafts, problems = gift.parse(text)
    report.problems.extend(problems)
    if len(drafts) > MAX_IMPORT_QUESTIONS:
        report.problems.append(
            authoring.Problem(
                index=0,
                name="",
                reason=_("The file has more than %(max)s questions; split it.") % {"max": MAX_IMPORT_QUESTIONS},
            )
        )
        return report
    with transaction.atomic():
        for index, draft in drafts:
            reasons = authoring.draft_problems(draft)
            if reasons:
                report.problems.append(
                    authoring.Problem(index=index, name=draft.name, reason=" ".join(reasons), line=draft.source_line)
                )
                continue
            try:
                with transaction.atomic():
                    target = authoring.category_below(category, draft.category_path)
                    question = authoring.save_draft(draft, category=target, user=user)
            except (ValueError, ArithmeticError, IntegrityError) as exc:
                report.problems.append(
                    authoring.Problem(index=index, name=draft.name, reason=str(exc), line=draft.source_line)
                )
                continue
            report.created.append((index, question, draft.warnings))
    report.problems.sort(key=lambda problem: problem.index)
    return report
