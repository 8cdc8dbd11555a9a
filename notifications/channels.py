"""Delivery channels: how a notification leaves the platform (besides the bell, which is the row itself).

A channel has a name and ``send(notification)``; it raises on failure (a transient one, see
``TRANSIENT``, is retried by the task). Today there is one, email. WhatsApp or SMS: write a class with
the same two members (reading the person's number from their profile), add it to ``CHANNELS``, and
give it its own state columns or table as email has (see docs/notifications.md); callers of
``notifications.services.notify`` do not change.
"""

from __future__ import annotations

import smtplib
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

# Errors worth trying again later: the mail server down, refusing for now, a timeout.
TRANSIENT = (OSError, smtplib.SMTPException)


class Channel(Protocol):
    name: str

    def send(self, notification) -> None: ...


class EmailChannel:
    name = "email"

    def send(self, notification) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            context = {"notification": notification, "base_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")}
            subject = render_to_string("notifications/email/subject.txt", context).strip()
            body = render_to_string("notifications/email/body.txt", context)
        EmailMessage(subject=subject, body=body, to=[notification.recipient.email]).send(fail_silently=False)


CHANNELS: dict[str, Channel] = {"email": EmailChannel()}
