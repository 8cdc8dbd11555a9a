"""Text formats of the exchange files (Moodle's html, moodle, plain, markdown) turned into what the bank
holds: sanitised HTML for question text, plain text for everything else (options, feedback, names).

Decisions (docs/question-formats.md):
- html: sanitised; ``<pre>`` and ``<code>`` are kept (code listings are common in question files).
- plain and moodle (GIFT's default): escaped, line breaks kept. Moodle's "auto-format" would let tags
  through, but hand-written files mean ``{=<a> ~<link>}`` literally; a tag that silently renders as
  nothing loses the question. Write ``[html]`` for markup. Moodle XML's ``moodle_auto_format`` comes from
  Moodle itself, where tags are markup, so there it is HTML when it contains tags.
- markdown: a small, safe subset (bold, italic, inline code, links, lists, line breaks) rendered to HTML
  after escaping; anything else stays literal. No Markdown library is added for a marker this rare."""

import html
import re

from django.utils.html import escape, linebreaks
from django.utils.text import Truncator
from wagtail.whitelist import DEFAULT_ELEMENT_RULES, Whitelister, allow_without_attributes

_TAG = re.compile(r"<[a-zA-Z/!][^>]*>")
_BLOCK_END = re.compile(r"<br\s*/?>|</(p|div|li|h[1-6]|pre|tr)>|<hr\s*/?>", re.IGNORECASE)
# Characters XML 1.0 cannot carry at all (not even as &#…;).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


class _QuestionWhitelister(Whitelister):
    element_rules = {**DEFAULT_ELEMENT_RULES, "pre": allow_without_attributes, "code": allow_without_attributes}


def clean_html(value: str) -> str:
    """Wagtail's rich-text whitelist plus ``<pre>``/``<code>``: scripts, handlers and styles never pass."""
    return _QuestionWhitelister().clean(value or "").strip()


def plain_to_html(text: str) -> str:
    text = text.strip()
    return linebreaks(escape(text)) if text else ""


def looks_like_html(text: str) -> bool:
    return bool(_TAG.search(text or ""))


def html_to_text(value: str) -> str:
    """Visible text of an HTML fragment: tags dropped, entities decoded, block ends as line breaks."""
    value = _BLOCK_END.sub("\n", value or "")
    value = html.unescape(_TAG.sub("", value))
    lines = [" ".join(line.split()) for line in value.replace("\r\n", "\n").split("\n")]
    return "\n".join(line for line in lines if line).strip()


_MD_INLINE = [
    (re.compile(r"`([^`\n]+)`"), r"<code>\1</code>"),
    (re.compile(r"\*\*(\S(?:.*?\S)?)\*\*"), r"<strong>\1</strong>"),
    (re.compile(r"__(\S(?:.*?\S)?)__"), r"<strong>\1</strong>"),
    (re.compile(r"(?<![\w*])\*(\S(?:.*?\S)?)\*(?![\w*])"), r"<em>\1</em>"),
    (re.compile(r"(?<![\w_])_(\S(?:.*?\S)?)_(?![\w_])"), r"<em>\1</em>"),
    (re.compile(r"\[([^\]\n]+)\]\((https?://[^\s)]+)\)"), r'<a href="\2">\1</a>'),
]
_MD_ITEM = re.compile(r"^\s*(?:([-*+])|(\d+)[.)])\s+(.*)$")


def _markdown_inline(line: str) -> str:
    line = escape(line)
    for pattern, replacement in _MD_INLINE:
        line = pattern.sub(replacement, line)
    return line


def markdown_to_html(text: str) -> str:
    """The subset of Markdown people write in question files; the result is sanitised like any HTML."""
    blocks: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []
    list_tag = ""

    def flush_paragraph():
        if paragraph:
            blocks.append("<p>" + "<br>".join(paragraph) + "</p>")
            paragraph.clear()

    def flush_list():
        nonlocal list_tag
        if items:
            blocks.append(f"<{list_tag}>" + "".join(f"<li>{item}</li>" for item in items) + f"</{list_tag}>")
            items.clear()
        list_tag = ""

    for line in text.strip().split("\n"):
        item = _MD_ITEM.match(line)
        if item:
            flush_paragraph()
            tag = "ul" if item.group(1) else "ol"
            if list_tag and tag != list_tag:
                flush_list()
            list_tag = tag
            items.append(_markdown_inline(item.group(3)))
        elif not line.strip():
            flush_paragraph()
            flush_list()
        else:
            flush_list()
            paragraph.append(_markdown_inline(line.strip()))
    flush_paragraph()
    flush_list()
    return clean_html("".join(blocks))


def to_html(text: str, text_format: str) -> str:
    """Question text in one of the formats (GIFT or Moodle XML names) → sanitised HTML."""
    text = (text or "").strip()
    if text_format == "html":
        return clean_html(text)
    if text_format == "markdown":
        return markdown_to_html(text)
    if text_format == "moodle_auto_format" and looks_like_html(text):
        return clean_html(text.replace("\r\n", "\n").replace("\n", "<br>"))
    return plain_to_html(text)


def to_plain(text: str, text_format: str) -> str:
    """An option, feedback or name in one of the formats → the plain text the bank holds."""
    text = (text or "").strip()
    if text_format == "html" or (text_format == "moodle_auto_format" and looks_like_html(text)):
        return html_to_text(text)
    return text


def default_name(question_html: str) -> str:
    """A readable name from the question text, as Moodle makes one: its first 80 characters, as plain text."""
    return Truncator(" ".join(html_to_text(question_html).split())).chars(80)


def xml_safe(text: str) -> str:
    return _XML_INVALID.sub("", text or "")
