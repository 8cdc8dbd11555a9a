"""Report screens in the Wagtail admin (menu "Laporan"): thin views over ``reports/selectors``.

One module per report family over the shared listing of ``base``; the URLs (``reports/admin_urls.py``)
and the admin home panel take them from here.
"""

from reports.columns import as_of, number
from reports.views.base import EstimatedCountPaginator, GroupedPaginator, ReportListingView
from reports.views.courses import CourseCompletionView, CourseParticipantsView
from reports.views.learners import JPComplianceView, PersonView, QuizResultsView, SIASNExportView
from reports.views.overview import OverviewView

__all__ = [
    "CourseCompletionView",
    "CourseParticipantsView",
    "EstimatedCountPaginator",
    "GroupedPaginator",
    "JPComplianceView",
    "OverviewView",
    "PersonView",
    "QuizResultsView",
    "ReportListingView",
    "SIASNExportView",
    "as_of",
    "number",
]
