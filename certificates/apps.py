from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "certificates"
    verbose_name = _("Certificates")
    role_permissions = {
        # Trainers see the certificates of their courses, supervisors those of their unit subtree.
        "Pengajar": ["certificates.view_certificate"],
        "Supervisor": ["certificates.view_certificate"],
    }

    def ready(self):
        from certificates import signals  # noqa: F401  (issue a certificate when a course is completed)
