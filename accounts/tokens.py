"""The one-time links the accounts app mails: activation of an account that has never been used."""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


class ActivationTokenGenerator(PasswordResetTokenGenerator):
    """Django's password-reset token, with its own salt (a reset link is not an activation link and
    the reverse) and its own lifetime, ``LMS_ACTIVATION_LINK_HOURS``, instead of
    ``PASSWORD_RESET_TIMEOUT``. The link stops working once the account is activated
    (``activated_at`` is in the hash), its password changes, or the person is deactivated."""

    key_salt = "accounts.tokens.ActivationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{super()._make_hash_value(user, timestamp)}{user.activated_at}{user.is_active}"

    def check_token(self, user, token):
        if not (user and token):
            return False
        try:
            timestamp_b36, _hash = token.split("-")
            timestamp = base36_to_int(timestamp_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        return self._num_seconds(self._now()) - timestamp <= settings.LMS_ACTIVATION_LINK_HOURS * 3600


activation_token = ActivationTokenGenerator()
