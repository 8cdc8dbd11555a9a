"""Admin URLs of the reports (mounted under /admin/laporan/ by wagtail_hooks)."""

from django.urls import path

from reports import views


def _listing(route: str, view, name: str):
    """A listing and its results-only variant (Wagtail refreshes the table through it when filtering)."""
    return [
        path(route, view.as_view(), name=name),
        path(f"{route}hasil/", view.as_view(results_only=True), name=f"{name}_results"),
    ]


urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    *_listing("penyelesaian/", views.CourseCompletionView, "completion"),
    *_listing("penyelesaian/peserta/", views.CourseParticipantsView, "enrolments"),
    *_listing("penyelesaian/<int:course_id>/", views.CourseParticipantsView, "participants"),
    *_listing("jp/", views.JPComplianceView, "jp"),
    *_listing("kuis/", views.QuizResultsView, "quizzes"),
    *_listing("siasn/", views.SIASNExportView, "siasn"),
    path("peserta/<int:user_id>/", views.PersonView.as_view(), name="person"),
]
