"""URLs of the quizzes app: the learner's attempt (state changes are POST only)."""

from django.urls import path

from quizzes import views

urlpatterns = [
    path("kuis/<int:quiz_id>/mulai/", views.attempt_start, name="quiz_start"),
    path("kuis/percobaan/<int:attempt_id>/", views.attempt_view, name="quiz_attempt"),
    path("kuis/percobaan/<int:attempt_id>/simpan/", views.attempt_save, name="quiz_save"),
    path("kuis/percobaan/<int:attempt_id>/ringkasan/", views.attempt_summary, name="quiz_summary"),
    path("kuis/percobaan/<int:attempt_id>/kirim/", views.attempt_submit, name="quiz_submit"),
    path("kuis/percobaan/<int:attempt_id>/tinjauan/", views.attempt_review, name="quiz_review"),
]
