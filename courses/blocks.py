"""Lesson content blocks: heading, rich text, image, video (upload or YouTube/Vimeo), document, callout.

``LessonBodyBlock`` is the StreamBlock of ``LessonPage.body``. Other apps add their blocks with
``register_lesson_block`` from their ``AppConfig.ready()`` (the h5p app adds "Konten interaktif H5P"),
as they add completion rules with ``courses.completion.register_item_provider``, and then run
``makemigrations courses`` themselves: the block list is frozen into the migrations. Courses imports
no other app for it.
"""

import re
from urllib.parse import parse_qs, urlparse

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtailmedia.blocks import VideoChooserBlock

YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")


def embed_src(url: str) -> str | None:
    """The privacy-friendly iframe address for a YouTube or Vimeo link, or None for anything else.

    Built locally instead of through oEmbed so that saving or showing a lesson never waits for
    (or fails on) a request to the provider.
    """
    if not url:
        return None
    parsed = urlparse(url.strip())
    host = (parsed.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    video_id = None
    if host in {"youtube.com", "youtube-nocookie.com"}:
        if parsed.path == "/watch":
            video_id = parse_qs(parsed.query).get("v", [None])[0]
        elif parsed.path.startswith(("/embed/", "/shorts/", "/live/")):
            video_id = parsed.path.split("/")[2]
    elif host == "youtu.be":
        video_id = parsed.path.lstrip("/").split("/")[0]
    elif host in {"vimeo.com", "player.vimeo.com"}:
        number = parsed.path.rstrip("/").split("/")[-1]
        if number.isdigit():
            return f"https://player.vimeo.com/video/{number}?dnt=1"
        return None
    if video_id and YOUTUBE_ID.match(video_id):
        return f"https://www.youtube-nocookie.com/embed/{video_id}?rel=0"
    return None


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("heading"), max_length=120)
    size = blocks.ChoiceBlock(
        label=_("size"), choices=[("h2", _("Section heading")), ("h3", _("Sub-heading"))], default="h2"
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "blocks/heading_block.html"
        preview_value = {"text": "Prinsip Pelayanan Publik", "size": "h2"}
        description = _("A heading that divides the lesson into sections.")


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("text alternative"),
        max_length=250,
        required=False,
        help_text=_("Describe the image for people who cannot see it. Empty: the image title is used."),
    )
    caption = blocks.CharBlock(label=_("caption"), max_length=250, required=False)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "blocks/image_block.html"
        preview_value = {"caption": "Alur pelayanan terpadu satu pintu"}
        description = _("An image with a text alternative and an optional caption.")


class VideoBlock(blocks.StructBlock):
    video = VideoChooserBlock(
        label=_("uploaded video"),
        required=False,
        help_text=_("An uploaded MP4 or WebM file. Only an uploaded video can count toward completion."),
    )
    embed_url = blocks.URLBlock(
        label=_("or a YouTube / Vimeo link"),
        required=False,
        help_text=_("For example https://www.youtube.com/watch?v=…"),
    )
    caption = blocks.CharBlock(label=_("caption"), max_length=250, required=False)
    transcript = blocks.RichTextBlock(
        label=_("transcript"),
        required=False,
        features=["bold", "italic", "ol", "ul"],
        help_text=_("Optional. Helps people who cannot play sound and people on slow connections."),
    )

    class Meta:
        icon = "media"
        label = _("Video")
        template = "blocks/video_block.html"
        preview_value = {"caption": "Pengantar: standar pelayanan publik"}
        description = _("An uploaded video (seeking works, watching is measured) or a YouTube / Vimeo link.")

    def clean(self, value):
        value = super().clean(value)
        has_video = value.get("video") is not None
        has_link = bool(value.get("embed_url"))
        if has_video == has_link:
            raise StructBlockValidationError(
                non_block_errors=[ValidationError(_("Choose an uploaded video or give a link, not both or neither."))]
            )
        if has_link and embed_src(value["embed_url"]) is None:
            raise StructBlockValidationError(
                block_errors={"embed_url": ValidationError(_("Only YouTube and Vimeo links can be embedded."))}
            )
        return value


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    label = blocks.CharBlock(
        label=_("link text"), max_length=150, required=False, help_text=_("Empty: the document title is used.")
    )

    class Meta:
        icon = "doc-full"
        label = _("Document download")
        template = "blocks/document_block.html"
        preview_value = {"label": "Unduh modul (PDF)"}
        description = _("A document participants can download, such as a PDF module.")


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("kind"),
        choices=[("note", _("Note")), ("tip", _("Tip")), ("warning", _("Important"))],
        default="note",
    )
    title = blocks.CharBlock(label=_("title"), max_length=120, required=False)
    text = blocks.RichTextBlock(label=_("text"), features=["bold", "italic", "link", "ol", "ul"])

    class Meta:
        icon = "help"
        label = _("Callout / note")
        template = "blocks/callout_block.html"
        preview_value = {
            "kind": "tip",
            "title": "Ingat",
            "text": "<p>Pelayanan prima dimulai dari senyum, salam dan sapa.</p>",
        }
        description = _("A highlighted note, tip or warning.")


# Blocks of other apps, in registration order (INSTALLED_APPS order), after the blocks of this module.
_registered_blocks: dict[str, blocks.Block] = {}
_lesson_body_built = False


def register_lesson_block(name: str, block: blocks.Block) -> None:
    """Offer ``block`` in every lesson body under ``name`` (the key stored in the page's JSON).

    Call it from ``AppConfig.ready()``: the lesson body is built on first use, after every app is
    ready (``LessonPage.body`` is given the class, not an instance). A registration that comes after
    the body was built would be lost for this process, so it fails loudly instead.
    """
    if _lesson_body_built:
        raise ImproperlyConfigured(
            f"Lesson block {name!r} was registered after LessonBodyBlock was built; register it in AppConfig.ready()."
        )
    if name in LessonBodyBlock.base_blocks or name in _registered_blocks:
        raise ImproperlyConfigured(f"A lesson block named {name!r} is already registered.")
    _registered_blocks[name] = block


class LessonBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Text"),
        icon="pilcrow",
        features=["h3", "bold", "italic", "link", "ol", "ul", "blockquote"],
        template="blocks/paragraph_block.html",
        preview_value="<p>Pelayanan publik adalah kegiatan dalam rangka pemenuhan kebutuhan pelayanan.</p>",
        description=_("Paragraphs, lists and links."),
    )
    image = ImageBlock()
    video = VideoBlock()
    document = DocumentBlock()
    callout = CalloutBlock()
    # Blocks of other apps follow, from ``register_lesson_block`` (the h5p app's "h5p").
    # Quizzes are pages (quizzes.QuizPage), not blocks: they sit beside lessons in a module.

    class Meta:
        block_counts = {"video": {"max_num": 3}}

    def __init__(self, local_blocks=None, **kwargs):
        global _lesson_body_built
        _lesson_body_built = True
        super().__init__([*_registered_blocks.items(), *(local_blocks or ())], **kwargs)
