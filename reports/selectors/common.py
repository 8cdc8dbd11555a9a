"""Shared pieces of the report queries: years and the 20 JP rule, the scope and unit filters."""

from __future__ import annotations

import datetime
import math

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import CoursePage, Enrolment, EnrolmentStatus
from courses.selectors import current_year
from people.models import ASNProfile, UnitKerja
from reports.scoping import Scope

# --- years and the 20 JP rule -------------------------------------------------------------------


def year_choices() -> list[int]:
    this_year = current_year()
    return list(range(this_year, this_year - 5, -1))


def wib_midnight(day: datetime.date) -> datetime.datetime:
    """The start of ``day`` in WIB (the project's ``TIME_ZONE``), whatever time zone is active."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_default_timezone())


def year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """1 January of ``year`` and of the next year, midnight WIB: the year rule of the JP ledger."""
    return wib_midnight(datetime.date(year, 1, 1)), wib_midnight(datetime.date(year + 1, 1, 1))


def jp_target() -> int:
    return settings.LMS_ANNUAL_JP_TARGET


def jp_close_from() -> int:
    """JP from which someone counts as "close" to the target (default 75 % of it, rounded up)."""
    return math.ceil(jp_target() * settings.LMS_JP_CLOSE_PERCENT / 100)


class JPBand:
    REACHED = "reached"
    CLOSE = "close"
    BELOW = "below"
    ZERO = "zero"
    NOT_REACHED = "not_reached"

    @staticmethod
    def of(jp: int) -> str:
        if jp >= jp_target():
            return JPBand.REACHED
        if jp >= jp_close_from():
            return JPBand.CLOSE
        if jp > 0:
            return JPBand.BELOW
        return JPBand.ZERO

    @staticmethod
    def labels() -> dict[str, str]:
        return {
            JPBand.REACHED: _("Target reached"),
            JPBand.CLOSE: _("Close to the target"),
            JPBand.BELOW: _("Below the target"),
            JPBand.ZERO: _("0 JP"),
            JPBand.NOT_REACHED: _("Target not yet reached"),
        }


def jp_band_filter(band: str, field_name: str = "jp") -> Q:
    target, close_from = jp_target(), jp_close_from()
    return {
        JPBand.REACHED: Q(**{f"{field_name}__gte": target}),
        JPBand.CLOSE: Q(**{f"{field_name}__gte": close_from, f"{field_name}__lt": target}),
        JPBand.BELOW: Q(**{f"{field_name}__gt": 0, f"{field_name}__lt": close_from}),
        JPBand.ZERO: Q(**{field_name: 0}),
        JPBand.NOT_REACHED: Q(**{f"{field_name}__lt": target}),
    }.get(band, Q())


# --- account activation ---------------------------------------------------------------------------


class Activation:
    """Whether a person has activated their account (``User.activated_at``, set once) and signs in
    (``User.last_login``): the people a unit still has to chase. The words are the people admin's."""

    NOT_ACTIVATED = "not_activated"
    ACTIVATED = "activated"
    IDLE = "idle"
    IDLE_DAYS = 30  # activated, but no sign-in for this long (or never): gone quiet

    @staticmethod
    def labels() -> dict[str, str]:
        return {
            Activation.NOT_ACTIVATED: _("Not activated"),
            Activation.ACTIVATED: _("Activated"),
            Activation.IDLE: _("Activated, no sign-in for %(days)s days") % {"days": Activation.IDLE_DAYS},
        }

    @staticmethod
    def filter(choice: str, user_field: str = "user") -> Q:
        """The people (rows with a ``user`` relation) in ``choice``; every row for an unknown one."""
        activated_at, last_login = f"{user_field}__activated_at", f"{user_field}__last_login"
        if choice == Activation.NOT_ACTIVATED:
            return Q(**{f"{activated_at}__isnull": True})
        if choice == Activation.ACTIVATED:
            return Q(**{f"{activated_at}__isnull": False})
        if choice == Activation.IDLE:
            since = timezone.now() - datetime.timedelta(days=Activation.IDLE_DAYS)
            quiet = Q(**{f"{last_login}__isnull": True}) | Q(**{f"{last_login}__lt": since})
            return Q(**{f"{activated_at}__isnull": False}) & quiet
        return Q()


# --- shared filters -----------------------------------------------------------------------------


def people(*, scope: Scope, unit: UnitKerja | None = None) -> QuerySet[ASNProfile]:
    rows = ASNProfile.objects.filter(scope.people())
    if unit is not None:
        rows = rows.filter(unit__path__startswith=unit.path)
    return rows


