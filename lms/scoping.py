"""Who may see and change whose data on every staff screen: one ``Scope`` per user.

- Admin BPSDM (permission ``people.view_all_reports``, and superusers): everyone and every course.
- A supervisor (``people.view_unit_reports``): the people in the units on their profile's
  ``supervised_units`` and every unit below them (a ``path LIKE 'prefix%'`` per unit). Supervisors
  look; they change nothing.
- A trainer (``people.view_course_reports``, which the Pengajar role carries): the courses that name
  them as trainer (``CoursePage.trainers``), every page below those courses, and of the learners of
  those courses only what happened in those courses.

Someone who is both supervisor and trainer sees the union. Every staff screen (reports, exports,
quiz results and grading, enrolments, JP ledger, H5P results, ASN profiles, choosers) filters with
this object, every staff action asks it, and the Wagtail page tree follows it too
(``courses.permissions.CoursePagePermissionPolicy``). Views turn "not in scope" into 404, so a
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
    # Tree paths of the courses in ``course_ids``: pages at or below them belong to those courses.
    course_paths: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.everything or self.unit_paths or self.course_ids)

    # --- courses and their pages -------------------------------------------------------------------

    def manages_course(self, course_id: int | None) -> bool:
        """Whether the course's data may be changed (grading, overrides, enrolments): Admin BPSDM, or
        a trainer of the course. A row whose course is gone (``None``) only Admin BPSDM."""
        if self.everything:
            return True
        return course_id is not None and course_id in self.course_ids

    def manages_page(self, page) -> bool:
        """``manages_course`` for a page anywhere in a course (a quiz, a lesson): by its tree path."""
        if self.everything:
            return True
        return any(page.path.startswith(path) for path in self.course_paths)

    def pages(self, *, path_field: str = "path") -> Q:
        """A filter on pages (``QuizPage``…): those at or below the trainer's courses (all for admins)."""
        if self.everything:
            return Q()
        condition = Q(pk__in=[])
        for path in self.course_paths:
            condition |= Q(**{f"{path_field}__startswith": path})
        return condition

    def courses(self) -> Q:
        """A filter on ``CoursePage``: every course, or the trainer's own (supervisors see all courses
        their people take, so they get every course too)."""
        if self.everything or self.unit_paths:
            return Q()
        return Q(pk__in=self.course_ids)

    def managed_courses(self) -> Q:
        """A filter on ``CoursePage``: the courses whose data this person may change."""
        if self.everything:
            return Q()
        return Q(pk__in=self.course_ids)

    # --- people and learner rows ------------------------------------------------------------------

    def _units(self, unit_field: str) -> Q:
        condition = Q(pk__in=[])
        for path in self.unit_paths:
            condition |= Q(**{f"{unit_field}__path__startswith": path})
        return condition

    def learners_of_courses(self, user_field: str = "user_id") -> Q:
        """Rows of people enrolled (in any state) in the trainer's courses: a semi-join."""
        from courses.models import Enrolment

        if not self.course_ids:
            return Q(pk__in=[])
        return Q(**{f"{user_field}__in": Enrolment.objects.filter(course_id__in=self.course_ids).values("user_id")})

    def people(self, *, unit_field: str = "unit", user_field: str = "user_id") -> Q:
        """A filter on rows that stand for a person (``ASNProfile`` by default; on ``User`` pass
        ``unit_field="asn_profile__unit", user_field="pk"``)."""
        if self.everything:
            return Q()
        condition = self._units(unit_field)
        if self.course_ids:
            condition |= self.learners_of_courses(user_field)
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

    def covers_unit_path(self, path: str | None) -> bool:
        return self.everything or (path is not None and any(path.startswith(p) for p in self.unit_paths))


def scope_for(user) -> Scope:
    """The scope of ``user``. Two queries at most (supervised units, taught courses)."""
    if not user.is_authenticated or not user.is_active:
        return Scope()
    if user.is_superuser or user.has_perm(ALL_REPORTS):
        return Scope(everything=True)
    unit_paths: tuple[str, ...] = ()
    courses: list[tuple[int, str]] = []
    if user.has_perm(UNIT_REPORTS):
        from people.models import UnitKerja

        paths = sorted(UnitKerja.objects.filter(supervisors__user=user).values_list("path", flat=True).distinct())
        # A unit below another supervised unit adds nothing.
        unit_paths = tuple(path for path in paths if not any(path != p and path.startswith(p) for p in paths))
    if user.has_perm(COURSE_REPORTS):
        courses = list(taught_courses(user).values_list("pk", "path"))
    return Scope(
        unit_paths=unit_paths,
        course_ids=tuple(pk for pk, _path in courses),
        course_paths=tuple(path for _pk, path in courses),
    )


def taught_courses(user):
    """The ``CoursePage`` rows that name ``user`` as trainer (a queryset; no permission check)."""
    from courses.models import CoursePage

    return CoursePage.objects.filter(trainers=user).order_by("pk")


def is_trainer(user) -> bool:
    """Whether ``user`` acts as a trainer at all (the Pengajar role's permission; no query)."""
    return user.is_authenticated and user.is_active and user.has_perm(COURSE_REPORTS)
