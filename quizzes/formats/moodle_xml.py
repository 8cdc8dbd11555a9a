"""Moodle XML import and export for the question types of the bank.

Import: multichoice (single/multiple, fractions in %, negative marks), truefalse, shortanswer (usecase),
numerical (tolerance), matching, ordering (qtype_ordering), essay; category records set the category
path; tags are kept. Other types (calculated, cloze, drag-and-drop, description, random …) are reported
per question. Parsing goes through defusedxml: entity expansion and external entities are refused."""

from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element, SubElement, tostring  # noqa: S405 - building, not parsing

from defusedxml import ElementTree as SafeElementTree
from defusedxml.common import DefusedXmlException
from django.utils.translation import gettext as _

from quizzes.authoring import OptionDraft, Problem, QuestionDraft, clean_html, plain_to_html
from quizzes.formats.gift import moodle_category_path

HUNDRED = Decimal("100")
SUPPORTED = {"multichoice", "truefalse", "shortanswer", "numerical", "matching", "ordering", "essay"}


def _text(element, path: str = "text", default: str = "") -> str:
    if element is None:
        return default
    found = element.find(path)
    return (found.text or "") if found is not None else default


def _formatted(element) -> tuple[str, bool]:
    """(HTML, had_files) of an element with format= and a <text> child."""
    if element is None:
        return "", False
    text = _text(element)
    had_files = element.find("file") is not None or "@@PLUGINFILE@@" in text
    if element.get("format", "html") == "html" or element.get("format") == "moodle_auto_format" and "<" in text:
        return clean_html(text), had_files
    return plain_to_html(text), had_files


def _plain(element) -> str:
    """Feedback and the like: kept as plain text (tags stripped)."""
    from django.utils.html import strip_tags

    return strip_tags(_text(element)).strip()


def _decimal(value, default="0") -> Decimal:
    try:
        return Decimal(str(value).strip())
    except (InvalidOperation, AttributeError):
        return Decimal(default)


def _bool(value, default=False) -> bool:
    if value is None:
        return default
    return str(value).strip().lower() in ("1", "true", "yes")


def parse_question(node, *, category_path: list[str]) -> QuestionDraft:
    qtype = node.get("type", "")
    if qtype not in SUPPORTED:
        raise ValueError(_("Question type '%(type)s' is not supported.") % {"type": qtype})
    text, had_files = _formatted(node.find("questiontext"))
    draft = QuestionDraft(
        qtype="",
        name=_text(node.find("name")).strip(),
        text=text,
        default_mark=_decimal(_text(node, "defaultgrade", "1"), "1"),
        general_feedback=_plain(node.find("generalfeedback")),
        category_path=list(category_path),
        tags=[_text(tag).strip() for tag in node.findall("tags/tag") if _text(tag).strip()],
    )
    if draft.default_mark <= 0:
        draft.default_mark = Decimal("1")
    draft.shuffle = _bool(node.findtext("shuffleanswers"), True)
    answers = node.findall("answer")
    if qtype == "multichoice":
        draft.qtype = "single" if _bool(node.findtext("single"), True) else "multiple"
        for answer in answers:
            answer_html, files = _formatted(answer)
            had_files = had_files or files
            draft.options.append(
                OptionDraft(
                    text=_plain_or(answer_html),
                    credit=_decimal(answer.get("fraction")),
                    feedback=_plain(answer.find("feedback")),
                )
            )
    elif qtype == "truefalse":
        draft.qtype = "truefalse"
        for answer in answers:
            is_true = _text(answer).strip().lower() == "true"
            right = _decimal(answer.get("fraction")) > 0
            if right:
                draft.correct_true = is_true
            if is_true:
                draft.true_feedback = _plain(answer.find("feedback"))
            else:
                draft.false_feedback = _plain(answer.find("feedback"))
    elif qtype == "shortanswer":
        draft.qtype = "shortanswer"
        draft.case_sensitive = _bool(node.findtext("usecase"))
        for answer in answers:
            draft.options.append(
                OptionDraft(
                    text=_text(answer).strip(),
                    credit=_decimal(answer.get("fraction")),
                    feedback=_plain(answer.find("feedback")),
                )
            )
    elif qtype == "numerical":
        draft.qtype = "numerical"
        if node.find("units/unit") is not None and _bool(node.findtext("unitgradingtype"), False):
            draft.warnings.append(_("Units were not imported."))
        for answer in answers:
            value = _text(answer).strip()
            draft.options.append(
                OptionDraft(
                    text=value,
                    credit=_decimal(answer.get("fraction")),
                    feedback=_plain(answer.find("feedback")),
                    tolerance=abs(_decimal(answer.findtext("tolerance"), "0")),
                )
            )
    elif qtype == "matching":
        draft.qtype = "matching"
        for sub in node.findall("subquestion"):
            prompt_html, files = _formatted(sub)
            had_files = had_files or files
            draft.options.append(OptionDraft(text=_plain_or(prompt_html), match=_text(sub.find("answer")).strip()))
    elif qtype == "ordering":
        draft.qtype = "ordering"
        # qtype_ordering stores each item's position in fraction (1, 2, 3 …).
        items = sorted(enumerate(answers), key=lambda pair: (_decimal(pair[1].get("fraction"), str(pair[0])), pair[0]))
        for _index, answer in items:
            item_html, files = _formatted(answer)
            had_files = had_files or files
            draft.options.append(OptionDraft(text=_plain_or(item_html)))
    elif qtype == "essay":
        draft.qtype = "essay"
        draft.response_template = _plain(node.find("responsetemplate"))
        draft.grader_info = _plain(node.find("graderinfo"))
    if had_files:
        draft.warnings.append(_("Embedded images or files were not imported."))
    return draft


