"""The lesson body offers the H5P block through courses' block registry, whatever the app order."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from wagtail import blocks

from courses import blocks as lesson_blocks
from courses.models import LessonPage
from h5p.blocks import H5PContentBlock

# Stored in every lesson's JSON and frozen into courses' migrations: names and order never change.
LESSON_BLOCKS = ["heading", "paragraph", "image", "video", "document", "callout", "h5p"]


def test_the_lesson_body_offers_the_h5p_block_after_the_courses_blocks():
    body = LessonPage._meta.get_field("body").stream_block
    assert list(body.child_blocks) == LESSON_BLOCKS
    assert isinstance(body.child_blocks["h5p"], H5PContentBlock)
    assert body.meta.block_counts == {"video": {"max_num": 3}}


def test_a_block_registered_once_the_lesson_body_is_built_fails_loudly():
    LessonPage._meta.get_field("body").stream_block  # noqa: B018 -- built by now in any case
    with pytest.raises(ImproperlyConfigured, match="after LessonBodyBlock was built"):
        lesson_blocks.register_lesson_block("late", blocks.CharBlock())
    assert "late" not in LessonPage._meta.get_field("body").stream_block.child_blocks


def test_registered_blocks_follow_in_registration_order_and_names_are_not_taken_twice(monkeypatch):
    monkeypatch.setattr(lesson_blocks, "_lesson_body_built", False)
    monkeypatch.setattr(lesson_blocks, "_registered_blocks", dict(lesson_blocks._registered_blocks))
    lesson_blocks.register_lesson_block("quote", blocks.CharBlock())
    for taken in ("video", "h5p", "quote"):
        with pytest.raises(ImproperlyConfigured, match="already registered"):
            lesson_blocks.register_lesson_block(taken, blocks.CharBlock())
    assert list(lesson_blocks.LessonBodyBlock().child_blocks) == [*LESSON_BLOCKS, "quote"]
