"""Reads of the certificates app."""

from certificates.models import Certificate, CertificateStatus


def certificates_of(*, user):
    """The learner's certificates, newest first (superseded and revoked ones too, labelled)."""
    return Certificate.objects.filter(user_id=user.pk).order_by("-issued_at")


def valid_certificate_for(*, user_id: int, course_id: int) -> Certificate | None:
    return (
        Certificate.objects.filter(user_id=user_id, course_ref=course_id, status=CertificateStatus.VALID)
        .order_by("-issued_at")
        .first()
    )


def numbers_by_person_and_course(*, pairs) -> dict[tuple[int, int], str]:
    """``{(user id, course id): number}`` of the valid certificates for ``pairs``: one query (the SIASN export)."""
    pairs = set(pairs)
    if not pairs:
        return {}
    rows = Certificate.objects.filter(
        status=CertificateStatus.VALID,
        user_id__in={user_id for user_id, _course in pairs},
        course_ref__in={course_id for _user, course_id in pairs},
    ).values_list("user_id", "course_ref", "number")
    return {(user_id, course_id): number for user_id, course_id, number in rows if (user_id, course_id) in pairs}


def masked_nip(nip: str) -> str:
    """``19860926 ****** * 001``: enough to tell two people apart, not enough to use the NIP."""
    if len(nip) != 18:
        return "*" * len(nip)
    return f"{nip[:8]} ****** * {nip[15:]}"
