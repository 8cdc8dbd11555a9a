"""The audit log of staff actions that change learners' enrolments, in Wagtail's own log (``ModelLogEntry``).

Each action is logged inside the service's transaction, one entry per enrolment it changed (a single
approval with ``wagtail.log_actions.log``; an assignment of many people as one bulk insert of the same
``ModelLogEntry`` rows that ``log()`` writes, so a unit-wide assignment is not a query per person), with the acting staff member; the entries show in the Enrolment's history
and in the admin's site-wide log (Laporan → Riwayat situs). A learner's own actions (enrolling,
asking to enrol, leaving) are not staff actions and are not logged here: their record is the
enrolment row itself (``requested_at``, ``enrolled_at``, ``withdrawn_at``).
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from courses.models import Enrolment

APPROVE = "courses.enrolment.approve"
DECLINE = "courses.enrolment.decline"
ASSIGN = "courses.enrolment.assign"

# action: (label, message), as Wagtail's own ``register_log_actions`` take them.
ACTIONS = {
    APPROVE: (_("Approve enrolment request"), _("Enrolment request approved")),
    DECLINE: (_("Decline enrolment request"), _("Enrolment request declined")),
    ASSIGN: (_("Assign to a course"), _("Assigned to the course by a trainer")),
}


def register_log_actions(actions) -> None:
    """For the ``register_log_actions`` hook (courses/wagtail_hooks.py)."""
    for action, (label, message) in ACTIONS.items():
        actions.register_action(action, label, message)


def log_enrolment_action(*, enrolment: Enrolment, action: str, by, uuid=None, **data) -> None:
    """One log entry for ``enrolment``: ``action`` by the staff member ``by`` (call inside the change's
    transaction). ``uuid`` groups the entries of one staff action on many enrolments, as Wagtail does."""
    log(
        instance=enrolment,
        action=action,
        user=by,
        uuid=uuid,
        data=_data(enrolment, **data),
    )


def _data(enrolment: Enrolment, **data) -> dict:
    return {"course_id": enrolment.course_id, "user_id": enrolment.user_id, **data}


def log_enrolment_actions(*, enrolments, action: str, by, uuid, data_for=lambda enrolment: {}) -> None:
    """The entries ``log_enrolment_action`` would write for each of ``enrolments``, in one insert. The
    enrolments' users should be loaded (``select_related("user")``): an entry's label is ``str(enrolment)``."""
    content_type = ContentType.objects.get_for_model(Enrolment, for_concrete_model=False)
    now = timezone.now()
    ModelLogEntry.objects.bulk_create(
        [
            ModelLogEntry(
                content_type=content_type,
                label=str(enrolment),
                action=action,
                timestamp=now,
                data=_data(enrolment, **data_for(enrolment)),
                user=by,
                uuid=uuid,
                object_id=str(enrolment.pk),
            )
            for enrolment in enrolments
        ],
        batch_size=500,
    )
