"""Learner progress: lesson summary rows (open, mark as done, complete) and the enrolment's summary and JP.

Other apps call, in the same transaction as their own state change:
- ``lesson_progress_refresh(user=..., lesson=...)`` after a lesson requirement may have become met;
- ``enrolment_refresh(user=..., course=...)`` after a course item (e.g. a quiz) changed state.
Both are idempotent; ``enrolment_refresh`` credits the course's JP once per completion and reverses
the credit (a ledger entry) when a completion is withdrawn (docs/completion.md).
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from courses import completion, events
from courses.models import (
    CompletionRule,
    CoursePage,
    Enrolment,
    EnrolmentStatus,
    JPCredit,
    JPEntryKind,
    LessonPage,
    LessonProgress,
    ProgressStatus,
)
from courses.selectors import course_of, lesson_access
from courses.summary import enrolment_summary


class LessonAccessError(Exception):
    """The learner may not work on this lesson (not enrolled, module locked, not published)."""


# --------------------------------------------------------------------------------------------
# Course summary and JP


def enrolment_refresh(*, user, course: CoursePage) -> Enrolment | None:
    """Recompute the learner's summary row for the course; on completion credit the JP.

    Call it in the transaction of the change that may affect it. Does nothing without an active
    enrolment. A completed enrolment stays completed when the course changes, but is reopened (and
    its JP credit reversed in the ledger) while a required item's result is a failure; a later
    completion credits the JP again. The rule is in docs/completion.md.
    """
    return enrolment_refresh_by_ids(user_id=user.pk, course=course)


@transaction.atomic
def enrolment_refresh_by_ids(*, user_id: int, course: CoursePage) -> Enrolment | None:
    enrolment = (
        Enrolment.objects.select_for_update()
        .filter(user_id=user_id, course=course, status=EnrolmentStatus.ACTIVE)
        .first()
    )
    if enrolment is None:
        return None
    outline = completion.course_outline(course, user_id=user_id)
    now = timezone.now()
    enrolment.required_items = outline.required_count
    enrolment.done_items = outline.done_count
    enrolment.course_title = course.title
    if outline.is_started and enrolment.started_at is None:
        enrolment.started_at = now
    failing = outline.failing_required_items
    was_completed = enrolment.completed_at is not None
    reopened = enrolment.completed_at is not None and bool(failing)
    if reopened:
        enrolment.completed_at = None
    elif outline.is_complete and enrolment.completed_at is None:
        enrolment.completed_at = now
    summary = enrolment_summary(
        required=outline.required_count,
        done=outline.done_count,
        completed=enrolment.completed_at is not None,
        started=outline.is_started,
    )
    enrolment.percent, enrolment.progress_status = summary.percent, summary.progress_status
    enrolment.last_activity_at = now
    enrolment.save()
    if enrolment.completed_at:
        _credit_jp(enrolment=enrolment, course=course)
        if not was_completed:
            completed = enrolment
            transaction.on_commit(
                lambda: events.course_completed.send(sender=Enrolment, enrolment=completed, course=course)
            )
    elif reopened:
        _reverse_jp(enrolment=enrolment, course=course, now=now, failing=failing)
    return enrolment


def _credit_jp(*, enrolment: Enrolment, course: CoursePage) -> None:
    # ignore_conflicts + the unique (user, course_ref) constraint on live credits: one credit per
    # completion, even when two requests complete the course at the same moment.
    JPCredit.objects.bulk_create(
        [
            JPCredit(
                user_id=enrolment.user_id,
                course=course,
                course_ref=course.pk,
                course_title=course.title,
                kind=JPEntryKind.CREDIT,
                jp=course.jp_value,
                year=timezone.localtime(enrolment.completed_at).year,
                credited_at=enrolment.completed_at,
            )
        ],
        ignore_conflicts=True,
    )


def _reverse_jp(*, enrolment: Enrolment, course: CoursePage, now: datetime, failing) -> None:
    """Withdraw the live credit of a reopened enrolment: a reversal entry in the credit's own year (the
    year's total no longer holds it), and the credit marks when it was reversed. Nothing is deleted."""
    credit = JPCredit.live_credits().select_for_update().filter(user_id=enrolment.user_id, course_ref=course.pk).first()
    if credit is None:
        return
    reason = _("Not passed any more: %(items)s") % {"items": ", ".join(item.title for item in failing)}
    JPCredit.objects.create(
        user_id=credit.user_id,
        course=course,
        course_ref=credit.course_ref,
        course_title=course.title,
        kind=JPEntryKind.REVERSAL,
        jp=-credit.jp,
        year=credit.year,
        credited_at=now,
        reverses=credit,
        reason=reason[:255],
    )
    credit.reversed_at = now
    credit.save(update_fields=["reversed_at"])


