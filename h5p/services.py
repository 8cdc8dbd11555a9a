"""Writes of the h5p app: uploading and replacing packages, placements, xAPI statements, saved state."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.db import connections, router, transaction
from django.db.models.constants import OnConflict
from django.db.models.sql import InsertQuery
from django.utils import timezone
from django.utils.translation import gettext

from courses.models import CoursePage, EnrolmentStatus, LessonPage
from courses.services import LessonAccessError, lesson_open, lesson_progress_refresh
from h5p import packages, xapi
from h5p.models import H5PContent, H5PPlacement, H5PResult, H5PState, H5PStatement
from h5p.selectors import SCORE_FIELDS, lesson_placements

logger = logging.getLogger(__name__)

MAX_STATE_BYTES = 64 * 1024


# --------------------------------------------------------------------------------------------
# Packages


def _apply_extraction(item: H5PContent, plan: packages.PackagePlan, extraction: packages.Extraction) -> None:
    item.version = extraction.version
    item.content_prefix = extraction.content_prefix
    item.library_map = extraction.library_map
    item.main_library = plan.main_library_label[:200]
    item.file_count = plan.file_count
    item.unpacked_bytes = plan.unpacked_bytes


@transaction.atomic
def content_save(*, item: H5PContent, package=None, plan: packages.PackagePlan | None = None, user=None) -> H5PContent:
    """Create or update an item; with ``package`` (an uploaded .h5p file), validate and extract it.

    Validation happens before anything is written (``PackageRefused`` lists every reason). The new
    version goes to a fresh folder; the item points to it only once everything was written, and
    the previous version's files are removed after the transaction commits. On any failure the
    new files are removed and the item keeps its previous version. (Should an outer transaction
    roll back after this returns, the new folder is left without a row pointing to it:
    ``manage.py h5p_cleanup`` removes such folders.)
    """
    if package is None:
        if item.pk is None:
            raise packages.PackageRefused([gettext("Choose an .h5p file to upload.")])
        item.save()
        return item
    plan = plan or packages.inspect_package(package)
    if item.pk is None:
        item.save()  # an id for the content folder; the package is attached below
    previous_prefix = item.content_prefix
    previous_package = item.package.name if item.package else ""
    extraction = packages.extract_package(package, plan, owner_key=str(item.pk))
    written = list(extraction.written)
    try:
        _apply_extraction(item, plan, extraction)
        package.seek(0)
        name = os.path.basename(getattr(package, "name", "") or "") or "package.h5p"
        item.package.save(name, package, save=False)
        written.append(item.package.name)
        if user is not None and getattr(user, "pk", None):
            item.uploaded_by = user
        item.save()
    except Exception:
        packages.delete_files(written)
        raise
    # Learners may be mid-way in the old version: its files go only once the switch is committed.
    transaction.on_commit(lambda: remove_version_files(previous_prefix, previous_package))
    return item


def remove_version_files(prefix: str, package_name: str) -> None:
    if prefix:
        packages.delete_tree(prefix)
    if package_name:
        packages.delete_files([package_name])


def orphan_content_folders() -> list[str]:
    """Content folders no item points to (left by a transaction rolled back after extraction)."""
    current = set(H5PContent.objects.values_list("content_prefix", flat=True))
    try:
        owners, _files = default_storage.listdir("h5p/content")
    except (FileNotFoundError, NotADirectoryError):
        return []
    orphans = []
    for owner in owners:
        versions, _files = default_storage.listdir(f"h5p/content/{owner}")
        orphans += [
            f"h5p/content/{owner}/{version}" for version in versions if f"h5p/content/{owner}/{version}" not in current
        ]
    return orphans


def content_create(*, title: str, package, description: str = "", user=None) -> H5PContent:
    """A new item from an .h5p file (an open file object). Raises ``PackageRefused``."""
    item = H5PContent(title=title, description=description)
    return content_save(item=item, package=package, user=user)


def content_replace(*, item: H5PContent, package, user=None) -> H5PContent:
    """Replace an item's package. A refused package raises ``PackageRefused`` and changes nothing."""
    return content_save(item=item, package=package, user=user)


# --------------------------------------------------------------------------------------------
# Placements (which live lessons hold which items)


