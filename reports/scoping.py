"""Who may see whose data in reports: the project-wide rule of ``lms/scoping.py``, which every report,
export and chart uses, plus whether to show the Laporan menu at all.

- Admin BPSDM (permission ``people.view_all_reports``, and superusers): everyone.
- A supervisor (``people.view_unit_reports``): the people in the units on their profile's
  ``supervised_units`` and every unit below them.
- A trainer (``people.view_course_reports``): the learners of the courses that name them as trainer,
  and of those learners only what happened in those courses.

The rule is not repeated here: the same ``Scope`` scopes the quiz, enrolment, H5P and people screens.
"""

from __future__ import annotations

from lms.scoping import ALL_REPORTS, COURSE_REPORTS, UNIT_REPORTS, Scope, scope_for

__all__ = ["ALL_REPORTS", "COURSE_REPORTS", "UNIT_REPORTS", "Scope", "may_view_reports", "scope_for"]


def may_view_reports(user) -> bool:
    """Whether to show the Laporan menu at all (no query: permissions are cached on the user)."""
    return user.is_authenticated and (
        user.is_superuser or any(user.has_perm(code) for code in (ALL_REPORTS, UNIT_REPORTS, COURSE_REPORTS))
    )