def not_activated_count(*, scope: Scope, unit: UnitKerja | None = None) -> int:
    """How many ASN in scope (and ``unit``) have not activated their account: one ``COUNT``, live
    (activation is a fact of today, not of a year's precomputed summary)."""
    return people(scope=scope, unit=unit).filter(Activation.filter(Activation.NOT_ACTIVATED)).count()


def in_unit(unit: UnitKerja | None, *, user_field: str = "user_id") -> Q:
    """Rows of the ASN in ``unit`` and below (all ASN without a unit): a semi-join on the profiles."""
    profiles = ASNProfile.objects.all()
    if unit is not None:
        profiles = profiles.filter(unit__path__startswith=unit.path)
    return Q(**{f"{user_field}__in": profiles.values("user_id")})


def _in_scope_joined(rows: QuerySet, *, scope: Scope, unit: UnitKerja | None) -> QuerySet:
    """Rows (with ``user`` and ``course_id``) joined to the learner's profile and unit, the scope and
    ``unit`` applied on the joined unit: for listings that show the person anyway."""
    rows = rows.filter(
        scope.rows_by_unit(unit_field="user__asn_profile__unit", course_field="course_id"),
        user__asn_profile__unit__isnull=False,
    )
    if unit is not None:
        rows = rows.filter(user__asn_profile__unit__path__startswith=unit.path)
    return rows


def in_scope(rows: QuerySet, *, scope: Scope, unit: UnitKerja | None, joined: bool, asn_only: bool = True) -> QuerySet:
    """Rows (with ``user_id`` and ``course_id``) of the scope and ``unit``: joined to the profile and
    unit (``_in_scope_joined``), or by semi-joins, leaving out the check that the learner has an ASN
    profile when ``asn_only`` is false and no unit is asked for."""
    if joined:
        return _in_scope_joined(rows, scope=scope, unit=unit)
    rows = rows.filter(scope.rows(course_field="course_id"))
    if asn_only or unit is not None:
        rows = rows.filter(in_unit(unit))
    return rows


def enrolments(
    *,
    scope: Scope,
    unit: UnitKerja | None = None,
    year: int | None = None,
    course=None,
    category=None,
    status: str = "",
    asn_only: bool = True,
    joined: bool = False,
) -> QuerySet[Enrolment]:
    """Active enrolments of ASN in scope in courses that still exist. With ``year``: those active in
    that year (enrolled before it ended, not completed before it began). ``asn_only=False`` leaves
    out the check that the learner has an ASN profile, for callers that join the profiles anyway.

    ``joined=True`` joins every row to its profile and unit (an inner join) and applies the scope and
    the unit there, instead of semi-joins: for listings that show the person anyway, so that the
    database can walk the people in name order and stop after one page."""
    rows = Enrolment.objects.filter(status=EnrolmentStatus.ACTIVE, course__isnull=False)
    rows = in_scope(rows, scope=scope, unit=unit, joined=joined, asn_only=asn_only)
    if year is not None:
        start, end = year_bounds(year)
        rows = rows.filter(Q(enrolled_at__lt=end) | Q(enrolled_at__isnull=True)).filter(
            Q(completed_at__isnull=True) | Q(completed_at__gte=start)
        )
    if course is not None:
        rows = rows.filter(course_id=course.pk)
    if category is not None:
        rows = rows.filter(course__category=category)
    if status:
        rows = rows.filter(progress_status=status)
    return rows


def person_columns() -> dict:
    return {
        "full_name": F("user__asn_profile__full_name"),
        "nip": F("user__asn_profile__nip"),
        "unit_name": F("user__asn_profile__unit__name"),
        "unit_path": F("user__asn_profile__unit__path"),
    }


def summary_rows(
    model, *, scope: Scope, unit: UnitKerja | None = None, course=None, category=None, **filters
) -> QuerySet:
    """Precomputed rows of ``model`` (one unit's people in one course) for the scope and these filters."""
    rows = model.objects.filter(scope.rows_by_unit(unit_field="unit", course_field="course_id"), **filters)
    if unit is not None:
        rows = rows.filter(unit__path__startswith=unit.path)
    if course is not None:
        rows = rows.filter(course_id=course.pk)
    if category is not None:
        rows = rows.filter(course_id__in=CoursePage.objects.filter(category=category).values("pk"))
    return rows
