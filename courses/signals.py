"""Keeping enrolment summaries and cached outlines right when course pages are published, unpublished,
moved or deleted."""

import uuid

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from courses import completion
from courses.models import CourseIndexPage, CoursePage, ModulePage
from courses.permissions import grant_course_page_permissions
from courses.services.progress import course_enrolments_refresh

PENDING_ATTRIBUTE = "_courses_pending_refresh"


def _course_ids_for_path(path: str) -> list[int]:
    steplen = Page.steplen
    paths = [path[:length] for length in range(steplen, len(path) + 1, steplen)]
    return list(CoursePage.objects.filter(path__in=paths).values_list("pk", flat=True))


# Saves that only touch a page's draft (a new revision, a lock) leave the live outline as it was.
DRAFT_ONLY_FIELDS = frozenset(
    {
        "draft_title",
        "latest_revision",
        "latest_revision_created_at",
        "has_unpublished_changes",
        "locked",
        "locked_at",
        "locked_by",
    }
)


def outline_changed(path: str) -> None:
    """Give every course at, above or below the page at ``path`` a new ``outline_version`` (one UPDATE).

    Runs in the transaction of the change, so the new version and the change become visible together.
    A fresh UUID rather than a counter: a version is never reused, even after a rollback or when an old
    revision of the course (carrying an old value) is published again.
    """
    if not path:
        return
    steplen = Page.steplen
    ancestors = [path[:length] for length in range(steplen, len(path) + 1, steplen)]
    CoursePage.objects.filter(Q(path__in=ancestors) | Q(path__startswith=path)).update(outline_version=uuid.uuid4())


def on_page_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or not isinstance(instance, Page):
        return
    if update_fields is not None and set(update_fields) <= DRAFT_ONLY_FIELDS:
        return
    outline_changed(instance.path)


def _schedule_refresh(course_ids) -> None:
    """Recompute the courses' enrolment summaries once, after the current transaction commits."""
    connection = transaction.get_connection()
    pending = getattr(connection, PENDING_ATTRIBUTE, None)
    scheduled = (
        pending is not None
        and connection.in_atomic_block
        and any(func is _run_pending_refresh for _savepoints, func, _robust in connection.run_on_commit)
    )
    if not scheduled:  # nothing pending, or it already ran or was rolled back: start afresh
        pending = set()
        setattr(connection, PENDING_ATTRIBUTE, pending)
        transaction.on_commit(_run_pending_refresh)
    pending.update(course_ids)


def _run_pending_refresh() -> None:
    connection = transaction.get_connection()
    course_ids = getattr(connection, PENDING_ATTRIBUTE, set()) or set()
    if hasattr(connection, PENDING_ATTRIBUTE):
        delattr(connection, PENDING_ATTRIBUTE)
    for course in CoursePage.objects.filter(pk__in=course_ids):
        course_enrolments_refresh(course=course)


def _is_course_page(instance) -> bool:
    return isinstance(instance, (CoursePage, ModulePage, *completion.item_models()))


def on_page_changed(sender, instance, **kwargs):
    if _is_course_page(instance) and instance.path:
        _schedule_refresh(_course_ids_for_path(instance.path))


def on_page_published(sender, instance, **kwargs):
    outline_changed(instance.path)
    on_page_changed(sender, instance)


def on_page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        outline_changed(instance.path)
        on_page_changed(sender, instance)


def on_page_moved(sender, instance, parent_page_before=None, parent_page_after=None, **kwargs):
    # Any moved page: a catalogue or course moved elsewhere changes the paths below it too.
    instance.refresh_from_db(fields=["path"])
    outline_changed(instance.path)
    for parent in (parent_page_before, parent_page_after):
        if parent is not None:
            parent.refresh_from_db(fields=["path"])
            outline_changed(parent.path)
    if not _is_course_page(instance):
        return
    course_ids = set()
    for parent in (parent_page_before, parent_page_after):
        if parent is not None:
            course_ids.update(_course_ids_for_path(parent.path))
    _schedule_refresh(course_ids)


def on_course_index_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        grant_course_page_permissions()


def connect() -> None:
    page_published.connect(on_page_published, dispatch_uid="courses.page_published")
    page_unpublished.connect(on_page_published, dispatch_uid="courses.page_unpublished")
    post_page_move.connect(on_page_moved, dispatch_uid="courses.page_moved")
    # Without a sender: item types of apps loaded after this one (quizzes) are covered too.
    post_delete.connect(on_page_deleted, dispatch_uid="courses.page_deleted")
    post_save.connect(on_page_saved, dispatch_uid="courses.page_saved")
    post_save.connect(on_course_index_saved, sender=CourseIndexPage, dispatch_uid="courses.index_saved")
