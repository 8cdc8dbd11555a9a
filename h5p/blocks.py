"""The "Konten interaktif H5P" lesson block: an H5P content item played lazily inside the lesson."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from h5p.models import Requirement


class H5PContentBlock(blocks.StructBlock):
    item = SnippetChooserBlock(
        "h5p.H5PContent",
        label=_("H5P content"),
        help_text=_("Upload packages under H5P content in the admin menu, then choose one here."),
    )
    requirement = blocks.ChoiceBlock(
        label=_("for lesson completion"),
        choices=Requirement.choices,
        default=Requirement.COMPLETED,
        help_text=_(
            "Completed: the participant finishes it. Passed: the content must also report a pass "
            "(content without a pass mark passes when completed)."
        ),
    )

    class Meta:
        icon = "pick"
        label = _("H5P interactive content")
        template = "blocks/h5p_content_block.html"
        preview_value = {"requirement": Requirement.COMPLETED}
        # Shown above the block's fields, where the trainer makes the item required. (A StructBlock's
        # Meta is not frozen into migrations; its children's help texts are, so they stay as they are.)
        help_text = _(
            "H5P results are reported by the participant's browser and can be forged. Use them for "
            "practice and completion; what must be proven belongs in a quiz, which the server grades."
        )
        description = _(
            "An interactive H5P exercise (quiz, drag and drop, interactive video, ...); scores are recorded."
        )
