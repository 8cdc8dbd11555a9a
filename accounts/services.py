"""Writes of the accounts app: handing out activation codes and activating an account with one."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts import codes
from accounts.models import ActivationCode

BATCH_SIZE = 1000


@dataclass(frozen=True)
class IssuedCode:
    user_id: int
    code: str
    expires_at: object


def activation_codes_generate(*, user_ids: list[int], created_by, days: int | None = None) -> list[IssuedCode]:
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
        ActivationCode.objects.filter(user_id=user.pk, used_at__isnull=True, voided_at__isnull=True).update(
            voided_at=now
        )
    return True
