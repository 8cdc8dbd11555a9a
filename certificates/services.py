"""Writes of the certificates app: issuing on completion (snapshot and number), revoking, re-issuing."""

import hashlib
import logging
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from wagtail.log_actions import log

from certificates import predicates, snapshot
from certificates.models import (
    Certificate,
    CertificateSequence,
    CertificateStatus,
    CertificateTemplate,
    CourseCertificateRule,
    SequenceScope,
)

logger = logging.getLogger(__name__)

ISSUED = "certificates.certificate.issue"
REVOKED = "certificates.certificate.revoke"
REISSUED = "certificates.certificate.reissue"


def rule_and_template(course) -> tuple[CourseCertificateRule | None, CertificateTemplate | None]:
    rule = CourseCertificateRule.objects.filter(course_id=course.pk).select_related("template").first()
    if rule is not None and rule.template is not None:
        return rule, rule.template
    return rule, CertificateTemplate.objects.filter(is_default=True).first()


def course_code(*, course, rule) -> str:
    return (rule.course_code if rule and rule.course_code else "") or str(course.pk)


def number_allocate(*, template: CertificateTemplate, course, rule, year: int) -> str:
    """The next number in the template's scope and ``year``. Call inside the transaction that stores
    the certificate: the counter row stays locked until it commits (no two certificates get a number
    at once in one scope), and a rollback gives the number back, so there are no gaps."""
    if template.sequence_scope == SequenceScope.COURSE_YEAR:
        scope_key = f"course:{course.pk}"
    else:
        scope_key = "institution:" + hashlib.sha256(template.institution.strip().lower().encode()).hexdigest()[:32]
    CertificateSequence.objects.bulk_create(
        [CertificateSequence(scope_key=scope_key, year=year)], ignore_conflicts=True
    )
    sequence = CertificateSequence.objects.select_for_update().get(scope_key=scope_key, year=year)
    sequence.last_value += 1
    sequence.save(update_fields=["last_value"])
    return template.number_pattern.format(
        seq=sequence.last_value, year=year, course_code=course_code(course=course, rule=rule)
    )


def certificate_issue(*, enrolment, course) -> Certificate | None:
    """The certificate of ``enrolment``'s completion of ``course``: issued once (a second call, or a
    race, returns the same row), or None when the course's rule withholds it."""
    if enrolment.completed_at is None:
        return None
    existing = Certificate.objects.filter(
        enrolment_ref=enrolment.pk, completed_at=enrolment.completed_at, status=CertificateStatus.VALID
    ).first()
    if existing is not None:
        return existing
    rule, template = rule_and_template(course)
    if template is None or (rule is not None and not rule.issue):
        return None
    grade = predicates.posttest_grade(user_id=enrolment.user_id, course_id=course.pk)
    if not predicates.eligible(rule=rule, grade=grade, enrolment=enrolment):
        return None
    try:
        with transaction.atomic():
            certificate = _create(enrolment=enrolment, course=course, rule=rule, template=template, grade=grade)
    except IntegrityError:
        # Another request issued it a moment ago (the unique valid-per-completion constraint).
        return Certificate.objects.get(
            enrolment_ref=enrolment.pk, completed_at=enrolment.completed_at, status=CertificateStatus.VALID
        )
    return certificate


def _create(*, enrolment, course, rule, template, grade: Decimal | None, replaces: Certificate | None = None, by=None):
    now = timezone.now()
    year = timezone.localtime(enrolment.completed_at).year
    number = number_allocate(template=template, course=course, rule=rule, year=year)
    with translation.override("id"):  # a certificate is an Indonesian document
        printed = snapshot.build(
            enrolment=enrolment, course=course, template=template, grade=grade, number=number, issued_at=now
        )
    certificate = Certificate.objects.create(
        user_id=enrolment.user_id,
        course=course,
        course_ref=course.pk,
        enrolment_ref=enrolment.pk,
        completed_at=enrolment.completed_at,
        number=number,
        snapshot=printed,
        issued_at=now,
    )
    if replaces is not None:
        log(instance=replaces, action=REISSUED, user=by, data={"by_number": number})
    log(instance=certificate, action=ISSUED, user=by, data={"number": number})
    return certificate


def certificate_revoke(*, certificate: Certificate, reason: str, by) -> Certificate:
    """Withdraw a certificate: the verification page says *dicabut* with the date; nothing is deleted."""
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.status == CertificateStatus.VALID:
            certificate.status = CertificateStatus.REVOKED
            certificate.revoked_at = timezone.now()
            certificate.revoke_reason = reason[:255]
            certificate.save(update_fields=["status", "revoked_at", "revoke_reason"])
            log(instance=certificate, action=REVOKED, user=by, data={"reason": certificate.revoke_reason})
    return certificate


def certificate_reissue(*, certificate: Certificate, by) -> Certificate:
    """After a correction (a name, a rank): a new certificate with today's data and a new number; the
    old one is marked superseded and its verification page points to nothing else."""
    from courses.models import CoursePage, Enrolment

    with transaction.atomic():
        old = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if old.status != CertificateStatus.VALID:
            raise ValueError("only a valid certificate can be re-issued")
        course = CoursePage.objects.get(pk=old.course_ref)
        enrolment = Enrolment.objects.get(pk=old.enrolment_ref)
        enrolment.completed_at = old.completed_at  # the same completion, even if reopened since
        rule, template = rule_and_template(course)
        old.status = CertificateStatus.SUPERSEDED
        old.save(update_fields=["status"])
        grade = predicates.posttest_grade(user_id=old.user_id, course_id=course.pk)
        new = _create(
            enrolment=enrolment, course=course, rule=rule, template=template, grade=grade, replaces=old, by=by
        )
        old.superseded_by = new
        old.save(update_fields=["superseded_by"])
    return new


def certificates_issue_missing() -> int:
    """Issue the certificates of completions that have none (a default template created after them,
    a fault after the completion committed). Idempotent; returns how many were issued."""
    from courses.models import CoursePage, Enrolment, EnrolmentStatus

    issued = 0
    done = set(Certificate.objects.filter(status=CertificateStatus.VALID).values_list("enrolment_ref", "completed_at"))
    enrolments = Enrolment.objects.filter(status=EnrolmentStatus.ACTIVE, completed_at__isnull=False)
    courses = {course.pk: course for course in CoursePage.objects.filter(pk__in=enrolments.values("course_id"))}
    for enrolment in enrolments.iterator():
        course = courses.get(enrolment.course_id)
        if course is None or (enrolment.pk, enrolment.completed_at) in done:
            continue
        if certificate_issue(enrolment=enrolment, course=course) is not None:
            issued += 1
    return issued
