"""Writes of the courses app: enrolment, lesson progress (heartbeats, mark as done) and course completion.

Other apps call, in the same transaction as their own state change:
- ``lesson_progress_refresh(user=..., lesson=...)`` after a lesson requirement may have become met;
- ``enrolment_refresh(user=..., course=...)`` after a course item (e.g. a quiz) changed state.
Both are idempotent; ``enrolment_refresh`` credits the course's JP once per completion and reverses
the credit (a ledger entry) when a completion is withdrawn (docs/completion.md).
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from courses import completion
from courses.models import (
    CompletionRule,
    CoursePage,
    Enrolment,
    EnrolmentMode,
    EnrolmentSource,
    EnrolmentStatus,
    JPCredit,
    JPEntryKind,
    LessonPage,
    LessonProgress,
    ProgressStatus,
)

WIB = ZoneInfo("Asia/Jakarta")
# Heartbeats: a player may run at up to 2x speed; a little slack absorbs clock and network jitter.
MAX_PLAYBACK_RATE = 2.0
HEARTBEAT_SLACK_SECONDS = 10.0
MAX_VIDEO_SECONDS = 6 * 3600
MAX_INTERVALS = 200
MERGE_GAP_SECONDS = 0.5


class EnrolmentError(Exception):
    """An enrolment action that is not allowed; the message is shown to the person."""


class LessonAccessError(Exception):
    """The learner may not work on this lesson (not enrolled, module locked, not published)."""


# --------------------------------------------------------------------------------------------
# Enrolment


def course_of(page) -> CoursePage | None:
    """The CoursePage above (or at) ``page``, in one query."""
    steplen = page.steplen
    paths = [page.path[:length] for length in range(steplen, len(page.path) + 1, steplen)]
    return CoursePage.objects.filter(path__in=paths).first()


@transaction.atomic
def enrolment_create(*, user, course: CoursePage) -> Enrolment:
    """Self-enrolment (open courses) or an enrolment request (by-request courses). Idempotent.

    Leaving and coming back reactivates the same row, so progress is kept.
    """
    if course.enrolment_mode == EnrolmentMode.ASSIGNED:
        raise EnrolmentError(_("This course is assigned by trainers; it cannot be joined on request."))
    if not course.live:
        raise EnrolmentError(_("This course is not published."))
    now = timezone.now()
    enrolment = Enrolment.objects.select_for_update().filter(user=user, course=course).first()
    if enrolment is not None and enrolment.status == EnrolmentStatus.ACTIVE:
        return enrolment
    if enrolment is not None and enrolment.status == EnrolmentStatus.REQUESTED:
        return enrolment
    window = course.enrolment_window_state()
    if window == "not_yet":
        raise EnrolmentError(_("Enrolment for this course has not opened yet."))
    if window == "closed":
        raise EnrolmentError(_("Enrolment for this course has closed."))

    if course.enrolment_mode == EnrolmentMode.OPEN:
        values = {"status": EnrolmentStatus.ACTIVE, "source": EnrolmentSource.SELF, "enrolled_at": now}
    else:
        values = {"status": EnrolmentStatus.REQUESTED, "source": EnrolmentSource.REQUEST, "requested_at": now}
    if enrolment is None:
        enrolment, created = Enrolment.objects.get_or_create(
            user=user, course=course, defaults={**values, "course_title": course.title}
        )
        if not created:  # another request created it in the meantime
            return enrolment
    else:  # withdrawn or declined earlier: the same row comes back, with its progress
        for name, value in values.items():
            setattr(enrolment, name, value)
        enrolment.withdrawn_at = None
        enrolment.course_title = course.title
        enrolment.save()
    if enrolment.status == EnrolmentStatus.ACTIVE:
        enrolment_refresh(user=user, course=course)
        enrolment.refresh_from_db()
    return enrolment


@transaction.atomic
def enrolment_leave(*, user, course: CoursePage) -> Enrolment:
    """Leave an open course. Progress rows stay, so coming back continues where the learner was."""
    enrolment = Enrolment.objects.select_for_update().filter(user=user, course=course).first()
    if enrolment is None or enrolment.status != EnrolmentStatus.ACTIVE:
        raise EnrolmentError(_("You are not enrolled in this course."))
    if course.enrolment_mode != EnrolmentMode.OPEN or enrolment.source == EnrolmentSource.ASSIGNED:
        raise EnrolmentError(_("Only open courses you joined yourself can be left."))
    if enrolment.completed_at:
        raise EnrolmentError(_("You have completed this course; it stays in your history."))
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.withdrawn_at = timezone.now()
    enrolment.save(update_fields=["status", "withdrawn_at", "updated_at"])
    return enrolment


def can_manage_enrolments(user, course: CoursePage) -> bool:
    """Admin BPSDM, and the trainers the course names, with the manage permission (``lms/scoping.py``)."""
    from lms.scoping import scope_for

    if not user.is_authenticated or not user.is_active:
        return False
    if not (user.is_superuser or user.has_perm("courses.manage_enrolments")):
        return False
    return scope_for(user).manages_course(course.pk)


def manageable_courses(user):
    """The courses whose enrolments ``user`` may manage (a queryset)."""
    from lms.scoping import scope_for

    courses = CoursePage.objects.all()
    if not user.is_authenticated or not (user.is_superuser or user.has_perm("courses.manage_enrolments")):
        return courses.none()
    return courses.filter(scope_for(user).managed_courses())


@transaction.atomic
def enrolment_decide(*, enrolment: Enrolment, by, approve: bool) -> Enrolment:
    """Approve or decline a waiting request. Only a trainer of the course (or an editor) may."""
    enrolment = Enrolment.objects.select_for_update(of=("self",)).select_related("course").get(pk=enrolment.pk)
    if enrolment.course is None or not can_manage_enrolments(by, enrolment.course):
        raise EnrolmentError(_("You may not decide on enrolments in this course."))
    if enrolment.status != EnrolmentStatus.REQUESTED:
        if (approve and enrolment.status == EnrolmentStatus.ACTIVE) or (
            not approve and enrolment.status == EnrolmentStatus.REJECTED
        ):
            return enrolment  # the same decision twice changes nothing
        raise EnrolmentError(_("This request has already been decided."))
    enrolment.decided_by = by
    if approve:
        enrolment.status = EnrolmentStatus.ACTIVE
        enrolment.enrolled_at = timezone.now()
    else:
        enrolment.status = EnrolmentStatus.REJECTED
    enrolment.save()
    if approve:
        enrolment_refresh(user=enrolment.user, course=enrolment.course)
        enrolment.refresh_from_db()
    return enrolment


@dataclass
class AssignResult:
    created: int = 0
    reactivated: int = 0
    unchanged: int = 0
    user_ids: list[int] = field(default_factory=list)


@transaction.atomic
def course_assign(*, course: CoursePage, by, users=(), units=()) -> AssignResult:
    """Assign a course to people and to whole units (each unit and every unit below it). Idempotent.

    Waiting requests are approved and people who left are enrolled again; progress is kept.
    """
    from people.models import ASNProfile

    if not can_manage_enrolments(by, course):
        raise EnrolmentError(_("You may not assign participants to this course."))
    user_ids = {user.pk for user in users}
    units = list(units)
    if units:
        in_units = reduce_or([Q(unit__path__startswith=unit.path) for unit in units])
        user_ids |= set(ASNProfile.objects.filter(in_units, user__is_active=True).values_list("user_id", flat=True))
    result = AssignResult(user_ids=sorted(user_ids))
    if not user_ids:
        return result
    now = timezone.now()
    existing = dict(
        Enrolment.objects.select_for_update()
        .filter(course=course, user_id__in=user_ids)
        .values_list("user_id", "status")
    )
    new_rows = [
        Enrolment(
            user_id=user_id,
            course=course,
            course_title=course.title,
            status=EnrolmentStatus.ACTIVE,
            source=EnrolmentSource.ASSIGNED,
            enrolled_at=now,
            decided_by=by,
        )
        for user_id in user_ids
        if user_id not in existing
    ]
    # The unique constraint makes a concurrent assignment of the same person a no-op.
    Enrolment.objects.bulk_create(new_rows, ignore_conflicts=True, batch_size=500)
    to_reactivate = [user_id for user_id, status in existing.items() if status != EnrolmentStatus.ACTIVE]
    if to_reactivate:
        Enrolment.objects.filter(course=course, user_id__in=to_reactivate).update(
            status=EnrolmentStatus.ACTIVE,
            source=EnrolmentSource.ASSIGNED,
            enrolled_at=now,
            decided_by=by,
            withdrawn_at=None,
            updated_at=now,
        )
        # People coming back may already have done everything: recompute their summaries.
        for user_id in to_reactivate:
            _enrolment_refresh_by_ids(user_id=user_id, course=course)
    result.created = len(new_rows)
    result.reactivated = len(to_reactivate)
    result.unchanged = len(existing) - len(to_reactivate)
    if new_rows:
        course_enrolments_refresh(course=course, user_ids=[row.user_id for row in new_rows])
    return result


def reduce_or(conditions):
    combined = conditions[0]
    for condition in conditions[1:]:
        combined |= condition
    return combined


# --------------------------------------------------------------------------------------------
# Course summary and JP


def enrolment_refresh(*, user, course: CoursePage) -> Enrolment | None:
    """Recompute the learner's summary row for the course; on completion credit the JP.

    Call it in the transaction of the change that may affect it. Does nothing without an active
    enrolment. A completed enrolment stays completed when the course changes, but is reopened (and
    its JP credit reversed in the ledger) while a required item's result is a failure; a later
    completion credits the JP again. The rule is in docs/completion.md.
    """
    return _enrolment_refresh_by_ids(user_id=user.pk, course=course)


@transaction.atomic
def _enrolment_refresh_by_ids(*, user_id: int, course: CoursePage) -> Enrolment | None:
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
    reopened = enrolment.completed_at is not None and bool(failing)
    if reopened:
        enrolment.completed_at = None
    elif outline.is_complete and enrolment.completed_at is None:
        enrolment.completed_at = now
    if enrolment.completed_at:
        enrolment.progress_status = ProgressStatus.COMPLETED
        enrolment.percent = 100
    else:
        enrolment.percent = min(outline.percent, 99) if outline.required_count else 0
        enrolment.progress_status = ProgressStatus.IN_PROGRESS if outline.is_started else ProgressStatus.NOT_STARTED
    enrolment.last_activity_at = now
    enrolment.save()
    if enrolment.completed_at:
        _credit_jp(enrolment=enrolment, course=course)
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
                year=timezone.localtime(enrolment.completed_at, WIB).year,
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
        percent = 100 if enrolment.completed_at else (min((done * 100) // required, 99) if required else 0)
        status = enrolment.progress_status
        if enrolment.completed_at is None and done and status == ProgressStatus.NOT_STARTED:
            status = ProgressStatus.IN_PROGRESS
        new_values = (required, done, percent, status, course.title)
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
        _enrolment_refresh_by_ids(user_id=user_id, course=course)
    return len(changed) + len(completing)


# --------------------------------------------------------------------------------------------
# Lesson progress


@dataclass
class LessonAccess:
    lesson: LessonPage
    course: CoursePage | None
    enrolment: Enrolment | None
    outline: completion.CourseOutline | None
    progress: LessonProgress | None = None  # the learner's summary row for this lesson, if any

    @property
    def item(self):
        return self.outline.item(self.lesson.pk) if self.outline else None

    @property
    def allowed(self) -> bool:
        item = self.item
        return (
            self.enrolment is not None
            and self.enrolment.status == EnrolmentStatus.ACTIVE
            and item is not None
            and not item.locked
        )

    @property
    def lock_message(self) -> str:
        """Why the item is locked for this learner ("" when it is not)."""
        item = self.item
        return item.lock_message if item is not None and item.locked else ""


# What the lesson page itself reads of the enrolment and its course (``lesson_access(for_page=True)``).
LESSON_PAGE_ENROLMENT_FIELDS = (
    "id",
    "user_id",
    "course_id",
    "status",
    "completed_at",
    "course__title",
    "course__slug",
    "course__url_path",
    "course__path",
    "course__depth",
    "course__live",
    "course__sequential_modules",
    "course__pretest_before_modules",
    "course__outline_version",
)
# In the model's field order, as ``Model.from_db`` wants them.
_PROGRESS_FIELDS = ("id", "lesson_id", "completed_at", "video_fraction", "last_position_seconds")


def lesson_access(*, user, lesson: LessonPage, for_page: bool = False) -> LessonAccess:
    """The learner's course, enrolment and outline for a lesson (fixed number of queries).

    An enrolled learner's enrolment and course come in one query (the common case), their lesson rows
    in one more; the outline's structure comes from the cache keyed by the course's ``outline_version``
    read in that first query. ``for_page=True`` (the lesson page) reads only the fields the page shows
    (``LESSON_PAGE_ENROLMENT_FIELDS``); other fields of ``course`` and ``enrolment`` then load on access.
    """
    if for_page and user.is_authenticated and len(lesson.path) > 2 * lesson.steplen:
        # A lesson sits at course/module/lesson: its course is two levels up. One query for all of it.
        from courses import selectors

        found = selectors.learner_rows(user_id=user.pk, course_path=lesson.path[: -2 * lesson.steplen])
        if found is not None and found.enrolment.status == EnrolmentStatus.ACTIVE:
            outline = completion.course_outline(
                found.course, user_id=user.pk, known_states={LessonPage: found.states}, use_cache=True
            )
            return LessonAccess(
                lesson=lesson,
                course=found.course,
                enrolment=found.enrolment,
                outline=outline,
                progress=found.progress(lesson.pk),
            )
    enrolment = None
    if user.is_authenticated:
        steplen = lesson.steplen
        ancestor_paths = [lesson.path[:length] for length in range(steplen, len(lesson.path), steplen)]
        enrolments = Enrolment.objects.select_related("course").filter(user_id=user.pk, course__path__in=ancestor_paths)
        if for_page:
            enrolments = enrolments.only(*LESSON_PAGE_ENROLMENT_FIELDS)
        # At most one row (one course above a lesson, one enrolment per course): no ORDER BY to build.
        enrolment = next(iter(enrolments.order_by()[:1]), None)
    course = enrolment.course if enrolment is not None else course_of(lesson)
    if course is None:
        return LessonAccess(lesson=lesson, course=None, enrolment=None, outline=None)
    active = enrolment is not None and enrolment.status == EnrolmentStatus.ACTIVE
    # The course row was read just now, so its outline_version is current: the structure may come from the cache.
    if not active:
        outline = completion.course_outline(course, use_cache=True)
        return LessonAccess(lesson=lesson, course=course, enrolment=enrolment, outline=outline)
    # The learner's lesson rows in this course: the outline's lesson states and this lesson's row, one query.
    rows = LessonProgress.objects.filter(user_id=user.pk, lesson__path__startswith=course.path).values_list(
        *_PROGRESS_FIELDS
    )
    states = {}
    progress = None
    for row in rows:
        states[row[1]] = completion.DONE if row[2] else completion.IN_PROGRESS
        if row[1] == lesson.pk:
            progress = LessonProgress.from_db(None, _PROGRESS_FIELDS, row)
    outline = completion.course_outline(course, user_id=user.pk, known_states={LessonPage: states}, use_cache=True)
    return LessonAccess(lesson=lesson, course=course, enrolment=enrolment, outline=outline, progress=progress)


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
    return _rule_met_values(
        rule=lesson.completion_rule,
        threshold_percent=lesson.video_threshold_percent,
        marked_done=progress.marked_done_at is not None,
        video_fraction=progress.video_fraction,
    )


def _rule_met_values(*, rule: str, threshold_percent: int, marked_done: bool, video_fraction: float) -> bool:
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


# --------------------------------------------------------------------------------------------
# Heartbeats


@dataclass
class Heartbeat:
    """What the lesson page reports: its page view, active seconds so far, the video's state."""

    view_id: str
    active_seconds: int = 0
    position: float | None = None
    duration: float | None = None
    played: list[tuple[float, float]] = field(default_factory=list)


