"""Wagtail admin of the certificates app: templates and course rules (Admin BPSDM), and the issued
certificates, listed to each staff member within their scope (``lms/scoping.py``)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from certificates import admin_views, services
from certificates.models import Certificate, CertificateTemplate, CourseCertificateRule
from lms.scoped_admin import ScopedPermissionPolicy, ScopedViewSetMixin
from lms.scoping import scope_for


def certificate_rows_in_scope(user):
    """Certificates of the people in a supervisor's units and of a trainer's courses; all for Admin BPSDM."""
    return scope_for(user).rows(course_field="course_ref")


# Certificates are written by services only (issue, revoke, re-issue), never edited by hand.
certificate_policy = ScopedPermissionPolicy(Certificate, rows=certificate_rows_in_scope, read_only=True)
register_permission_policy(Certificate, certificate_policy, exact_class=True)


class CertificateTemplateViewSet(ModelViewSet):
    model = CertificateTemplate
    name = "certificate_templates"
    icon = "doc-full"
    menu_label = _("Templates")
    form_fields = [
        "name",
        "is_default",
        "orientation",
        "institution",
        "city",
        "signer_name",
        "signer_position",
        "signer_nip",
        "number_pattern",
        "sequence_scope",
        "background",
        "outline_page",
    ]
    list_display = ["name", "is_default", "orientation", "signer_name"]
    copy_view_enabled = False

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/pratinjau/", admin_views.TemplatePreviewView.as_view(), name="preview"),
        ]


class CourseCertificateRuleViewSet(ModelViewSet):
    model = CourseCertificateRule
    name = "certificate_rules"
    icon = "tasks"
    menu_label = _("Course rules")
    form_fields = ["course", "issue", "template", "course_code", "min_posttest_grade", "require_evaluation"]
    list_display = ["course", "issue", "template", "min_posttest_grade"]
    copy_view_enabled = False


class CertificateViewSet(ScopedViewSetMixin, ModelViewSet):
    model = Certificate
    name = "certificates"
    icon = "doc-full-inverse"
    menu_label = _("Issued")
    list_display = ["number", "holder", "training", "status", "issued_at"]
    list_filter = ["status", "signature_state"]
    search_fields = ["number"]
    form_fields = ["revoke_reason"]  # never shown: the policy refuses add and edit
    inspect_view_enabled = True
    inspect_view_fields = [
        "number",
        "holder",
        "training",
        "status",
        "issued_at",
        "completed_at",
        "revoked_at",
        "revoke_reason",
        "superseded_by",
    ]
    copy_view_enabled = False

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/unduh/", admin_views.StaffDownloadView.as_view(), name="download"),
            path("<int:pk>/cabut/", admin_views.RevokeView.as_view(), name="revoke"),
            path("<int:pk>/terbitkan-ulang/", admin_views.ReissueView.as_view(), name="reissue"),
        ]


class CertificatesGroup(ViewSetGroup):
    menu_label = _("Certificates")
    menu_icon = "doc-full"
    menu_order = 320
    items = (CertificateViewSet, CertificateTemplateViewSet, CourseCertificateRuleViewSet)


@hooks.register("register_admin_viewset")
def register_certificates():
    return CertificatesGroup()


@hooks.register("register_log_actions")
def register_certificate_log_actions(actions):
    actions.register_action(services.ISSUED, _("Issue certificate"), _("Certificate issued"))
    actions.register_action(services.REVOKED, _("Revoke certificate"), _("Certificate revoked"))
    actions.register_action(
        services.REISSUED, _("Re-issue certificate"), _("Certificate superseded by a corrected one")
    )
