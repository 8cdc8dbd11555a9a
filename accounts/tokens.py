"""One-time links: activation by email, and confirming a new email address."""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import signing
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


class ActivationTokenGenerator(PasswordResetTokenGenerator):
    """Django's password-reset token, with its own salt and lifetime. The hash covers the password
    and ``activated_at``, so a link stops working once it has been used (or the account activated
    any other way)."""

    key_salt = "accounts.tokens.ActivationTokenGenerator"

    def __init__(self):
        super().__init__()
        self.timeout = settings.LMS_ACTIVATION_LINK_HOURS * 3600

    def check_token(self, user, token):
        # PasswordResetTokenGenerator.check_token compares the age with PASSWORD_RESET_TIMEOUT; an
        # activation link has its own lifetime (LMS_ACTIVATION_LINK_HOURS), so the age check is ours.
        if not (user and token):
            return False
        try:
            ts_b36, _hash = token.split("-")
            timestamp = base36_to_int(ts_b36)
        except ValueError:
            return False
        genuine = any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )
        return genuine and (self._num_seconds(self._now()) - timestamp) <= self.timeout

    def _make_hash_value(self, user, timestamp):
        activated = "" if user.activated_at is None else user.activated_at.replace(microsecond=0).isoformat()
        return f"{user.pk}{user.password}{activated}{timestamp}{user.is_active}"


activation_token = ActivationTokenGenerator()

EMAIL_CHANGE_SALT = "accounts.email-change"
EMAIL_CHANGE_MAX_AGE = 48 * 3600


def email_change_token(*, user, new_email: str) -> str:
    """A signed token naming the account, its current email and the new one: it stops working once
    the email has changed (either way), and after 48 hours."""
    return signing.dumps({"u": user.pk, "old": user.email, "new": new_email}, salt=EMAIL_CHANGE_SALT, compress=True)


def read_email_change_token(token: str) -> dict | None:
    try:
        return signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=EMAIL_CHANGE_MAX_AGE)
    except signing.BadSignature:
        return None
