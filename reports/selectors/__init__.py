"""Report queries over the summary rows (enrolment state, JP ledger, quiz results, H5P results).

Every function takes a ``reports.scoping.Scope`` and returns rows built in a fixed number of queries,
whatever the number of people; nothing here reads lesson-level rows or recomputes progress. One
module per report family over the shared filters of ``common``; this package names them all.
"""

from reports.selectors.common import (
    Activation,
    JPBand,
    current_year,
    enrolments,
    in_unit,
    jp_band_filter,
    jp_close_from,
    jp_target,
    not_activated_count,
    people,
    wib_midnight,
    year_bounds,
    year_choices,
)
from reports.selectors.courses import (
    COMPLETION_ORDERINGS,
    CourseRows,
    course_completion,
    course_participants,
    participants_count,
)
from reports.selectors.learners import (
    PersonReport,
    jp_compliance,
    person,
    quiz_result_groups,
    quiz_results,
    quiz_results_base,
    siasn_rows,
)
from reports.selectors.units import FIELDS, Overview, UnitSummary, overview, per_unit_query

__all__ = [
    "COMPLETION_ORDERINGS",
    "Activation",
    "FIELDS",
    "CourseRows",
    "JPBand",
    "Overview",
    "PersonReport",
    "UnitSummary",
    "course_completion",
    "course_participants",
    "current_year",
    "enrolments",
    "in_unit",
    "jp_band_filter",
    "jp_close_from",
    "jp_target",
    "jp_compliance",
    "not_activated_count",
    "overview",
    "participants_count",
    "people",
    "per_unit_query",
    "person",
    "quiz_result_groups",
    "quiz_results",
    "quiz_results_base",
    "siasn_rows",
    "wib_midnight",
    "year_bounds",
    "year_choices",
]
