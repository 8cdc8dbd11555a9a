"""Admin URLs of the quiz engine (mounted under /admin/kuis/ by wagtail_hooks)."""

from django.urls import path

from quizzes import admin_views

urlpatterns = [
    path("", admin_views.quiz_index, name="index"),
    path("<int:quiz_id>/hasil/", admin_views.quiz_results, name="results"),
    path("<int:quiz_id>/statistik/", admin_views.quiz_statistics, name="statistics"),
    path("<int:quiz_id>/nilai-ulang/", admin_views.quiz_regrade, name="regrade"),
    path("<int:quiz_id>/gain/", admin_views.quiz_gains, name="gains"),
    path("percobaan/<int:attempt_id>/", admin_views.attempt_detail, name="attempt"),
    path("penilaian/", admin_views.grading_queue, name="grading_queue"),
    path("penilaian/<int:slot_id>/", admin_views.grade_essay, name="grade_essay"),
    path("impor/", admin_views.import_questions, name="import"),
    path("ekspor/", admin_views.export_questions, name="export"),
]
