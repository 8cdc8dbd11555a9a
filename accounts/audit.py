"""The audit log of account events (activation, password reset by link), in Wagtail's own log."""

from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

ACTIVATED = "accounts.account.activate"
PASSWORD_RESET = "accounts.account.password_reset"  # noqa: S105 (an action name)
CODES_GENERATED = "accounts.activation_codes.generate"
EMAIL_CHANGED = "accounts.account.email_change"
LINKS_SENT = "accounts.activation_links.send"

# action: (label, message), as Wagtail's own ``register_log_actions`` take them.
ACTIONS = {
    ACTIVATED: (_("Activate account"), _("Account activated")),
    PASSWORD_RESET: (_("Reset password"), _("Password reset through an emailed link")),
    CODES_GENERATED: (_("Generate activation codes"), _("Activation codes generated")),
    LINKS_SENT: (_("Send activation links"), _("Activation links emailed")),
    EMAIL_CHANGED: (_("Change email"), _("Email address changed through a confirmation link")),
}


def register_log_actions(actions) -> None:
    """For the ``register_log_actions`` hook (accounts/wagtail_hooks.py)."""
    for action, (label, message) in ACTIONS.items():
        actions.register_action(action, label, message)


def log_account_event(*, user, action: str, by=None, **data) -> None:
    """One entry on ``user``'s history: ``action`` done by ``by`` (the person themselves when None).
    Call inside the change's transaction."""
    log(instance=user, action=action, user=by or user, data=data)


def log_codes_generated(*, unit, by, people: int, days) -> None:
    """One entry on the unit's history for one sheet of codes (not one per person: a sheet may hold
    thousands)."""
    log(instance=unit, action=CODES_GENERATED, user=by, data={"people": people, "days": days})


def log_links_sent(*, unit, by, people: int) -> None:
    log(instance=unit, action=LINKS_SENT, user=by, data={"people": people})
