"""Throttling of activation tries: the sign-in's own django-axes records and limits, plus a limit per
NIP summed over every address (codes are short; a guesser may rotate addresses)."""

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db.models import Sum
from django.utils import timezone

from lms import ratelimit
from people.auth import axes_username


def _credentials(login: str) -> dict:
    return {"username": login}


def activation_allowed(request, login: str) -> bool:
    credentials = _credentials(login)
    if not AxesProxyHandler.is_allowed(request, credentials):
        return False
    limit = settings.LMS_ACTIVATION_NIP_FAILURE_LIMIT
    if limit <= 0:
        return True
    attempts = AccessAttempt.objects.filter(username=axes_username(request, credentials))
    cool_off = get_cool_off(request)
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return (attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0) < limit


def record_failure(request, login: str) -> None:
    """Count a failed activation exactly as a failed sign-in: axes records it (per account and
    address, and towards the address limit) and, at the limit, its middleware shows the lockout page."""
    user_login_failed.send(sender=__name__, credentials=_credentials(login), request=request)


def recovery_address_allowed(request) -> bool:
    """One more *Lupa kata sandi* request from this address in the hour? Over the limit the page
    says so (it tells nothing about any account)."""
    address = ratelimit.client_address(request)
    return ratelimit.hit(f"accounts:recovery:address:{address}", window=3600) <= settings.LMS_RECOVERY_ADDRESS_LIMIT


def recovery_mail_allowed(identity_key: str) -> bool:
    """One more recovery email for this account in the hour? Over the limit nothing is sent, and the
    page still says the same, so the limit tells nothing either; it keeps a mailbox from being flooded."""
    return (
        ratelimit.hit(f"accounts:recovery:account:{identity_key}", window=3600) <= settings.LMS_RECOVERY_EMAILS_PER_HOUR
    )
