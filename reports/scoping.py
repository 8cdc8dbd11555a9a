"""Who may see whose data in reports: one ``Scope`` per user, used by every report, export and chart.

- Admin BPSDM (permission ``people.view_all_reports``, and superusers): everyone.
- A supervisor (``people.view_unit_reports``): the people in the units on their profile's
  ``supervised_units`` and every unit below them (a ``path LIKE 'prefix%'`` per unit).
- A trainer (``people.view_course_reports``): the learners of the courses that name them as trainer,
  and of those learners only what happened in those courses.

Someone who is both supervisor and trainer sees the union. Views turn "not in scope" into 404, so a
guessed id never shows someone else's data.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

ALL_REPORTS = "people.view_all_reports"
UNIT_REPORTS = "people.view_unit_reports"
COURSE_REPORTS = "people.view_course_reports"


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    unit_paths: tuple[str, ...] = ()
    course_ids: tuple[int, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.everything or self.unit_paths or self.course_ids)

    def _units(self, unit_field: str) -> Q:
        condition = Q(pk__in=[])
        for path in self.unit_paths:
            condition |= Q(**{f"{unit_field}__path__startswith": path})
        return condition

    def _learners_of_courses(self, user_field: str) -> Q:
        from courses.models import Enrolment

        return Q(**{f"{user_field}__in": Enrolment.objects.filter(course_id__in=self.course_ids).values("user_id")})

    def people(self, *, unit_field: str = "unit", user_field: str = "user_id") -> Q:
        """A filter on rows that stand for a person (``ASNProfile`` by default)."""
        if self.everything:
            return Q()
        condition = self._units(unit_field)
        if self.course_ids:
            condition |= self._learners_of_courses(user_field)
        return condition

    def rows(self, *, course_field: str | None, user_field: str = "user_id") -> Q:
        """A filter on learner data (enrolments, JP credits, quiz results…): the rows of people in the
        supervised units, and the rows of the trainer's courses. ``course_field`` names the row's
        course id (``None``: the row has no course, so a trainer sees none).

        People are matched with ``user_id IN (people of these units)``, a semi-join the database
        runs once, rather than joining every row to its profile and unit."""
        if self.everything:
            return Q()
        condition = Q(pk__in=[])
        if self.unit_paths:
            from people.models import ASNProfile

            people = ASNProfile.objects.filter(self._units("unit")).values("user_id")
            condition |= Q(**{f"{user_field}__in": people})
        if self.course_ids and course_field is not None:
            condition |= Q(**{f"{course_field}__in": self.course_ids})
        return condition

    def rows_by_unit(self, *, unit_field: str, course_field: str | None = "course_id") -> Q:
        """A filter on rows that carry the person's work unit: a precomputed summary row, or a learner
        row joined to its profile (``unit_field="user__asn_profile__unit"``, with the profile required
        separately). The units' subtrees, or with ``course_field`` the trainer's courses. Unlike
        ``rows`` there is no semi-join, so the database can read people in the order of the join."""
        if self.everything:
            return Q()
        condition = self._units(unit_field)
        if self.course_ids and course_field is not None:
            condition |= Q(**{f"{course_field}__in": self.course_ids})
        return condition

    def units(self) -> Q:
        """A filter on ``UnitKerja``: the units a supervisor may pick in a filter (all for the rest)."""
        if self.everything or not self.unit_paths:
            return Q()
        condition = Q(pk__in=[])
        for path in self.unit_paths:
            condition |= Q(path__startswith=path)
        return condition

    def courses(self) -> Q:
        """A filter on ``CoursePage``: every course, or the trainer's own (supervisors see all courses
        their people take, so they get every course too)."""
        if self.everything or self.unit_paths:
            return Q()
        return Q(pk__in=self.course_ids)


def scope_for(user) -> Scope:
    """The reporting scope of ``user``. Two queries at most (supervised units, taught courses)."""
    if not user.is_authenticated or not user.is_active:
        return Scope()
    if user.is_superuser or user.has_perm(ALL_REPORTS):
        return Scope(everything=True)
    unit_paths: tuple[str, ...] = ()
    course_ids: tuple[int, ...] = ()
    if user.has_perm(UNIT_REPORTS):
        from people.models import UnitKerja

        paths = sorted(UnitKerja.objects.filter(supervisors__user=user).values_list("path", flat=True).distinct())
        # A unit below another supervised unit adds nothing.
        unit_paths = tuple(path for path in paths if not any(path != p and path.startswith(p) for p in paths))
    if user.has_perm(COURSE_REPORTS):
        from courses.models import CoursePage

        course_ids = tuple(CoursePage.objects.filter(trainers=user).order_by("pk").values_list("pk", flat=True))
    return Scope(unit_paths=unit_paths, course_ids=course_ids)


def may_view_reports(user) -> bool:
    """Whether to show the Laporan menu at all (no query: permissions are cached on the user)."""
    return user.is_authenticated and (
        user.is_superuser or any(user.has_perm(code) for code in (ALL_REPORTS, UNIT_REPORTS, COURSE_REPORTS))
    )
