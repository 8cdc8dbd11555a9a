"""Writes of the accounts app: handing out activation codes, activating an account (with a code or an
emailed link) and sending the recovery links of the *Lupa kata sandi* page."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts import audit, codes, mail, selectors, throttle
from accounts.models import ActivationCode

BATCH_SIZE = 1000


@dataclass(frozen=True)
class IssuedCode:
    user_id: int
    code: str
    expires_at: object


def activation_codes_generate(
    *, user_ids: list[int], created_by, days: int | None = None, unit=None
) -> list[IssuedCode]:
    """New one-time codes for ``user_ids`` (people not yet activated; the caller scopes them).
    Earlier open codes of those people are voided. Two statements and one bulk insert however many
    people: no query per person. The plain codes are returned once and never stored."""
    now = timezone.now()
    expires_at = now + timedelta(days=days or settings.LMS_ACTIVATION_CODE_DAYS)
    issued = [IssuedCode(user_id=pk, code=codes.generate(), expires_at=expires_at) for pk in user_ids]
    with transaction.atomic():
        for start in range(0, len(user_ids), BATCH_SIZE):
            ActivationCode.objects.filter(
                user_id__in=user_ids[start : start + BATCH_SIZE], used_at__isnull=True, voided_at__isnull=True
            ).update(voided_at=now)
        ActivationCode.objects.bulk_create(
            [
                ActivationCode(
                    user_id=item.user_id,
                    digest=codes.digest(user_id=item.user_id, code=item.code),
                    created_at=now,
                    created_by=created_by,
                    expires_at=expires_at,
                )
                for item in issued
            ],
            batch_size=BATCH_SIZE,
        )
        if unit is not None and issued:
            audit.log_codes_generated(
                unit=unit, by=created_by, people=len(issued), days=days or settings.LMS_ACTIVATION_CODE_DAYS
            )
    return issued


def activation_complete(*, user, code_id: int, password: str) -> bool:
    """Use code ``code_id`` to give ``user`` their first password. The code is claimed with one
    conditional UPDATE, so two tabs (or two people) racing with the same code activate once; the
    loser changes nothing and gets False."""
    now = timezone.now()
    with transaction.atomic():
        claimed = ActivationCode.objects.usable().filter(pk=code_id, user_id=user.pk).update(used_at=now)
        if not claimed:
            return False
        user.set_password(password)
        if user.activated_at is None:
            user.activated_at = now
        user.save(update_fields=["password", "activated_at"])
        _void_open_codes(user=user, now=now)
        audit.log_account_event(user=user, action=audit.ACTIVATED, method="code")
    return True


def _void_open_codes(*, user, now) -> None:
    ActivationCode.objects.filter(user_id=user.pk, used_at__isnull=True, voided_at__isnull=True).update(voided_at=now)


def activation_by_link_complete(*, user, password: str) -> bool:
    """Give ``user`` their first password through an emailed activation link (the caller checked
    its token). ``activated_at`` is claimed with one conditional UPDATE, so a link opened in two
    tabs activates once; the loser changes nothing and gets False."""
    now = timezone.now()
    with transaction.atomic():
        claimed = (
            type(user)
            ._default_manager.filter(pk=user.pk, is_active=True, activated_at__isnull=True)
            .update(activated_at=now)
        )
        if not claimed:
            return False
        user.activated_at = now
        user.set_password(password)
        user.save(update_fields=["password"])
        _void_open_codes(user=user, now=now)
        audit.log_account_event(user=user, action=audit.ACTIVATED, method="email")
    return True


def password_reset_recorded(*, user) -> None:
    """After Django's reset form saved a new password from an emailed link: the link proved the
    person holds the address, so an account never activated counts as activated from now."""
    now = timezone.now()
    with transaction.atomic():
        if type(user)._default_manager.filter(pk=user.pk, activated_at__isnull=True).update(activated_at=now):
            user.activated_at = now
            _void_open_codes(user=user, now=now)
        audit.log_account_event(user=user, action=audit.PASSWORD_RESET)


def recovery_links_send(*, identity: str, request) -> int:
    """The *Lupa kata sandi* request for ``identity`` (an NIP typed any way, a username or an email):
    each active account it names that has an email gets a link there: a password-reset link when
    the account is activated, an activation link when it is not (and activation by email is on).
    Returns how many were sent, for the tests; the page says the same whatever it is."""
    sent = 0
    for user in selectors.accounts_for_recovery(identity):
        if not throttle.recovery_mail_allowed(f"user:{user.pk}"):
            continue
        if user.activated_at is None:
            if "email" not in settings.LMS_ACTIVATION_METHODS:
                continue
            mail.send_activation_link(user=user, request=request)
        else:
            mail.send_password_reset_link(user=user, request=request)
        sent += 1
    return sent
