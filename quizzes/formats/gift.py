"""GIFT import (Moodle's plain-text question format): every question becomes a draft or a problem.

Follows Moodle's own parser (question/format/gift/format.php): questions are separated by blank lines;
``//`` lines are comments, and ``// [tag:…]`` in them adds a tag; ``$CATEGORY:`` switches the category
(``//`` in a name is a literal ``/``); ``::name::``; the answer block is the first ``{…}``; the type is
decided in Moodle's order (``{}`` essay, ``{#…}`` numerical, any ``~`` choice, ``=`` with ``->`` matching,
T/TRUE/F/FALSE, else short answer); ``%weight%``, ``#feedback``, ``####general feedback``; numerical
``value:tolerance``, ``min..max`` and ``~#feedback for any other answer``; the escapes ``\\~ \\= \\# \\{ \\}
\\: \\\\ \\n``; the markers ``[html]``, ``[moodle]``, ``[plain]``, ``[markdown]`` on the question text, every
answer, matching item and feedback (see quizzes.formats.text). Descriptions and cloze are reported, never
guessed, and so is anything Moodle would import as garbage (an unescaped brace, an empty answer).

This module splits the file and reads what every question shares (name, text, general feedback, tags);
each type's answer block is read by its class in quizzes.qtypes, with the tokens of formats.gift_tokens."""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from quizzes import qtypes
from quizzes.drafts import Problem, QuestionDraft
from quizzes.formats.gift_tokens import plain as _plain
from quizzes.formats.gift_tokens import protect as _protect
from quizzes.formats.gift_tokens import restore as _restore
from quizzes.formats.gift_tokens import with_format as _with_format
from quizzes.formats.text import default_name, to_html

_TAGS = re.compile(r"\[tag:((?:\\\]|[^\]<>`\x00-\x1f])+)\]")


@dataclass
class Block:
    """One question of the file: its text (comments removed), its comments and the line it starts on."""

    text: str
    comments: str
    line: int


def split_blocks(content: str) -> list[Block]:
    """Questions are separated by blank lines; ``//`` lines are comments of the question they sit in."""
    blocks: list[Block] = []
    lines: list[str] = []
    comments: list[str] = []
    start = 0

    def close():
        text = "\n".join(lines).strip()
        if text:
            blocks.append(Block(text=text, comments="\n".join(comments), line=start))

    for number, line in enumerate(content.split("\n"), start=1):
        stripped = line.strip()
        if not stripped:
            close()
            lines, comments, start = [], [], 0
            continue
        if not start:
            start = number
        if stripped.startswith("//"):
            comments.append(stripped)
        else:
            lines.append(line)
    close()
    return blocks


def _answer_block(text: str) -> tuple[int, int]:
    start = text.find("{")
    end = text.find("}")
    if start < 0 and end < 0:
        raise ValueError(_("No answer block {…}: a description, not a question (a blank line ends a question)."))
    if start >= 0 and end < 0:
        raise ValueError(_("The answer block '{' is not closed with '}' (a blank line ends a question)."))
    if start < 0 or end < start:
        raise ValueError(_("A '}' comes before any '{': write \\} for the character itself."))
    if "{" in text[start + 1 : end] or "{" in text[end + 1 :] or "}" in text[end + 1 :]:
        raise ValueError(
            _("More than one '{' or '}': only one answer block is allowed; write \\{ and \\} for the characters.")
        )
    return start, end


def parse_question(block: str, *, category_path: list[str], comments: str = "") -> QuestionDraft:
    """One GIFT question (already split out of the file) → a draft; raises ValueError(reason)."""
    text = _protect(block.strip())
    name = ""
    if text.startswith("::"):
        finish = text.find("::", 2)
        if finish >= 0:
            name = " ".join(_restore(text[2:finish]).split())
            text = text[finish + 2 :].strip()
        else:
            text = text[2:]
    start, end = _answer_block(text)
    body = text[start + 1 : end].strip()
    question_raw = text[:start] + ("" if not text[end + 1 :].strip() else "_____" + text[end + 1 :])
    question_text, fmt = _with_format(question_raw, "moodle")
    general_feedback = ""
    if "####" in body:
        separator = body.rindex("####")
        general_feedback = _plain(body[separator + 4 :], fmt)
        body = body[:separator].strip()
    if re.match(r"^\d+:[A-Z_]+:", body):
        raise ValueError(_("Embedded answers (cloze) are not supported."))
    html = to_html(question_text, fmt)
    draft = QuestionDraft(
        qtype="",
        name=name or default_name(html),
        text=html,
        general_feedback=general_feedback,
        category_path=list(category_path),
        tags=_tags(comments),
    )

    qtype = next(qtype for qtype in qtypes.gift_order() if qtype.gift_claims(body))  # short answer claims all
    draft.qtype = qtype.value
    qtype.gift_parse(draft, body, fmt)
    if fmt == "markdown":
        draft.warnings.append(_("Markdown was converted to formatted text (bold, italic, code, links, lists)."))
    return draft


def _tags(comments: str) -> list[str]:
    tags = []
    for raw in _TAGS.findall(comments):
        tag = " ".join(raw.replace("\\]", "]").split())
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def parse(content: str) -> tuple[list[tuple[int, QuestionDraft]], list[Problem]]:
    """The whole file → ``([(question number, draft)], [problem])``; a broken question never hides the others."""
    content = content.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    drafts, problems = [], []
    category_path: list[str] = []
    index = 0
    for block in split_blocks(content):
        if block.text.startswith("$CATEGORY:"):
            first, _newline, rest = block.text.partition("\n")
            category_path = moodle_category_path(first[len("$CATEGORY:") :].strip())
            if not rest.strip():
                continue
            # No blank line after the category line: the rest is the first question of the category.
            block = Block(text=rest.strip(), comments=block.comments, line=block.line + 1)
        index += 1
        try:
            draft = parse_question(block.text, category_path=category_path, comments=block.comments)
        except ValueError as exc:
            problems.append(Problem(index=index, name=_excerpt(block.text), reason=str(exc), line=block.line))
            continue
        draft.source_line = block.line
        drafts.append((index, draft))
    return drafts, problems


def moodle_category_path(path: str) -> list[str]:
    """ "$course$/top/Default for X/A//B" → ["Default for X", "A/B"]: context and "top" dropped, and "//"
    is a literal slash (Moodle's ``split_category_path``)."""
    parts = [part.replace("//", "/").strip() for part in re.split(r"(?<!/)/(?!/)", path)]
    parts = [part for part in parts if part]
    if parts and parts[0].startswith("$") and parts[0].endswith("$"):
        parts = parts[1:]
    if parts and parts[0] == "top":
        parts = parts[1:]
    return parts


def assemble_category_path(names: list[str]) -> str:
    """The reverse of moodle_category_path, as Moodle writes it: "/" in a name doubled, and a name that
    starts or ends with "/" padded with a space so the doubled slash is not read as a separator."""
    escaped = []
    for name in names:
        name = name.replace("/", "//")
        if name.startswith("/"):
            name = " " + name
        if name.endswith("/"):
            name = name + " "
        escaped.append(name)
    return "/".join(escaped)


def _excerpt(block: str) -> str:
    """The question's name, or the start of its text, to name it in the report."""
    protected = _protect(block)
    finish = protected.find("::", 2)
    if protected.startswith("::") and finish > 0:
        return " ".join(_restore(protected[2:finish]).split())[:80]
    return " ".join(_restore(protected).split())[:80]
