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

from quizzes.authoring import OptionDraft, Problem, QuestionDraft
from quizzes.formats.gift import assemble_category_path, moodle_category_path
from quizzes.formats.text import default_name, to_html, to_plain, xml_safe

HUNDRED = Decimal("100")
SUPPORTED = {"multichoice", "truefalse", "shortanswer", "numerical", "matching", "ordering", "essay"}
FORMATS = {"html", "moodle_auto_format", "plain_text", "markdown", "wiki_like"}


def _text(element, path: str = "text", default: str = "") -> str:
    """The text of a child, trimmed as Moodle trims it (``import_text``/``getpath``)."""
    if element is None:
        return default
    found = element.find(path)
    return (found.text or "").strip() if found is not None else default


def _format(element, default: str) -> str:
    value = (element.get("format") or "").strip() if element is not None else ""
    return value if value in FORMATS else default


def _formatted(element, default: str = "html") -> tuple[str, bool]:
    """(sanitised HTML, had files) of an element with format= and a <text> child."""
    if element is None:
        return "", False
    text = _text(element)
    had_files = element.find("file") is not None or "@@PLUGINFILE@@" in text
    return to_html(text, _format(element, default)), had_files


def _plain(element, default: str) -> str:
    """An answer, feedback or other text the bank holds as plain text: literal when the file says
    plain_text, the visible text when it is HTML."""
    if element is None:
        return ""
    return to_plain(_text(element), _format(element, default))


def _decimal(value, default="0") -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, AttributeError):
        return Decimal(default)
    return number if number.is_finite() else Decimal(default)


def _bool(value, default=False) -> bool:
    if value is None or not str(value).strip():
        return default
    return str(value).strip().lower() in ("1", "true", "yes")


def parse_question(node, *, category_path: list[str], category_description: str = "") -> QuestionDraft:
    qtype = node.get("type", "")
    if qtype not in SUPPORTED and qtype != "match":
        raise ValueError(_("Question type '%(type)s' is not supported.") % {"type": qtype})
    question_text = node.find("questiontext")
    text_format = _format(question_text, "html")
    # As in Moodle, answers and feedback without a format= take the question text's format.
    fmt = text_format
    text, had_files = _formatted(question_text, "html")
    draft = QuestionDraft(
        qtype="",
        name=_text(node.find("name")),
        text=text,
        default_mark=_decimal(node.findtext("defaultgrade", "1"), "1"),
        general_feedback=_plain(node.find("generalfeedback"), fmt),
        category_path=list(category_path),
        category_description=category_description,
        tags=_tags(node),
    )
    draft.name = draft.name or default_name(text)
    if draft.default_mark <= 0:
        draft.default_mark = Decimal("1")
    had_files = had_files or node.find("generalfeedback/file") is not None
    image = _text(node, "image") if node.find("image") is not None else ""
    if image or node.find("image_base64") is not None:
        draft.warnings.append(
            _("The image '%(name)s' (Moodle 1.9 <image> element) was not imported: add it to the question text again.")
            % {"name": image or "?"}
        )
    if _bool(node.findtext("hidden")):
        draft.warnings.append(_("The question was hidden in Moodle; here it is a normal question of the bank."))
    # Moodle's default when the element is missing: no shuffling for choices, shuffling for matching.
    draft.shuffle = _bool(node.findtext("shuffleanswers"), qtype != "multichoice")
    answers = node.findall("answer")
    if qtype == "multichoice":
        draft.qtype = "single" if _bool(node.findtext("single"), True) else "multiple"
        for answer in answers:
            had_files = had_files or answer.find("file") is not None or "@@PLUGINFILE@@" in _text(answer)
            draft.options.append(
                OptionDraft(
                    text=_plain(answer, fmt),
                    credit=_decimal(answer.get("fraction")),
                    feedback=_plain(answer.find("feedback"), fmt),
                )
            )
    elif qtype == "truefalse":
        draft.qtype = "truefalse"
        old_style = False
        for position, answer in enumerate(answers[:2]):
            value = _text(answer).lower()
            if value not in ("true", "false"):
                # Old exports wrote the words in the site's language; Moodle then takes true, false in order.
                old_style = True
                value = "true" if position == 0 else "false"
            right = _decimal(answer.get("fraction")) == HUNDRED
            if value == "true":
                draft.correct_true = right
                draft.true_feedback = _plain(answer.find("feedback"), fmt)
            else:
                draft.correct_true = not right
                draft.false_feedback = _plain(answer.find("feedback"), fmt)
        if old_style:
            draft.warnings.append(_("The answers were not named true/false: the first was taken as 'true'."))
    elif qtype == "shortanswer":
        draft.qtype = "shortanswer"
        draft.case_sensitive = _bool(node.findtext("usecase"))
        draft.ignore_spaces = _bool(node.findtext("ignorespaces"))
        for answer in answers:
            draft.options.append(
                OptionDraft(
                    text=_text(answer),  # Moodle: short answers are plain text whatever the format says
                    credit=_decimal(answer.get("fraction")),
                    feedback=_plain(answer.find("feedback"), fmt),
                )
            )
    elif qtype == "numerical":
        draft.qtype = "numerical"
        if node.find("units/unit") is not None:
            draft.warnings.append(_("Units were not imported: only the number is checked."))
        for answer in answers:
            value = _text(answer) or "*"
            draft.options.append(
                OptionDraft(
                    text=value,
                    credit=_decimal(answer.get("fraction")),
                    feedback=_plain(answer.find("feedback"), fmt),
                    tolerance=abs(_decimal(answer.findtext("tolerance"), "0")),
                )
            )
    elif qtype in ("matching", "match"):
        draft.qtype = "matching"
        for sub in node.findall("subquestion"):
            had_files = had_files or sub.find("file") is not None or "@@PLUGINFILE@@" in _text(sub)
            draft.options.append(OptionDraft(text=_plain(sub, fmt), match=_text(sub.find("answer"))))
    elif qtype == "ordering":
        draft.qtype = "ordering"
        # qtype_ordering stores each item's position in fraction (1, 2, 3 …).
        items = sorted(enumerate(answers), key=lambda pair: (_decimal(pair[1].get("fraction"), str(pair[0])), pair[0]))
        for _index, answer in items:
            had_files = had_files or answer.find("file") is not None or "@@PLUGINFILE@@" in _text(answer)
            draft.options.append(OptionDraft(text=_plain(answer, fmt)))
    elif qtype == "essay":
        draft.qtype = "essay"
        draft.response_template = _plain(node.find("responsetemplate"), fmt)
        draft.grader_info = _plain(node.find("graderinfo"), fmt)
    if had_files:
        draft.warnings.append(_("Embedded images or files were not imported."))
    return draft


