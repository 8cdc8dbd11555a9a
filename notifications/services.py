"""Writes of the notifications app: notify someone (once per subject), mark read, email preferences."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from notifications.kinds import Kind
from notifications.models import EmailPreference, EmailState, Notification


def email_wanted(user, kind: str) -> bool:
    return not EmailPreference.objects.filter(user=user, kind=kind, email=False).exists()


def notify(*, recipient, kind: str, text: str, link: str = "", key: str) -> tuple[Notification, bool]:
    """Tell ``recipient`` about ``key`` (e.g. ``"enrolment:12"``): in the app always, by email if wanted.

    Idempotent: one notification per (recipient, kind, key), ever. Calling again (the action repeated,
    a job run twice, two processes at once) returns the existing row and sends nothing; the unique
    constraint decides a race (``get_or_create`` retries the read after an IntegrityError, inside a
    savepoint, so it is safe inside a caller's transaction on PostgreSQL). The email is queued when
    the caller's transaction commits, never for a row that was rolled back.

    Returns (notification, created)."""
    kind = Kind(kind).value
    if not recipient.email:
        state = EmailState.NO_ADDRESS
    elif not email_wanted(recipient, kind):
        state = EmailState.OPTED_OUT
    else:
        state = EmailState.PENDING
    notification, created = Notification.objects.get_or_create(
        recipient=recipient,
        kind=kind,
        key=key[:120],
        defaults={"text": text[:500], "link": link[:500], "email_state": state},
    )
    if created and state == EmailState.PENDING:
        from notifications.tasks import send_notification_email

        transaction.on_commit(lambda: send_notification_email.enqueue(notification.pk))
    return notification, created


def mark_read(*, user, notification_id: int | None = None) -> int:
    """Mark one of ``user``'s notifications (or all of them) read. Another person's id changes nothing."""
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        rows = rows.filter(pk=notification_id)
    return rows.update(read_at=timezone.now())


def set_email_preference(*, user, kind: str, email: bool) -> None:
    EmailPreference.objects.update_or_create(user=user, kind=Kind(kind).value, defaults={"email": email})
