"""Moodle XML import and export for the question types of the bank.

Import: multichoice (single/multiple, fractions in %, negative marks), truefalse, shortanswer (usecase),
numerical (tolerance), matching, ordering (qtype_ordering), essay; category records set the category
path; tags are kept. Other types (calculated, cloze, drag-and-drop, description, random …) are reported
per question. Parsing goes through defusedxml: entity expansion and external entities are refused."""

from decimal import Decimal
from xml.etree.ElementTree import Element, SubElement, tostring  # noqa: S405 - building, not parsing

from defusedxml import ElementTree as SafeElementTree
from defusedxml.common import DefusedXmlException
from django.utils.translation import gettext as _

from quizzes import qtypes
from quizzes.drafts import Problem, QuestionDraft
from quizzes.formats import xml_nodes as nodes
from quizzes.formats.gift import assemble_category_path, moodle_category_path
from quizzes.formats.text import default_name, xml_safe


def parse_question(node, *, category_path: list[str], category_description: str = "") -> QuestionDraft:
    moodle_type = node.get("type", "")
    qtype = qtypes.by_moodle_name(moodle_type)
    if qtype is None:
        raise ValueError(_("Question type '%(type)s' is not supported.") % {"type": moodle_type})
    question_text = node.find("questiontext")
    text_format = nodes.text_format(question_text, "html")
    # As in Moodle, answers and feedback without a format= take the question text's format.
    fmt = text_format
    text, had_files = nodes.formatted(question_text, "html")
    draft = QuestionDraft(
        qtype="",
        name=nodes.text(node.find("name")),
        text=text,
        default_mark=nodes.decimal(node.findtext("defaultgrade", "1"), "1"),
        general_feedback=nodes.plain(node.find("generalfeedback"), fmt),
        category_path=list(category_path),
        category_description=category_description,
        tags=_tags(node),
    )
    draft.name = draft.name or default_name(text)
    if draft.default_mark <= 0:
        draft.default_mark = Decimal("1")
    had_files = had_files or node.find("generalfeedback/file") is not None
    image = nodes.text(node, "image") if node.find("image") is not None else ""
    if image or node.find("image_base64") is not None:
        draft.warnings.append(
            _("The image '%(name)s' (Moodle 1.9 <image> element) was not imported: add it to the question text again.")
            % {"name": image or "?"}
        )
    if nodes.boolean(node.findtext("hidden")):
        draft.warnings.append(_("The question was hidden in Moodle; here it is a normal question of the bank."))
    # Moodle's default when the element is missing: no shuffling for choices, shuffling for matching.
    draft.shuffle = nodes.boolean(node.findtext("shuffleanswers"), qtype.moodle_shuffle_default)
    draft.qtype = qtype.value  # multichoice: the type's part decides single or multiple
    had_files = qtype.xml_parse(draft, node, fmt) or had_files
    if had_files:
        draft.warnings.append(_("Embedded images or files were not imported."))
    return draft


def _tags(node) -> list[str]:
    tags: list[str] = []
    for tag in node.findall("tags/tag"):
        name = nodes.text(tag)
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
            category_path = moodle_category_path(nodes.text(node.find("category")))
            category_description = nodes.plain(node.find("info"), "moodle_auto_format")
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
            name = nodes.text(node.find("name")) or default_name(nodes.text(node.find("questiontext")))
            problems.append(Problem(index=index, name=name, reason=str(exc)))
    return drafts, problems


# --- export --------------------------------------------------------------------------------------
# Every plain-text field is written as format="plain_text" (Moodle shows it escaped, we read it back
# literally); question text is HTML. Fields Moodle has no element for are written as extra elements
# Moodle ignores (<ignorespaces>, <shuffleanswers> on every type), so our own round trip loses nothing.


def question_element(question, *, options, tags) -> Element:
    qtype = qtypes.get(question.qtype)
    node = Element("question", type=qtype.moodle_type)
    SubElement(SubElement(node, "name"), "text").text = xml_safe(question.name)
    nodes.add_text(node, "questiontext", question.text, fmt="html")
    nodes.add_text(node, "generalfeedback", question.general_feedback)
    SubElement(node, "defaultgrade").text = nodes.number(question.default_mark)
    SubElement(node, "penalty").text = "0"  # our attempts have one try: nothing is deducted
    SubElement(node, "hidden").text = "0"
    SubElement(node, "shuffleanswers").text = nodes.flag(question.shuffle_options)
    qtype.xml_export(node, question, options)
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
            nodes.add_text(category, "info", description)
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
