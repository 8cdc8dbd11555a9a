"""Writes of the accounts app: handing out activation codes, activating an account (with a code or an
emailed link) and sending the recovery links of the *Lupa kata sandi* page."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
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
            get_user_model()
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
        if get_user_model()._default_manager.filter(pk=user.pk, activated_at__isnull=True).update(activated_at=now):
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


EMAIL_CHANGE_SALT = "accounts.email_change"


def profile_update(*, user, phone: str, language: str) -> None:
    """What a person changes on Profil Saya: their phone (on the ASN profile) and language."""
    with transaction.atomic():
        if user.language != language:
            user.language = language
            user.save(update_fields=["language"])
        profile = getattr(user, "asn_profile", None)
        if profile is not None and profile.phone != phone:
            profile.phone = phone
            profile.save(update_fields=["phone", "updated_at"])


def email_change_request(*, user, new_email: str, request) -> bool:
    """Mail a confirmation link to ``new_email``; nothing changes until it is opened. The link is
    signed and names the address it replaces, so it dies when the email changes another way.
    False when this account has had its hourly share of mails."""
    if not throttle.recovery_mail_allowed(f"email-change:{user.pk}"):
        return False
    token = signing.dumps({"user": user.pk, "old": user.email, "new": new_email}, salt=EMAIL_CHANGE_SALT)
    mail.send_email_change_link(user=user, new_email=new_email, token=token, request=request)
    return True


def email_change_pending(*, user, token: str) -> str | None:
    """The new address ``token`` confirms for ``user``, or None when it is forged, expired, someone
    else's, or the email has changed since it was sent."""
    try:
        payload = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=settings.LMS_ACTIVATION_LINK_HOURS * 3600)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("user") != user.pk or payload.get("old") != user.email:
        return None
    return payload.get("new") or None


def email_change_confirm(*, user, token: str, request) -> bool:
    new_email = email_change_pending(user=user, token=token)
    if new_email is None:
        return False
    old_email = user.email
    with transaction.atomic():
        if not get_user_model()._default_manager.filter(pk=user.pk, email=old_email).update(email=new_email):
            return False
        user.email = new_email
        audit.log_account_event(user=user, action=audit.EMAIL_CHANGED, old=old_email, new=new_email)
    if old_email:
        mail.send_email_changed_notice(user=user, old_email=old_email, request=request)
    return True


def activation_links_send(*, users, unit, by, request) -> int:
    """An office mails activation links to the not-yet-activated of ``unit`` with an email (the caller
    scopes them): one connection for all, one audit entry on the unit."""
    sent = mail.send_activation_links(users=users, request=request)
    audit.log_links_sent(unit=unit, by=by, people=sent)
    return sent
