"""URLs of the accounts app: activation of an account (code or emailed link) and password recovery."""

from django.urls import path

from accounts import views

urlpatterns = [
    path("aktivasi/", views.ActivationView.as_view(), name="activation_start"),
    path("aktivasi/kata-sandi/", views.ActivationPasswordView.as_view(), name="activation_password"),
    path("aktivasi/email/<uidb64>/<token>/", views.ActivationLinkView.as_view(), name="activation_link"),
    path("lupa-kata-sandi/", views.RecoveryView.as_view(), name="password_reset"),
    path("lupa-kata-sandi/terkirim/", views.RecoveryDoneView.as_view(), name="password_reset_done"),
    path("lupa-kata-sandi/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("profil/", views.ProfileView.as_view(), name="profile"),
    path("profil/email/", views.EmailChangeView.as_view(), name="profile_email"),
    path("profil/email/<str:token>/", views.EmailChangeConfirmView.as_view(), name="profile_email_confirm"),
]