def parse_intervals(text: str, *, limit: int = MAX_INTERVALS) -> list[tuple[float, float]]:
    """``"0-12.5,30-41"`` → [(0, 12.5), (30, 41)]; malformed parts are skipped."""
    intervals = []
    for part in (text or "").split(",")[:limit]:
        start, sep, end = part.partition("-")
        if not sep:
            continue
        try:
            start_value, end_value = float(start), float(end)
        except ValueError:
            continue
        if math.isfinite(start_value) and math.isfinite(end_value) and end_value > start_value >= 0:
            intervals.append((start_value, end_value))
    return intervals


def normalise_intervals(intervals, *, duration: float) -> list[list[float]]:
    """Clamp to [0, duration], sort and merge (gaps under half a second close)."""
    clamped = sorted(
        (max(0.0, start), min(end, duration)) for start, end in intervals if min(end, duration) > max(0.0, start)
    )
    merged: list[list[float]] = []
    for start, end in clamped:
        if merged and start <= merged[-1][1] + MERGE_GAP_SECONDS:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    rounded = ([round(start, 2), round(end, 2)] for start, end in merged)
    return [[start, end] for start, end in rounded if end > start]


def covered_seconds(intervals) -> float:
    return sum(end - start for start, end in intervals)


def merge_watched(existing, incoming, *, duration: float, budget: float) -> list[list[float]]:
    """The union of what was watched before and what the player reports now, adding at most
    ``budget`` seconds of new coverage (earliest first): a heartbeat cannot claim more playing
    than the time that passed since the previous one allows. Union makes retries harmless."""
    before = normalise_intervals(existing, duration=duration)
    new_parts = []
    for start, end in normalise_intervals(incoming, duration=duration):
        cursor = start
        for old_start, old_end in before:
            if old_end <= cursor or old_start >= end:
                continue
            if old_start > cursor:
                new_parts.append((cursor, old_start))
            cursor = max(cursor, old_end)
        if cursor < end:
            new_parts.append((cursor, end))
    accepted = []
    remaining = max(0.0, budget)
    for start, end in sorted(new_parts):
        if remaining <= 0:
            break
        length = min(end - start, remaining)
        accepted.append((start, start + length))
        remaining -= length
    merged = normalise_intervals([*map(tuple, before), *accepted], duration=duration)
    if len(merged) > MAX_INTERVALS:  # keep the row small: drop the shortest pieces' gaps
        merged = merged[:MAX_INTERVALS]
    return merged


