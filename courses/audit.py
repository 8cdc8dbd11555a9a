"""The audit log of staff actions that change learners' enrolments, in Wagtail's own log (``ModelLogEntry``).

Each action is logged with ``wagtail.log_actions.log`` inside the service's transaction, one entry per
enrolment it changed, with the acting staff member; the entries show in the Enrolment's history
and in the admin's site-wide log (Laporan → Riwayat situs). A learner's own actions (enrolling,
asking to enrol, leaving) are not staff actions and are not logged here: their record is the
enrolment row itself (``requested_at``, ``enrolled_at``, ``withdrawn_at``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

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
        data={"course_id": enrolment.course_id, "user_id": enrolment.user_id, **data},
    )
