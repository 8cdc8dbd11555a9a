"""People: users, ASN profiles and the tree of work units (UnitKerja)."""

from collections import Counter

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from lms.tree import NamedTreeNode
from people import nip as nip_rules
from people.ranks import (
    GOLONGAN_CHOICES,
    PANGKAT_BY_GOLONGAN,
    PPPK_GRADE_CHOICES,
    EmploymentType,
    Gender,
    JabatanType,
)


class User(AbstractUser):
    """The sign-in account. ASN details live on ``ASNProfile``; staff may have no profile."""

    # Set once, when the person first chose their own password (activation, see accounts/) or first
    # signed in through single sign-on. Reports list who has not, so a unit can chase them.
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True, db_index=True)
    # The language the person chose on Profil Saya: pages follow it from their next sign-in on any
    # device (a cookie set then), and the emails sent to them are written in it. Empty: the default.
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def display_name(self) -> str:
        profile = getattr(self, "asn_profile", None)
        if profile is not None:
            return profile.full_name
        return self.get_full_name() or self.username


class UnitKind(models.TextChoices):
    INSTANSI = "instansi", _("Agency (instansi)")
    OPD = "opd", _("Regional apparatus (OPD)")
    BIDANG = "bidang", _("Division (bidang/bagian)")
    SUBUNIT = "subunit", _("Sub-unit")


class UnitKerja(NamedTreeNode):
    """A work unit. Units nest to any depth: instansi → OPD → bidang/bagian → sub-unit.

    A materialised path (treebeard, which Wagtail already uses for pages) makes "this unit and
    everything below it" a single ``path LIKE 'prefix%'`` query on an indexed column, and reads
    never walk the tree; writes (rare: reorganisations) pay for moving paths instead.
    """

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices, default=UnitKind.OPD)

    class Meta(NamedTreeNode.Meta):
        verbose_name = _("work unit")
        verbose_name_plural = _("work units")

    # Eleven kabupaten/kota each have a "BKPSDM": a unit is shown with the units above it, nearest
    # first, so that "BKPSDM — Kab. Bungo" and "BKPSDM — Kab. Tebo" can be told apart.
    LABEL_SEPARATOR = " — "

    @property
    def label(self) -> str:
        """This unit's name and the names of every unit above it (one query for the ancestors)."""
        return self.labels([self], full=True)[self.path]

    @classmethod
    def labels(cls, units, *, full: bool = False) -> dict[str, str]:
        """``{path: label}`` for ``units`` (instances or ``(path, name)`` pairs), with one query for
        their ancestors whatever their number, none when the ancestors are among ``units`` or (not
        ``full``) when no two units share a name.

        ``full``: every unit above. Otherwise as few as tell the units apart: a name that is unique
        among ``units`` stays as it is, and units sharing a name get one more unit above at a time
        until they differ ("BKPSDM — Kab. Bungo", "BKPSDM — Kab. Tebo")."""
        names: dict[str, str] = {}
        for unit in units:
            path, name = (unit.path, unit.name) if isinstance(unit, cls) else unit
            names[path] = name
        shown = list(names)
        step = cls.steplen
        if not full and len(set(names.values())) == len(shown):
            return names  # every name is unique: nothing above is needed, no query
        wanted = {path[:end] for path in shown for end in range(step, len(path), step)} - names.keys()
        if wanted:
            names.update(cls.objects.filter(path__in=wanted).values_list("path", "name"))
        chains = {path: [names.get(path[:end], "") for end in range(len(path), 0, -step)] for path in shown}
        levels = {path: len(chain) if full else 1 for path, chain in chains.items()}
        while True:
            labels = {
                path: cls.LABEL_SEPARATOR.join(filter(None, chain[: levels[path]])) for path, chain in chains.items()
            }
            counts = Counter(labels.values())
            longer = [path for path in shown if counts[labels[path]] > 1 and levels[path] < len(chains[path])]
            if not longer:
                return labels
            for path in longer:
                levels[path] += 1