def _heartbeat_values(row: dict, beat: Heartbeat, *, now: datetime) -> dict:
    elapsed = max(0.0, (now - row["last_seen_at"]).total_seconds())
    wall_budget = elapsed + HEARTBEAT_SLACK_SECONDS
    active = max(0, int(beat.active_seconds))
    if beat.view_id == row["view_id"]:
        added = max(0, active - row["view_seconds"])
        view_seconds = max(active, row["view_seconds"])
    else:
        added = active
        view_seconds = active
    added = int(min(added, wall_budget))

    duration = float(row["video_duration_seconds"] or 0)
    if beat.duration and math.isfinite(beat.duration) and 0 < beat.duration <= MAX_VIDEO_SECONDS:
        duration = max(duration, beat.duration)
    intervals = row["watched_intervals"] or []
    if duration > 0 and beat.played:
        intervals = merge_watched(
            intervals, beat.played, duration=duration, budget=elapsed * MAX_PLAYBACK_RATE + HEARTBEAT_SLACK_SECONDS
        )
    watched = covered_seconds(intervals)
    fraction = min(1.0, watched / duration) if duration > 0 else 0.0
    values = {
        "last_seen_at": now,
        "time_spent_seconds": row["time_spent_seconds"] + added,
        "view_id": beat.view_id,
        "view_seconds": view_seconds,
        "video_duration_seconds": duration,
        "watched_intervals": intervals,
        "video_watched_seconds": round(watched, 2),
        "video_fraction": fraction,
    }
    if beat.position is not None and math.isfinite(beat.position):
        position = max(0.0, beat.position)
        values["last_position_seconds"] = round(min(position, duration) if duration > 0 else position, 2)
    return values