@transaction.atomic
def placements_sync(*, lesson) -> None:
    """Make the lesson's placements match its live body. Idempotent; called when lessons change."""
    placed = lesson_placements(lesson.body.raw_data) if lesson.live else {}
    existing = {row.content_id: row for row in H5PPlacement.objects.filter(lesson=lesson)}
    stale = [pk for content_id, row in existing.items() if content_id not in placed for pk in [row.pk]]
    if stale:
        H5PPlacement.objects.filter(pk__in=stale).delete()
    if not placed:
        return
    course = CoursePage.objects.ancestor_of(lesson).first()
    course_id = course.pk if course is not None else None
    valid_ids = set(H5PContent.objects.filter(pk__in=list(placed)).values_list("pk", flat=True))
    for content_id, requirement in placed.items():
        if content_id not in valid_ids:
            continue
        row = existing.get(content_id)
        if row is None:
            H5PPlacement.objects.get_or_create(
                content_id=content_id, lesson=lesson, defaults={"course_id": course_id, "requirement": requirement}
            )
        elif row.course_id != course_id or row.requirement != requirement:
            H5PPlacement.objects.filter(pk=row.pk).update(course_id=course_id, requirement=requirement)


# --------------------------------------------------------------------------------------------
# xAPI statements


def _insert_ignoring_conflicts(instance) -> bool:
    """INSERT one row unless it collides with a unique constraint; True when inserted. One query.

    Portable ``INSERT ... ON CONFLICT DO NOTHING`` (``INSERT OR IGNORE`` on SQLite) built by
    Django's own compiler, the one ``bulk_create(ignore_conflicts=True)`` uses; unlike
    ``bulk_create`` it tells whether the row went in, so a duplicate costs no extra query.
    """
    model = type(instance)
    using = router.db_for_write(model)
    fields = [field for field in model._meta.local_concrete_fields if not field.primary_key]
    for field in fields:
        if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
            field.pre_save(instance, add=True)
    query = InsertQuery(model, on_conflict=OnConflict.IGNORE)
    query.insert_values(fields, [instance])
    with connections[using].cursor() as cursor:
        inserted = 0
        for sql, params in query.get_compiler(using=using).as_sql():
            cursor.execute(sql, params)
            inserted += cursor.rowcount
    return inserted > 0


@dataclass
class StatementOutcome:
    stored: bool  # False: a duplicate (same statement id) or a verb that is not recorded
    result: H5PResult | None
    completion_changed: bool = False


def _requirement_state(result: H5PResult | None) -> tuple[bool, bool]:
    if result is None:
        return False, False
    return result.completed_at is not None, result.is_passed


APPLIED_STATEMENTS_KEPT = 100
# What a statement may change on the summary row.
SUMMARY_FIELDS = (*SCORE_FIELDS, "last_activity_at", "applied_statements", "current_attempt", "version")


def statement_record(
    *, user, item: H5PContent, statement: xapi.Statement, result: H5PResult | None
) -> StatementOutcome:
    """Store a validated statement once (by id) and fold it into the learner's summary row.

    ``result`` is the summary row as read with the item (``selectors.item_with_result``), or None.

    Each write is a single atomic SQL statement: the statement log is an ``INSERT ... ON CONFLICT
    DO NOTHING``; the summary is a compare-and-swap UPDATE on its version (or an insert) that also
    records the statement id among the ids it folded in. A retried statement is therefore never
    counted twice, and one whose summary write was lost (a crash between the two writes) is folded
    in by the retry. When the item becomes completed or passed, the summary write and the refresh
    of the lessons holding the item (lesson and course progress) run in one transaction.

    Queries: 1 (a question inside the content, a duplicate, another verb) or 2 (summary changed),
    plus the lesson refresh when completion changes.
    """
    if statement.verb is None:
        return StatementOutcome(stored=False, result=result)
    row = H5PStatement(
        statement_id=statement.statement_id,
        user_id=user.pk,
        content_id=item.pk,
        verb=statement.verb,
        verb_iri=statement.verb_iri,
        object_iri=statement.object_iri,
        is_top_level=statement.is_top_level,
        score_raw=statement.score_raw,
        score_max=statement.score_max,
        score_scaled=statement.score_scaled,
        success=statement.success,
        completion=statement.completion,
        statement=statement.data,
    )
    stored = _insert_ignoring_conflicts(row)
    if not (statement.finishes_attempt or statement.is_viewing):
        return StatementOutcome(stored=stored, result=result)
    statement_key = str(statement.statement_id)
    if result is not None and statement_key in result.applied_statements:
        return StatementOutcome(stored=stored, result=result)

    before = _requirement_state(result)
    preview = _folded(user=user, item=item, statement=statement, result=result, now=timezone.now())
    if preview is None:  # nothing for the summary (e.g. "consumed" with a score)
        return StatementOutcome(stored=stored, result=result)
    if _requirement_state(preview) == before:
        summary = _summary_write(user=user, item=item, statement=statement, result=result, folded=preview)
        return StatementOutcome(stored=stored, result=summary)
    with transaction.atomic():
        summary = _summary_write(user=user, item=item, statement=statement, result=result, folded=preview)
        _refresh_lessons(user=user, item=item)
    return StatementOutcome(stored=stored, result=summary, completion_changed=True)