@transaction.atomic
def course_enrolments_refresh(*, course: CoursePage, user_ids=None) -> int:
    """Recompute every active enrolment of a course after its pages changed (bulk, fixed queries).

    Returns how many summaries changed. Enrolments that become complete go through
    ``enrolment_refresh`` so the JP is credited the usual way.
    """
    rows = Enrolment.objects.filter(course=course, status=EnrolmentStatus.ACTIVE)
    if user_ids is not None:
        rows = rows.filter(user_id__in=list(user_ids))
    else:
        # After a page event. One event (publish, unpublish, move, delete) changes the set of required
        # items only by changing how many there are, so when every summary already has the current
        # count (and title), nothing can have changed: skip the per-learner work.
        required_now = completion.course_outline(course).required_count
        if not rows.filter(~Q(required_items=required_now) | ~Q(course_title=course.title)).exists():
            return 0
    enrolments = list(rows.select_for_update())
    if not enrolments:
        return 0
    outline, done_counts = completion.outline_counts_by_user(course, [row.user_id for row in enrolments])
    required = outline.required_count
    changed = []
    completing = []
    for enrolment in enrolments:
        done = done_counts.get(enrolment.user_id, 0)
        if enrolment.completed_at is None and required and done >= required:
            completing.append(enrolment.user_id)
            continue
        summary = enrolment_summary(
            required=required,
            done=done,
            completed=enrolment.completed_at is not None,
            started=enrolment.progress_status != ProgressStatus.NOT_STARTED,
        )
        new_values = (required, done, summary.percent, summary.progress_status, course.title)
        if new_values != (
            enrolment.required_items,
            enrolment.done_items,
            enrolment.percent,
            enrolment.progress_status,
            enrolment.course_title,
        ):
            (
                enrolment.required_items,
                enrolment.done_items,
                enrolment.percent,
                enrolment.progress_status,
                enrolment.course_title,
            ) = new_values
            changed.append(enrolment)
    if changed:
        Enrolment.objects.bulk_update(
            changed, ["required_items", "done_items", "percent", "progress_status", "course_title"], batch_size=500
        )
    for user_id in completing:
        enrolment_refresh_by_ids(user_id=user_id, course=course)
    return len(changed) + len(completing)


# --------------------------------------------------------------------------------------------
# Lesson progress


def _video_duration(lesson: LessonPage) -> float:
    media = lesson.tracked_video()
    return float(media.duration or 0) if media is not None else 0.0


@transaction.atomic
def lesson_open(*, user, lesson: LessonPage) -> LessonProgress:
    """Record that the learner opened the lesson: creates the summary row once. Idempotent.

    Raises LessonAccessError when the learner is not enrolled or the lesson's module is locked.
    """
    if not lesson.live:
        raise LessonAccessError(_("This lesson is not published."))
    access = lesson_access(user=user, lesson=lesson)
    if not access.allowed:
        raise LessonAccessError(_("Enrol in the course first, and complete the modules before this one."))
    now = timezone.now()
    progress, created = LessonProgress.objects.get_or_create(
        user=user,
        lesson=lesson,
        defaults={
            "lesson_title": lesson.title,
            "started_at": now,
            "last_seen_at": now,
            "video_duration_seconds": _video_duration(lesson),
        },
    )
    if created:
        if _rule_met(lesson=lesson, progress=progress):
            lesson_progress_refresh(user=user, lesson=lesson)
        else:
            enrolment_refresh(user=user, course=access.course)
        progress.refresh_from_db()
    return progress


def _rule_met(*, lesson: LessonPage, progress: LessonProgress) -> bool:
    return rule_met_values(
        rule=lesson.completion_rule,
        threshold_percent=lesson.video_threshold_percent,
        marked_done=progress.marked_done_at is not None,
        video_fraction=progress.video_fraction,
    )


def rule_met_values(*, rule: str, threshold_percent: int, marked_done: bool, video_fraction: float) -> bool:
    if rule == CompletionRule.OPEN:
        return True
    if rule == CompletionRule.MARK_DONE:
        return marked_done
    if rule == CompletionRule.VIDEO:
        # Round to a tenth of a percent: 0.8999999 of a video is 90 %.
        return round(video_fraction * 100, 1) >= threshold_percent
    return False


@transaction.atomic
def lesson_progress_refresh(*, user, lesson: LessonPage) -> LessonProgress | None:
    """Complete the lesson if its rule and every registered requirement are met (completed_at set once),
    then refresh the course summary. Idempotent; other apps call it after their own changes."""
    progress = LessonProgress.objects.select_for_update().filter(user=user, lesson=lesson).first()
    if progress is None:
        return None
    if (
        progress.completed_at is None
        and _rule_met(lesson=lesson, progress=progress)
        and completion.lesson_requirements_met(user_id=user.pk, lesson=lesson)
    ):
        progress.completed_at = timezone.now()
        progress.save(update_fields=["completed_at"])
    course = course_of(lesson)
    if course is not None:
        enrolment_refresh(user=user, course=course)
    return progress


@transaction.atomic
def lesson_mark_done(*, user, lesson: LessonPage) -> LessonProgress:
    """The learner's "mark as done" (for lessons whose rule asks for it). Idempotent."""
    progress = lesson_open(user=user, lesson=lesson)
    if progress.marked_done_at is None:
        LessonProgress.objects.filter(pk=progress.pk, marked_done_at__isnull=True).update(
            marked_done_at=timezone.now(), version=progress.version + 1
        )
    lesson_progress_refresh(user=user, lesson=lesson)
    progress.refresh_from_db()
    return progress