HEARTBEAT_FIELDS = (
    "pk",
    "version",
    "completed_at",
    "marked_done_at",
    "last_seen_at",
    "time_spent_seconds",
    "view_id",
    "view_seconds",
    "video_duration_seconds",
    "watched_intervals",
    "lesson__completion_rule",
    "lesson__video_threshold_percent",
)


def lesson_heartbeat(*, user, lesson_id: int, beat: Heartbeat) -> dict:
    """Record a heartbeat from the lesson page. Idempotent and safe under concurrency.

    The common case is two queries: read the summary row, then a compare-and-swap UPDATE on its
    ``version``. If other requests keep winning the swap (many tabs at once), the last attempt takes
    the row lock instead. Only a heartbeat that meets the lesson's rule opens a transaction that also
    completes the lesson and refreshes the course summary.
    Raises LessonAccessError (and LessonPage.DoesNotExist) when the lesson cannot be worked on.
    """
    try:
        uuid.UUID(beat.view_id)
    except (ValueError, TypeError, AttributeError):
        beat.view_id = ""
    for _attempt in range(3):
        result = _heartbeat_attempt(user=user, lesson_id=lesson_id, beat=beat, lock=False)
        if result is not None:
            return result
    with transaction.atomic():
        result = _heartbeat_attempt(user=user, lesson_id=lesson_id, beat=beat, lock=True)
    if result is None:  # cannot happen while holding the row lock
        raise LessonAccessError(_("Too many simultaneous updates; please try again."))
    return result


