"""Reads of the accounts app: finding the account an activation is about, and checking a code."""

from django.contrib.auth import get_user_model

from accounts import codes
from accounts.models import ActivationCode
from people import nip as nip_rules
from people.auth import canonical_login


def account_for_activation(login: str):
    """The account an activation names (NIP typed any way, or username), or None. Always one query."""
    login = canonical_login(login)
    user_model = get_user_model()
    if nip_rules.looks_like_identity_number(login):
        return user_model._default_manager.filter(asn_profile__nip=login).first()
    return user_model._default_manager.filter(username__iexact=login).first() if login else None


def matching_code(*, user, typed_code: str) -> ActivationCode | None:
    """The stored code ``typed_code`` matches for ``user`` (usable or not), newest first. Always one
    query and one digest, whether or not the account exists, so the answer takes the same time."""
    user_id = user.pk if user is not None else 0
    wanted = codes.digest(user_id=user_id, code=typed_code)
    return ActivationCode.objects.filter(user_id=user_id, digest=wanted).order_by("-created_at").first()
