"""Lesson heartbeats: time spent and video watched, recorded with a compare-and-swap on the summary row."""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import LessonPage, LessonProgress
from courses.services.progress import LessonAccessError, lesson_open, lesson_progress_refresh, rule_met_values
from courses.watching import covered_seconds, merge_watched

# A player may run at up to 2x speed; a little slack absorbs clock and network jitter.
MAX_PLAYBACK_RATE = 2.0
HEARTBEAT_SLACK_SECONDS = 10.0
MAX_VIDEO_SECONDS = 6 * 3600


@dataclass
class Heartbeat:
    """What the lesson page reports: its page view, active seconds so far, the video's state."""

    view_id: str
    active_seconds: int = 0
    position: float | None = None
    duration: float | None = None
    played: list[tuple[float, float]] = field(default_factory=list)


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
    completes = row["completed_at"] is None and rule_met_values(
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