def _heartbeat_attempt(*, user, lesson_id: int, beat: Heartbeat, lock: bool) -> dict | None:
    """One read-compute-swap round; None when another request changed the row first."""
    rows = LessonProgress.objects.filter(user_id=user.pk, lesson_id=lesson_id)
    if lock:
        rows = rows.select_for_update(of=("self",))
    row = rows.values(*HEARTBEAT_FIELDS).first()
    if row is None:
        lesson_open(user=user, lesson=LessonPage.objects.live().get(pk=lesson_id))
        row = rows.values(*HEARTBEAT_FIELDS).first()
    now = timezone.now()
    values = _heartbeat_values(row, beat, now=now)
    completes = row["completed_at"] is None and _rule_met_values(
        rule=row["lesson__completion_rule"],
        threshold_percent=row["lesson__video_threshold_percent"],
        marked_done=row["marked_done_at"] is not None,
        video_fraction=values["video_fraction"],
    )
    swap = LessonProgress.objects.filter(pk=row["pk"], version=row["version"])
    if not completes:
        if not swap.update(**values, version=row["version"] + 1):
            return None
        return _heartbeat_result(values, completed=row["completed_at"] is not None)
    with transaction.atomic():
        if not swap.update(**values, version=row["version"] + 1):
            return None
        progress = lesson_progress_refresh(user=user, lesson=LessonPage.objects.get(pk=lesson_id))
    return _heartbeat_result(values, completed=progress is not None and progress.completed_at is not None)


def _heartbeat_result(values: dict, *, completed: bool) -> dict:
    return {
        "completed": completed,
        "video_percent": int(values["video_fraction"] * 100),
        "time_spent_seconds": values["time_spent_seconds"],
    }
