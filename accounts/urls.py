"""URLs of the accounts app: activation of an imported account."""

from django.urls import path

from accounts import views

urlpatterns = [
    path("aktivasi/", views.ActivationView.as_view(), name="activation_start"),
    path("aktivasi/kata-sandi/", views.ActivationPasswordView.as_view(), name="activation_password"),
]