def _plain_or(html: str) -> str:
    from django.utils.html import strip_tags

    return " ".join(strip_tags(html).split())


def parse(content: bytes | str) -> tuple[list[tuple[int, QuestionDraft]], list[Problem]]:
    try:
        root = SafeElementTree.fromstring(content.encode() if isinstance(content, str) else content)
    except (SafeElementTree.ParseError, DefusedXmlException, ValueError) as exc:
        return [], [Problem(index=0, name="", reason=_("The file is not valid Moodle XML: %(error)s") % {"error": exc})]
    if root.tag != "quiz":
        return [], [Problem(index=0, name="", reason=_("The file is not Moodle XML: the root element must be <quiz>."))]
    drafts, problems = [], []
    category_path: list[str] = []
    index = 0
    for node in root.findall("question"):
        if node.get("type") == "category":
            category_path = moodle_category_path(_text(node.find("category")))
            continue
        index += 1
        try:
            drafts.append((index, parse_question(node, category_path=category_path)))
        except ValueError as exc:
            name = _text(node.find("name")).strip() or _plain_or(_text(node.find("questiontext")))[:80]
            problems.append(Problem(index=index, name=name, reason=str(exc)))
    return drafts, problems


# --- export --------------------------------------------------------------------------------------


def _add_text(parent, tag: str, text: str, *, fmt: str | None = "html", **attrs):
    element = SubElement(parent, tag, **({"format": fmt} if fmt else {}), **attrs)
    SubElement(element, "text").text = text or ""
    return element


def _fraction(credit) -> str:
    return format(Decimal(credit).normalize(), "f")


def question_element(question, *, options, tags) -> Element:
    qtype = question.qtype
    moodle_type = {"single": "multichoice", "multiple": "multichoice"}.get(qtype, qtype)
    node = Element("question", type=moodle_type)
    name = SubElement(node, "name")
    SubElement(name, "text").text = question.name
    _add_text(node, "questiontext", question.text)
    _add_text(node, "generalfeedback", question.general_feedback, fmt="plain_text")
    SubElement(node, "defaultgrade").text = format(Decimal(question.default_mark), "f")
    SubElement(node, "penalty").text = "0"
    SubElement(node, "hidden").text = "0"
    if qtype in ("single", "multiple"):
        SubElement(node, "single").text = "true" if qtype == "single" else "false"
        SubElement(node, "shuffleanswers").text = "true" if question.shuffle_options else "false"
        SubElement(node, "answernumbering").text = "abc"
        for option in options:
            answer = _add_text(node, "answer", option.text, fmt="plain_text", fraction=_fraction(option.credit))
            _add_text(answer, "feedback", option.feedback, fmt="plain_text")
    elif qtype == "truefalse":
        for value, feedback in (("true", question.true_feedback), ("false", question.false_feedback)):
            right = (value == "true") == question.correct_true
            answer = _add_text(node, "answer", value, fmt="moodle_auto_format", fraction="100" if right else "0")
            _add_text(answer, "feedback", feedback, fmt="plain_text")
    elif qtype == "shortanswer":
        SubElement(node, "usecase").text = "1" if question.case_sensitive else "0"
        for option in options:
            answer = _add_text(node, "answer", option.text, fmt="moodle_auto_format", fraction=_fraction(option.credit))
            _add_text(answer, "feedback", option.feedback, fmt="plain_text")
    elif qtype == "numerical":
        for option in options:
            answer = _add_text(node, "answer", option.text, fmt="moodle_auto_format", fraction=_fraction(option.credit))
            _add_text(answer, "feedback", option.feedback, fmt="plain_text")
            SubElement(answer, "tolerance").text = format(Decimal(option.tolerance).normalize(), "f")
    elif qtype == "matching":
        SubElement(node, "shuffleanswers").text = "true" if question.shuffle_options else "false"
        for option in options:
            sub = _add_text(node, "subquestion", option.text, fmt="plain_text")
            SubElement(SubElement(sub, "answer"), "text").text = option.match_text
    elif qtype == "ordering":
        SubElement(node, "layouttype").text = "VERTICAL"
        SubElement(node, "selecttype").text = "ALL"
        SubElement(node, "selectcount").text = "0"
        SubElement(node, "gradingtype").text = "ABSOLUTE_POSITION"
        for position, option in enumerate(options, start=1):
            _add_text(node, "answer", option.text, fmt="plain_text", fraction=str(position))
    elif qtype == "essay":
        SubElement(node, "responseformat").text = "plain"
        SubElement(node, "responserequired").text = "1"
        SubElement(node, "responsefieldlines").text = "10"
        _add_text(node, "graderinfo", question.grader_info, fmt="plain_text")
        _add_text(node, "responsetemplate", question.response_template, fmt="plain_text")
    if tags:
        tags_node = SubElement(node, "tags")
        for tag in tags:
            SubElement(SubElement(tags_node, "tag"), "text").text = tag
    return node


def export(questions_by_category: list[tuple[list[str], list]]) -> bytes:
    """``[(category path, [question with prefetched options and tags]), …]`` → Moodle XML bytes."""
    root = Element("quiz")
    for path, questions in questions_by_category:
        category = SubElement(root, "question", type="category")
        SubElement(SubElement(category, "category"), "text").text = "$course$/top/" + "/".join(path)
        for question in questions:
            root.append(
                question_element(
                    question,
                    options=sorted(question.options.all(), key=lambda option: (option.sort_order or 0, option.pk)),
                    tags=sorted(tag.name for tag in question.tags.all()),
                )
            )
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode").encode("utf-8")
