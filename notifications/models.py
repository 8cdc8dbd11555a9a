"""A notification (one per person, kind and subject, ever) and a person's email preference per kind."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from notifications.kinds import Kind


class EmailState(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", pgettext_lazy("email state", "Sent")
    RETRYING = "retrying", _("Failed, will be retried")
    FAILED = "failed", pgettext_lazy("email state", "Failed")
    OPTED_OUT = "opted_out", _("Not sent: email switched off for this kind")
    NO_ADDRESS = "no_address", _("Not sent: no email address")


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    # What the notification is about, e.g. "enrolment:12" or "attempt:40": with recipient and kind it
    # makes the notification unique, so a job or an action that runs again sends nothing new.
    key = models.CharField(_("subject key"), max_length=120)
    text = models.CharField(_("text"), max_length=500)
    link = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_state = models.CharField(_("email"), max_length=12, choices=EmailState.choices, default=EmailState.PENDING)
    email_attempts = models.PositiveSmallIntegerField(_("email attempts"), default=0)
    email_error = models.TextField(_("last email error"), blank=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "key"], name="notification_once_per_subject"),
        ]
        indexes = [
            # The bell: unread count of one person.
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
        ]

    def __str__(self):
        return f"{self.recipient_id} {self.kind} {self.key}"


class EmailPreference(models.Model):
    """Email on or off for one kind; no row means on. In-app notifications are always kept."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    email = models.BooleanField(_("send by email"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]

    def __str__(self):
        return f"{self.user_id} {self.kind} {'on' if self.email else 'off'}"
