"""The one rule for an enrolment's summary: status, percent and items done, from counts alone."""

from __future__ import annotations

from dataclasses import dataclass

from courses.models.progress import ProgressStatus


@dataclass(frozen=True, slots=True)
class EnrolmentSummary:
    required_items: int
    done_items: int
    percent: int
    progress_status: str


def enrolment_summary(*, required: int, done: int, completed: bool, started: bool) -> EnrolmentSummary:
    """What an enrolment's summary row says, given its counts.

    ``completed`` is whether the enrolment holds a completion (``completed_at`` set: it stays
    complete when the course later grows); ``started`` whether the learner has touched any item.
    A course is 100 % only when completed: a learner with every item done but the completion not yet
    recorded, or a course grown since, shows at most 99 %. A course with no required items is 0 %.
    Every path that writes ``Enrolment.percent`` (the per-learner refresh, the bulk refresh after a
    page change, the province-scale seeder) takes it from here.
    """
    if completed:
        return EnrolmentSummary(required, done, 100, ProgressStatus.COMPLETED)
    percent = min(done * 100 // required, 99) if required else 0
    status = ProgressStatus.IN_PROGRESS if started or done else ProgressStatus.NOT_STARTED
    return EnrolmentSummary(required, done, percent, status)
