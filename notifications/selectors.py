"""Reads of the notifications app."""

from notifications.kinds import Kind
from notifications.models import EmailPreference, Notification


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def for_user(user):
    return Notification.objects.filter(recipient=user)


def email_preferences(user) -> list[tuple[str, str, bool]]:
    """(kind, label, email on) for every kind, on unless the person switched it off."""
    off = set(EmailPreference.objects.filter(user=user, email=False).values_list("kind", flat=True))
    return [(kind.value, kind.label, kind.value not in off) for kind in Kind]
