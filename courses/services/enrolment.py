"""Enrolment: self-enrolment and requests, leaving, a trainer's decision and assignment of people and units."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from courses import audit
from courses.models import CoursePage, Enrolment, EnrolmentMode, EnrolmentSource, EnrolmentStatus, EnrolmentWindow
from courses.selectors import can_manage_enrolments
from courses.services.progress import course_enrolments_refresh, enrolment_refresh, enrolment_refresh_by_ids
from people.models import ASNProfile


class EnrolmentError(Exception):
    """An enrolment action that is not allowed; the message is shown to the person."""


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
    if window == EnrolmentWindow.NOT_YET:
        raise EnrolmentError(_("Enrolment for this course has not opened yet."))
    if window == EnrolmentWindow.CLOSED:
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
    audit.log_enrolment_action(enrolment=enrolment, action=audit.APPROVE if approve else audit.DECLINE, by=by)
    from notifications import events  # the learner is told (once per course and outcome; emailed on commit)

    events.enrolment_decided(enrolment=enrolment, approved=approve)
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
            enrolment_refresh_by_ids(user_id=user_id, course=course)
    # One log entry per enrolment this assignment wrote (not those another request created meanwhile), in one insert.
    action_uuid = uuid.uuid4()
    written = Enrolment.objects.filter(
        course=course, user_id__in=[*(row.user_id for row in new_rows), *to_reactivate], decided_by=by, enrolled_at=now
    ).select_related("user")
    reactivated = set(to_reactivate)
    audit.log_enrolment_actions(
        enrolments=written,
        action=audit.ASSIGN,
        by=by,
        uuid=action_uuid,
        data_for=lambda enrolment: {"reactivated": enrolment.user_id in reactivated},
    )
    result.created = len(new_rows)
    result.reactivated = len(to_reactivate)
    result.unchanged = len(existing) - len(to_reactivate)
    if new_rows:
        course_enrolments_refresh(course=course, user_ids=[row.user_id for row in new_rows])
    from notifications import events  # those newly assigned are told (once per course; emailed on commit)

    events.course_assigned(course=course, user_ids=[*(row.user_id for row in new_rows), *to_reactivate])
    return result


def reduce_or(conditions):
    combined = conditions[0]
    for condition in conditions[1:]:
        combined |= condition
    return combined
