"""URLs of the courses app: dashboard, catalogue shortcut, enrolment and lesson progress (POST only)."""

from django.urls import path

from courses import views

urlpatterns = [
    path("dasbor/", views.dashboard, name="dashboard"),
    path("katalog-kursus/", views.catalogue, name="course_catalogue"),
    path("kursus/<int:course_id>/daftar/", views.enrol, name="course_enrol"),
    path("kursus/<int:course_id>/keluar/", views.leave, name="course_leave"),
    path("materi/<int:lesson_id>/aktivitas/", views.heartbeat, name="lesson_heartbeat"),
    path("materi/<int:lesson_id>/selesai/", views.mark_done, name="lesson_mark_done"),
]
