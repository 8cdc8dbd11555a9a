"""URLs of the certificates app: the learner's list and download, and the public verification page."""

from django.urls import path

from certificates import views

urlpatterns = [
    path("sertifikat/", views.my_certificates, name="my_certificates"),
    path("sertifikat/<int:pk>/unduh/", views.certificate_download, name="certificate_download"),
    path("verifikasi/<str:code>/", views.certificate_verify, name="certificate_verify"),
]