def _tags(node) -> list[str]:
    tags: list[str] = []
    for tag in node.findall("tags/tag"):
        name = _text(tag)
        if name and name not in tags:
            tags.append(name)
    return tags


def parse(content: bytes | str) -> tuple[list[tuple[int, QuestionDraft]], list[Problem]]:
    """The whole file → ``([(question number, draft)], [problem])``; one broken question never hides the others."""
    try:
        root = SafeElementTree.fromstring(content.encode() if isinstance(content, str) else content)
    except (SafeElementTree.ParseError, DefusedXmlException, ValueError) as exc:
        return [], [Problem(index=0, name="", reason=_("The file is not valid Moodle XML: %(error)s") % {"error": exc})]
    if root.tag != "quiz":
        return [], [Problem(index=0, name="", reason=_("The file is not Moodle XML: the root element must be <quiz>."))]
    drafts, problems = [], []
    category_path: list[str] = []
    category_description = ""
    index = 0
    for node in root.findall("question"):
        if node.get("type") == "category":
            category_path = moodle_category_path(_text(node.find("category")))
            category_description = _plain(node.find("info"), "moodle_auto_format")
            continue
        index += 1
        try:
            drafts.append(
                (
                    index,
                    parse_question(node, category_path=category_path, category_description=category_description),
                )
            )
        except ValueError as exc:
            name = _text(node.find("name")) or default_name(_text(node.find("questiontext")))
            problems.append(Problem(index=index, name=name, reason=str(exc)))
    return drafts, problems


# --- export --------------------------------------------------------------------------------------
# Every plain-text field is written as format="plain_text" (Moodle shows it escaped, we read it back
# literally); question text is HTML. Fields Moodle has no element for are written as extra elements
# Moodle ignores (<ignorespaces>, <shuffleanswers> on every type), so our own round trip loses nothing.


