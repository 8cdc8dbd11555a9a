"""Certificates (e-sertifikat / STTPP): templates, per-course rules, numbering and the issued rows.

An issued ``Certificate`` keeps a snapshot of every field it prints, so later edits to the person,
the course or the template never change it, and it outlives the course (no cascade from pages).
"""

import secrets

from django.conf import settings
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

DEFAULT_PATTERN = "{seq:04d}/BPSDM-JBI/{course_code}/{year}"


class Orientation(models.TextChoices):
    LANDSCAPE = "landscape", _("A4 landscape")
    PORTRAIT = "portrait", _("A4 portrait")


class SequenceScope(models.TextChoices):
    COURSE_YEAR = "course_year", _("per course and year")
    INSTITUTION_YEAR = "institution_year", _("per institution and year")


class CertificateTemplate(models.Model):
    """How certificates look and who signs them; one is the default for courses without a rule."""

    name = models.CharField(_("name"), max_length=120)
    is_default = models.BooleanField(
        _("default template"), default=False, help_text=_("Used by every course that has no certificate rule.")
    )
    orientation = models.CharField(
        _("orientation"), max_length=10, choices=Orientation.choices, default=Orientation.LANDSCAPE
    )
    institution = models.CharField(
        _("institution"), max_length=200, default="Badan Pengembangan Sumber Daya Manusia Provinsi Jambi"
    )
    city = models.CharField(_("city of issue"), max_length=80, default="Jambi")
    signer_name = models.CharField(_("signing official: name"), max_length=200)
    signer_position = models.CharField(_("signing official: position"), max_length=200)
    signer_nip = models.CharField(_("signing official: NIP"), max_length=18, blank=True)
    number_pattern = models.CharField(
        _("number pattern"),
        max_length=120,
        default=DEFAULT_PATTERN,
        help_text=_(
            "Placeholders: {seq} (e.g. {seq:04d}), {year}, {course_code}. "
            "Example: {seq:04d}/BPSDM-JBI/{course_code}/{year}"
        ),
    )
    sequence_scope = models.CharField(
        _("numbering"), max_length=20, choices=SequenceScope.choices, default=SequenceScope.COURSE_YEAR
    )
    background = models.FileField(
        _("background"),
        upload_to="certificates/backgrounds/",
        blank=True,
        validators=[FileExtensionValidator(["pdf", "png", "jpg", "jpeg"])],
        help_text=_("Optional: a designer's A4 page (PDF, PNG or JPEG) the text is printed over."),
    )
    outline_page = models.BooleanField(
        _("second page with the course outline"), default=True, help_text=_("Modules and their JP, as many STTPP have.")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=models.Q(is_default=True), name="certificates_one_default_template"
            )
        ]

    def __str__(self):
        return self.name


class CourseCertificateRule(models.Model):
    """What a course asks before it issues a certificate, and how it prints (courses without a rule
    use the default template and issue on completion)."""

    course = models.OneToOneField(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="certificate_rule", verbose_name=_("course")
    )
    issue = models.BooleanField(_("issue certificates"), default=True)
    template = models.ForeignKey(
        CertificateTemplate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("template"),
        help_text=_("Empty: the default template."),
    )
    course_code = models.CharField(
        _("course code"), max_length=20, blank=True, help_text=_("For the number, e.g. TEK-07. Empty: the course id.")
    )
    min_posttest_grade = models.DecimalField(
        _("minimum post-test grade"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Empty: completion alone is enough."),
    )
    require_evaluation = models.BooleanField(
        _("require the course evaluation"),
        default=False,
        help_text=_("Takes effect once course evaluations exist (a later release); until then it is ignored."),
    )

    class Meta:
        verbose_name = _("certificate rule")
        verbose_name_plural = _("certificate rules")

    def __str__(self):
        return str(self.course)


class CertificateSequence(models.Model):
    """The last number given in one numbering scope and year: locked while a number is taken, so numbers
    have no gaps and no duplicates however many completions arrive at once."""

    scope_key = models.CharField(max_length=80)
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope_key", "year"], name="certificates_sequence_unique")]


class CertificateStatus(models.TextChoices):
    VALID = "valid", pgettext_lazy("certificate status", "Valid")
    SUPERSEDED = "superseded", pgettext_lazy("certificate status", "Superseded")
    REVOKED = "revoked", pgettext_lazy("certificate status", "Revoked")


class SignatureState(models.TextChoices):
    GENERATED = "generated", _("Generated (verifiable online, not electronically signed)")
    SIGNED = "signed", _("Signed electronically (TTE)")


def new_verification_code() -> str:
    return secrets.token_urlsafe(18)  # 144 bits: not guessable, unrelated to the number


class Certificate(models.Model):
    """One certificate of one completion. Never deleted; superseded by a corrected one or revoked."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("holder")
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("course"),
    )
    course_ref = models.PositiveBigIntegerField(_("course id"))
    enrolment_ref = models.PositiveBigIntegerField(_("enrolment id"))
    completed_at = models.DateTimeField(_("completed at"))
    number = models.CharField(_("certificate number"), max_length=120, unique=True)
    verification_code = models.CharField(max_length=32, unique=True, default=new_verification_code, editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=CertificateStatus.choices, default=CertificateStatus.VALID
    )
    signature_state = models.CharField(
        _("signature"), max_length=12, choices=SignatureState.choices, default=SignatureState.GENERATED
    )
    # The signed PDF from the agency's TTE service replaces the generated one (docs/certificates.md).
    signed_pdf = models.FileField(_("signed PDF"), upload_to="certificates/signed/", blank=True)
    snapshot = models.JSONField(_("printed fields"))
    issued_at = models.DateTimeField(_("issued at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoke_reason = models.CharField(_("reason for revoking"), max_length=255, blank=True)
    superseded_by = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supersedes",
        verbose_name=_("replaced by"),
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at"]
        constraints = [
            # One valid certificate per completion; corrections supersede, they do not add.
            models.UniqueConstraint(
                fields=["enrolment_ref", "completed_at"],
                condition=models.Q(status="valid"),
                name="certificates_one_valid_per_completion",
            )
        ]
        indexes = [models.Index(fields=["user", "status"], name="certificates_user_status")]

    def __str__(self):
        return self.number

    @property
    def is_valid(self) -> bool:
        return self.status == CertificateStatus.VALID

    @property
    def holder(self) -> str:
        return self.snapshot.get("name", "")

    @property
    def training(self) -> str:
        return self.snapshot.get("course_title", "")
