"""Writes of the courses app, by concern: ``enrolment``, ``progress`` (lesson progress, enrolment summary
and JP), ``heartbeat``. The video-interval maths is in ``courses/watching.py``; reads are in
``courses/selectors.py``.

The writes other apps call, importable from ``courses.services``.
"""

from courses.services.enrolment import (
    AssignResult,
    EnrolmentError,
    course_assign,
    enrolment_create,
    enrolment_decide,
    enrolment_leave,
)
from courses.services.heartbeat import (
    HEARTBEAT_SLACK_SECONDS,
    MAX_PLAYBACK_RATE,
    Heartbeat,
    lesson_heartbeat,
)
from courses.services.progress import (
    LessonAccessError,
    course_enrolments_refresh,
    enrolment_refresh,
    lesson_mark_done,
    lesson_open,
    lesson_progress_refresh,
)

__all__ = [
    "HEARTBEAT_SLACK_SECONDS",
    "MAX_PLAYBACK_RATE",
    "AssignResult",
    "EnrolmentError",
    "Heartbeat",
    "LessonAccessError",
    "course_assign",
    "course_enrolments_refresh",
    "enrolment_create",
    "enrolment_decide",
    "enrolment_leave",
    "enrolment_refresh",
    "lesson_heartbeat",
    "lesson_mark_done",
    "lesson_open",
    "lesson_progress_refresh",
]
