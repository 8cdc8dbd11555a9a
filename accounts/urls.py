"""URLs of the accounts app: activation, password reset, the learner's profile, single sign-on."""

from django.urls import path

from accounts import oidc, views

urlpatterns = [
    path("aktivasi/", views.ActivationView.as_view(), name="activation_start"),
    path("aktivasi/kata-sandi/", views.ActivationPasswordView.as_view(), name="activation_password"),
]

urlpatterns += oidc.urlpatterns
