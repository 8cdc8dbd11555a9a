"""Sign-in with an NIP (typed any way) or a username."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from people import nip as nip_rules


def canonical_login(raw: str) -> str:
    """The identity a sign-in attempt is about: the bare 18 digits of an NIP, else the username."""
    raw = (raw or "").strip()
    if nip_rules.looks_like_identity_number(raw):
        return nip_rules.normalise(raw)
    return raw


def axes_username(request, credentials) -> str:
    """django-axes: count failures per canonical identity, so ``1986 0926…`` and ``19860926…`` are
    the same person and spacing cannot be used to dodge the lockout."""
    raw = (credentials or {}).get("username") or request.POST.get("username", "")
    return canonical_login(raw).lower()


class NIPOrUsernameBackend(ModelBackend):
    """Authenticate by NIP/NI PPPK (spaces, dots and dashes allowed) or by username."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        login = canonical_login(username)
        user_model = get_user_model()
        user = None
        if nip_rules.looks_like_identity_number(login):
            user = user_model._default_manager.filter(asn_profile__nip=login).first()
        if user is None:
            user = user_model._default_manager.filter(username__iexact=login).first()
        if user is None:
            # Run the hasher anyway so a missing account takes as long as a wrong password.
            user_model().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