class ASNProfile(models.Model):
    """One ASN (PNS or PPPK): identity, rank, position and place in the organisation."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="asn_profile", verbose_name=_("user"))
    employment_type = models.CharField(
        _("employment type"), max_length=4, choices=EmploymentType.choices, default=EmploymentType.PNS
    )
    nip = models.CharField(
        _("NIP / NI PPPK"),
        max_length=18,
        unique=True,
        help_text=_("18 digits. Spaces, dots and dashes are removed automatically."),
    )
    full_name = models.CharField(
        _("full name with academic titles"), max_length=200, help_text=_("For example: Dr. Siti Rahma, S.E., M.Si.")
    )
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_place = models.CharField(_("place of birth"), max_length=100, blank=True)
    birth_date = models.DateField(_("date of birth"))
    golongan = models.CharField(
        _("golongan/ruang"), max_length=5, choices=GOLONGAN_CHOICES, blank=True, help_text=_("PNS only.")
    )
    pppk_grade = models.CharField(
        _("PPPK grade"), max_length=5, choices=PPPK_GRADE_CHOICES, blank=True, help_text=_("PPPK only.")
    )
    jabatan_type = models.CharField(_("position type"), max_length=20, choices=JabatanType.choices)
    jabatan_name = models.CharField(_("position (jabatan)"), max_length=200)
    unit = models.ForeignKey(UnitKerja, on_delete=models.PROTECT, related_name="members", verbose_name=_("work unit"))
    supervisor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="direct_reports",
        verbose_name=_("direct supervisor (atasan langsung)"),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    supervised_units = models.ManyToManyField(
        UnitKerja,
        blank=True,
        related_name="supervisors",
        verbose_name=_("supervised units"),
        help_text=_("Reports cover these units and every unit below them."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("ASN profile")
        verbose_name_plural = _("ASN profiles")
        ordering = ["full_name"]
        # Listings in name order (reports.selectors.course_participants) read the first page from it.
        indexes = [models.Index(fields=["full_name"], name="people_profile_full_name")]
        permissions = [
            ("view_unit_reports", _("Can view reports for supervised units")),
            ("view_all_reports", _("Can view reports for the whole province")),
            ("view_course_reports", _("Can view reports on the learners of own courses")),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.nip})"

    @property
    def pangkat(self) -> str:
        return PANGKAT_BY_GOLONGAN.get(self.golongan, "")

    @property
    def rank_display(self) -> str:
        """``Penata Muda, III/a`` for PNS, ``Grade IX`` for PPPK."""
        if self.employment_type == EmploymentType.PNS and self.golongan:
            return f"{self.pangkat}, {self.golongan}"
        if self.pppk_grade:
            return _("Grade %(grade)s") % {"grade": self.pppk_grade}
        return ""

    @property
    def nip_formatted(self) -> str:
        return nip_rules.format_nip(self.nip)

    def clean(self):
        super().clean()
        errors: dict[str, list] = {}
        self.nip = nip_rules.normalise(self.nip)
        try:
            number = nip_rules.parse_identity(self.nip, employment_type=self.employment_type)
        except ValidationError as exc:
            errors["nip"] = exc.messages
        else:
            mismatches = nip_rules.cross_check(number, birth_date=self.birth_date, gender=self.gender or None)
            if mismatches:
                errors["nip"] = mismatches
        if self.employment_type == EmploymentType.PNS:
            if not self.golongan:
                errors["golongan"] = [_("A PNS needs a golongan/ruang.")]
            if self.pppk_grade:
                errors["pppk_grade"] = [_("A PNS has no PPPK grade.")]
        else:
            if not self.pppk_grade:
                errors["pppk_grade"] = [_("A PPPK needs a grade.")]
            if self.golongan:
                errors["golongan"] = [_("A PPPK has no golongan/ruang.")]
        if self.supervisor_id and self.pk and self.supervisor_id == self.pk:
            errors["supervisor"] = [_("A person cannot be their own direct supervisor.")]
        if errors:
            raise ValidationError(errors)
