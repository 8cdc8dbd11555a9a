"""The enrolment summary rule (courses/summary.py)."""

import pytest

from courses.models import ProgressStatus
from courses.summary import enrolment_summary


@pytest.mark.parametrize(
    ("required", "done", "completed", "started", "percent", "status"),
    [
        (4, 0, False, False, 0, ProgressStatus.NOT_STARTED),
        (4, 0, False, True, 0, ProgressStatus.IN_PROGRESS),  # opened a lesson, none done yet
        (4, 1, False, False, 25, ProgressStatus.IN_PROGRESS),  # a done item means started
        (3, 2, False, True, 66, ProgressStatus.IN_PROGRESS),  # rounded down, never up
        (4, 4, False, True, 99, ProgressStatus.IN_PROGRESS),  # all done, completion not recorded yet
        (5, 4, True, True, 100, ProgressStatus.COMPLETED),  # completed, then the course grew
        (0, 0, False, False, 0, ProgressStatus.NOT_STARTED),  # nothing required: no division by zero
    ],
)
def test_summary_from_counts(required, done, completed, started, percent, status):
    summary = enrolment_summary(required=required, done=done, completed=completed, started=started)
    assert (summary.required_items, summary.done_items) == (required, done)
    assert (summary.percent, summary.progress_status) == (percent, status)
