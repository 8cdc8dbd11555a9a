"""Sign-in with an NIP (typed any way) or a username, and its throttling (django-axes)."""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Sum
from django.utils import timezone

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


def account_for_login(raw: str):
    """The account a sign-in (or an activation) names: by the NIP/NI PPPK of its profile, else by
    username (case-insensitive); None when there is none."""
    login = canonical_login(raw)
    if not login:
        return None
    users = get_user_model()._default_manager
    user = None
    if nip_rules.looks_like_identity_number(login):
        user = users.filter(asn_profile__nip=login).first()
    return user or users.filter(username__iexact=login).first()


class NIPOrUsernameBackend(ModelBackend):
    """Authenticate by NIP/NI PPPK (spaces, dots and dashes allowed) or by username."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = account_for_login(username)
        if user is None:
            # Run the hasher anyway so a missing account takes as long as a wrong password.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


class AddressLimitedAxesHandler(AxesDatabaseHandler):
    """django-axes' database handler, plus a limit per client address across accounts.

    Axes locks on its lockout parameters with one failure limit for all of them: keyed on the
    address alone with the per-account limit (5), one office behind a NAT address would be locked
    out by a few people's typos. So the pair (account, address) keeps ``AXES_FAILURE_LIMIT``, and
    the address gets its own, higher ``AXES_ADDRESS_FAILURE_LIMIT``: failures from that address in
    the cool-off window, summed over every account. An account's failures stop counting once it signs
    in (``AXES_RESET_ON_SUCCESS`` deletes them), so colleagues who mistype and then get in never add
    up; someone trying one password on many accounts does.
    """

    def address_failures(self, request) -> int:
        ip_address = getattr(request, "axes_ip_address", None)
        if not ip_address:
            return 0
        attempts = AccessAttempt.objects.filter(ip_address=ip_address)
        cool_off = get_cool_off(request)
        if cool_off is not None:
            attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
        total = attempts.aggregate(total=Sum("failures_since_start"))["total"]
        return total or 0

    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)
        limit = settings.AXES_ADDRESS_FAILURE_LIMIT
        if limit > 0 and self.address_failures(request) >= limit:
            # Report the address as at the pair's limit: axes then refuses and shows its lockout page.
            return max(failures, get_failure_limit(request, credentials))
        return failures
