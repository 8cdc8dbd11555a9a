"""Writes of the courses app, by concern: ``enrolment``, ``progress`` (lesson progress, enrolment summary
and JP), ``heartbeat``. The video-interval maths is in ``courses/watching.py``; reads are in
``courses/selectors.py``.

The names below are the ones other apps import from ``courses.services``; they stay importable here.
"""

from django.utils import timezone

from courses.selectors import LessonAccess, can_manage_enrolments, course_of, lesson_access, manageable_courses
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
from courses.watching import covered_seconds, merge_watched, normalise_intervals, parse_intervals

# Deprecated: reports/selectors.py and reports/views.py still import it. Use timezone.localtime(): the
# project's TIME_ZONE is Asia/Jakarta. Goes once those imports are gone.
WIB = timezone.get_default_timezone()

__all__ = [
    "HEARTBEAT_SLACK_SECONDS",
    "MAX_PLAYBACK_RATE",
    "WIB",
    "AssignResult",
    "EnrolmentError",
    "Heartbeat",
    "LessonAccess",
    "LessonAccessError",
    "can_manage_enrolments",
    "course_assign",
    "course_enrolments_refresh",
    "course_of",
    "covered_seconds",
    "enrolment_create",
    "enrolment_decide",
    "enrolment_leave",
    "enrolment_refresh",
    "lesson_access",
    "lesson_heartbeat",
    "lesson_mark_done",
    "lesson_open",
    "lesson_progress_refresh",
    "manageable_courses",
    "merge_watched",
    "normalise_intervals",
    "parse_intervals",
]