def _add_text(parent, tag: str, text: str, *, fmt: str | None = "plain_text", **attrs):
    element = SubElement(parent, tag, **({"format": fmt} if fmt else {}), **attrs)
    SubElement(element, "text").text = xml_safe(text)
    return element


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _number(value) -> str:
    return format(Decimal(value).normalize(), "f")


def question_element(question, *, options, tags) -> Element:
    qtype = question.qtype
    moodle_type = {"single": "multichoice", "multiple": "multichoice"}.get(qtype, qtype)
    node = Element("question", type=moodle_type)
    SubElement(SubElement(node, "name"), "text").text = xml_safe(question.name)
    _add_text(node, "questiontext", question.text, fmt="html")
    _add_text(node, "generalfeedback", question.general_feedback)
    SubElement(node, "defaultgrade").text = _number(question.default_mark)
    SubElement(node, "penalty").text = "0"  # our attempts have one try: nothing is deducted
    SubElement(node, "hidden").text = "0"
    SubElement(node, "shuffleanswers").text = _flag(question.shuffle_options)
    if qtype in ("single", "multiple"):
        SubElement(node, "single").text = _flag(qtype == "single")
        SubElement(node, "answernumbering").text = "abc"
        for option in options:
            answer = _add_text(node, "answer", option.text, fraction=_number(option.credit))
            _add_text(answer, "feedback", option.feedback)
    elif qtype == "truefalse":
        for value, feedback in (("true", question.true_feedback), ("false", question.false_feedback)):
            right = (value == "true") == question.correct_true
            answer = _add_text(node, "answer", value, fmt="moodle_auto_format", fraction="100" if right else "0")
            _add_text(answer, "feedback", feedback)
    elif qtype == "shortanswer":
        SubElement(node, "usecase").text = "1" if question.case_sensitive else "0"
        SubElement(node, "ignorespaces").text = "1" if question.ignore_spaces else "0"
        for option in options:
            answer = _add_text(node, "answer", option.text, fmt="moodle_auto_format", fraction=_number(option.credit))
            _add_text(answer, "feedback", option.feedback)
    elif qtype == "numerical":
        for option in options:
            answer = _add_text(node, "answer", option.text, fmt="moodle_auto_format", fraction=_number(option.credit))
            _add_text(answer, "feedback", option.feedback)
            SubElement(answer, "tolerance").text = _number(option.tolerance)
    elif qtype == "matching":
        for option in options:
            sub = _add_text(node, "subquestion", option.text)
            SubElement(SubElement(sub, "answer"), "text").text = xml_safe(option.match_text)
    elif qtype == "ordering":
        SubElement(node, "layouttype").text = "VERTICAL"
        SubElement(node, "selecttype").text = "ALL"
        SubElement(node, "selectcount").text = "0"
        SubElement(node, "gradingtype").text = "ABSOLUTE_POSITION"
        for position, option in enumerate(options, start=1):
            _add_text(node, "answer", option.text, fraction=str(position))
    elif qtype == "essay":
        SubElement(node, "responseformat").text = "plain"
        SubElement(node, "responserequired").text = "1"
        SubElement(node, "responsefieldlines").text = "10"
        _add_text(node, "graderinfo", question.grader_info)
        _add_text(node, "responsetemplate", question.response_template)
    if tags:
        tags_node = SubElement(node, "tags")
        for tag in tags:
            SubElement(SubElement(tags_node, "tag"), "text").text = xml_safe(tag)
    return node


def export(categories: list[tuple]) -> bytes:
    """``[(category path, [question with prefetched options and tags]) or (path, questions, description)]``
    → Moodle XML bytes. A "/" in a category name is written "//", as Moodle does."""
    root = Element("quiz")
    for path, questions, *rest in categories:
        category = SubElement(root, "question", type="category")
        SubElement(SubElement(category, "category"), "text").text = xml_safe(
            "$course$/top/" + assemble_category_path(list(path))
        )
        description = rest[0] if rest else ""
        if description:
            _add_text(category, "info", description)
        for question in questions:
            root.append(
                question_element(
                    question,
                    options=sorted(question.options.all(), key=lambda option: (option.sort_order or 0, option.pk)),
                    tags=sorted(tag.name for tag in question.tags.all()),
                )
            )
    body = tostring(root, encoding="unicode")
    # ElementTree writes a carriage return raw, and every XML parser reads it back as a line feed: a
    # character reference keeps it. (It cannot occur in markup ElementTree writes itself.)
    body = body.replace("\r", "&#13;")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body.encode("utf-8")
