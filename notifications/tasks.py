"""Sending a notification by email, in the background worker (lms/tasks.py: retried on transient errors)."""

import logging

from django.db.models import F
from django.utils import timezone

from lms.tasks import background_task
from notifications.channels import CHANNELS, TRANSIENT
from notifications.models import EmailState, Notification

logger = logging.getLogger(__name__)

EMAIL_ATTEMPTS = 6  # 1 + retries after 1, 2, 4, 8, 16 minutes


def _gave_up(exc, notification_id, **kwargs):
    Notification.objects.filter(pk=notification_id, email_state=EmailState.RETRYING).update(
        email_state=EmailState.FAILED
    )


@background_task(transient=TRANSIENT, attempts=EMAIL_ATTEMPTS, backoff=60, on_give_up=_gave_up)
def send_notification_email(notification_id: int) -> str:
    """Email one notification, at most once.

    The row is claimed with a conditional UPDATE (pending or retrying -> sending) before the mail
    server is contacted, so two runs of the task (a retry racing a duplicate row, two workers) never
    both send. A notification deleted meanwhile, or already sent, ends the task cleanly."""
    claimed = Notification.objects.filter(
        pk=notification_id, email_state__in=[EmailState.PENDING, EmailState.RETRYING]
    ).update(email_state=EmailState.SENDING, email_attempts=F("email_attempts") + 1)
    if not claimed:
        logger.info("notification %s: no email to send (gone, sent or being sent)", notification_id)
        return "skipped"
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    try:
        CHANNELS["email"].send(notification)
    except TRANSIENT as exc:
        Notification.objects.filter(pk=notification_id).update(email_state=EmailState.RETRYING, email_error=repr(exc))
        raise
    except Exception as exc:
        Notification.objects.filter(pk=notification_id).update(email_state=EmailState.FAILED, email_error=repr(exc))
        raise
    Notification.objects.filter(pk=notification_id).update(
        email_state=EmailState.SENT, emailed_at=timezone.now(), email_error=""
    )
    return "sent"
