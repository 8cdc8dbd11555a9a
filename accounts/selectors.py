"""Reads of the accounts app: finding the account an activation or a recovery is about, and checking a code."""

from django.conf import settings
from django.contrib.auth import get_user_model

from accounts import codes
from accounts.models import ActivationCode
from people.auth import account_for_login


def method_enabled(method: str) -> bool:
    """Whether activation by ``"code"`` or ``"email"`` is switched on (``LMS_ACTIVATION_METHODS``)."""
    return method in settings.LMS_ACTIVATION_METHODS


def account_for_activation(login: str):
    """The account an activation names, found as the sign-in finds it (NIP typed any way, or username)."""
    return account_for_login(login)


def matching_code(*, user, typed_code: str) -> ActivationCode | None:
    """The stored code ``typed_code`` matches for ``user`` (usable or not), newest first. Always one
    query and one digest, whether or not the account exists, so the answer takes the same time."""
    user_id = user.pk if user is not None else 0
    wanted = codes.digest(user_id=user_id, code=typed_code)
    return ActivationCode.objects.filter(user_id=user_id, digest=wanted).order_by("-created_at").first()


def accounts_for_recovery(identity: str) -> list:
    """The active accounts with an email that a *Lupa kata sandi* request names: by email (every
    account with that address, as Django's reset form does), else by NIP or username. One query."""
    identity = (identity or "").strip()
    if "@" in identity:
        users = get_user_model()._default_manager.filter(email__iexact=identity)
    else:
        user = account_for_login(identity)
        users = get_user_model()._default_manager.filter(pk=user.pk if user else None)
    return list(users.filter(is_active=True).exclude(email="").select_related("asn_profile"))
