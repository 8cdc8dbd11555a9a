"""Activation codes: one-time codes an office hands to an ASN so they can choose their first password."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ActivationCodeQuerySet(models.QuerySet):
    def usable(self):
        """Codes that may still activate an account: not used, not voided, not expired."""
        return self.filter(used_at__isnull=True, voided_at__isnull=True, expires_at__gt=timezone.now())


class ActivationCode(models.Model):
    """A one-time activation code. Only its keyed hash is stored (``accounts.codes.code_digest``):
    the code itself exists in the sheet handed out and nowhere else. Generating a new code for a
    person voids their earlier ones; using one marks it used, so it works once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activation_codes", verbose_name=_("account")
    )
    digest = models.CharField(_("code digest"), max_length=64)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)

    objects = ActivationCodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("activation code")
        verbose_name_plural = _("activation codes")
        indexes = [models.Index(fields=["user", "used_at", "voided_at"], name="accounts_code_user_open")]
        # Not add_: a supervisor "changes nothing" but hands out codes for their unit subtree.
        permissions = [("generate_activation_codes", _("Can generate activation codes for own units"))]

    def __str__(self):
        return f"{self.user_id} · {self.created_at:%Y-%m-%d}"
