from django.urls import path

from notifications import views

urlpatterns = [
    path("notifikasi/", views.notification_list, name="notifications"),
    path("notifikasi/<int:notification_id>/dibaca/", views.mark_read, name="notification_read"),
    path("notifikasi/dibaca/", views.mark_all_read, name="notifications_read_all"),
    path("notifikasi/email/", views.email_preferences, name="notification_preferences"),
]
