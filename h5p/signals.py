"""Keeping H5P placements in step with lesson pages (published, unpublished, moved), and removing a deleted item's files."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from courses.models import LessonPage
from h5p.models import H5PContent
from h5p.services import placements_sync, remove_version_files


def _sync(lesson) -> None:
    placements_sync(lesson=lesson)


def on_lesson_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    # The row holds the live content (drafts live in revisions), so the row is what learners see.
    if raw or (update_fields is not None and not {"body", "live"} & set(update_fields)):
        return
    _sync(instance)


def on_lesson_published(sender, instance, **kwargs):
    _sync(instance)


def on_page_moved(sender, instance, **kwargs):
    """A moved lesson, module or course may now belong to another course: re-derive placements."""
    if not isinstance(instance, Page):
        return
    instance.refresh_from_db(fields=["path", "depth"])
    for lesson in LessonPage.objects.filter(path__startswith=instance.path, depth__gte=instance.depth):
        _sync(lesson)


def on_content_deleted(sender, instance, **kwargs):
    """A deleted item's files go once the deletion is committed (learner results stay, by SET_NULL)."""
    prefix, archive = instance.content_prefix, instance.package.name if instance.package else ""
    transaction.on_commit(lambda: remove_version_files(prefix, archive))


def connect() -> None:
    post_delete.connect(on_content_deleted, sender=H5PContent, dispatch_uid="h5p.content_deleted")
    post_save.connect(on_lesson_saved, sender=LessonPage, dispatch_uid="h5p.lesson_saved")
    page_published.connect(on_lesson_published, sender=LessonPage, dispatch_uid="h5p.lesson_published")
    page_unpublished.connect(on_lesson_published, sender=LessonPage, dispatch_uid="h5p.lesson_unpublished")
    # Wagtail sends it with the specific page class as sender: listen to every page.
    post_page_move.connect(on_page_moved, dispatch_uid="h5p.page_moved")
