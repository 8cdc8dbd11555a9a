"""URLs of the people app: sign-in, sign-out and password change (the dashboard is in courses)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from people import views

urlpatterns = [
    path("masuk/", views.SignInView.as_view(), name="login"),
    path("keluar/", views.SignOutView.as_view(), name="logout"),
    path(
        "akun/kata-sandi/",
        auth_views.PasswordChangeView.as_view(template_name="registration/password_change_form.html"),
        name="password_change",
    ),
    path(
        "akun/kata-sandi/selesai/",
        auth_views.PasswordChangeDoneView.as_view(template_name="registration/password_change_done.html"),
        name="password_change_done",
    ),
]