def _folded(*, user, item, statement, result: H5PResult | None, now) -> H5PResult | None:
    """A copy of the summary with the statement folded in, or None when it changes nothing."""
    if result is None:
        folded = H5PResult(user_id=user.pk, content_id=item.pk, content_title=item.title[:200])
    else:
        folded = H5PResult(
            **{field.attname: getattr(result, field.attname) for field in H5PResult._meta.concrete_fields}
        )
        folded._state.adding = False
        folded.applied_statements = list(result.applied_statements)
        folded.current_attempt = dict(result.current_attempt or {})
    if not xapi.apply_to_summary(folded, statement, now=now):
        return None
    folded.applied_statements = (folded.applied_statements + [str(statement.statement_id)])[-APPLIED_STATEMENTS_KEPT:]
    folded.version = (result.version + 1) if result is not None else 0
    return folded


def _summary_write(*, user, item, statement, result: H5PResult | None, folded: H5PResult) -> H5PResult:
    if result is None:
        if _insert_ignoring_conflicts(folded):
            return folded
    elif H5PResult.objects.filter(pk=result.pk, version=result.version).update(
        **{name: getattr(folded, name) for name in SUMMARY_FIELDS}
    ):
        return folded
    # Another request wrote the row between our read and our write: fold again under a row lock.
    with transaction.atomic():
        locked = H5PResult.objects.select_for_update().get(user_id=user.pk, content_id=item.pk)
        key = str(statement.statement_id)
        if key not in locked.applied_statements and xapi.apply_to_summary(locked, statement, now=timezone.now()):
            locked.applied_statements = (locked.applied_statements + [key])[-APPLIED_STATEMENTS_KEPT:]
            locked.version += 1
            locked.save()
        return locked


def _refresh_lessons(*, user, item: H5PContent) -> None:
    lessons = LessonPage.objects.filter(
        h5p_placements__content=item,
        h5p_placements__course__enrolments__user=user.pk,
        h5p_placements__course__enrolments__status=EnrolmentStatus.ACTIVE,
    ).distinct()
    for lesson in lessons:
        if lesson_progress_refresh(user=user, lesson=lesson) is None:
            # The learner works on the lesson but its page never reported the visit: open it now.
            try:
                lesson_open(user=user, lesson=lesson)
            except LessonAccessError:
                logger.info("H5P result for %s in a lesson they cannot open (%s)", user.pk, lesson.pk)


# --------------------------------------------------------------------------------------------
# Saved state (H5P "content user data")


class StateTooLarge(Exception):
    pass


@transaction.atomic
def state_save(*, user, item: H5PContent, data: str) -> None:
    """Store the player's state for this learner and item (replacing the previous one). Idempotent."""
    if len(data.encode("utf-8")) > MAX_STATE_BYTES:
        raise StateTooLarge
    H5PState.objects.update_or_create(
        user_id=user.pk, content_id=item.pk, defaults={"data": data, "content_version": item.version}
    )


@transaction.atomic
def state_delete(*, user, item: H5PContent) -> None:
    H5PState.objects.filter(user_id=user.pk, content_id=item.pk).delete()
