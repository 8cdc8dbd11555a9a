"""Admin views of the certificates app: a template's preview with sample data, a certificate's PDF for
staff in scope, revoking and re-issuing (Admin BPSDM)."""

import datetime
import types

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permission_policies.base import ModelPermissionPolicy

from certificates import rendering, services
from certificates.models import Certificate, CertificateStatus, CertificateTemplate
from certificates.views import certificate_pdf, pdf_filename

SAMPLE = {
    "course_title": "Pelayanan Publik Berorientasi Pelanggan",
    "competency_kind": "Teknis",
    "training_mode": "Non-klasikal",
    "jp": 20,
    "name": "Dr. Siti Rahmā Nur’aini, S.E., M.Si.",
    "nip": "198609262015052001",
    "birth_place": "Muara Bungo",
    "birth_date": "1986-09-26",
    "rank": "Penata, III/c",
    "position": "Analis Kebijakan Ahli Muda",
    "unit": "Bidang Pengembangan Kompetensi Teknis",
    "instansi": "Pemerintah Provinsi Jambi",
    "result": "Lulus",
    "grade": "87.50",
    "predikat": "Memuaskan",
    "modules": [
        {"title": "Konsep Pelayanan Publik", "lessons": 4, "minutes": 180},
        {"title": "Standar Pelayanan dan Maklumat", "lessons": 5, "minutes": 225},
        {"title": "Pengelolaan Pengaduan", "lessons": 3, "minutes": 135},
    ],
}


def _sample(template: CertificateTemplate):
    today = timezone.localdate()
    data = {
        **SAMPLE,
        "institution": template.institution,
        "city": template.city,
        "orientation": template.orientation,
        "template_id": template.pk,
        "outline_page": template.outline_page,
        "started_on": (today - datetime.timedelta(days=14)).isoformat(),
        "completed_on": today.isoformat(),
        "issued_on": today.isoformat(),
        "number": template.number_pattern.format(seq=1, year=today.year, course_code="CONTOH"),
        "signer_name": template.signer_name,
        "signer_position": template.signer_position,
        "signer_nip": template.signer_nip,
    }
    return types.SimpleNamespace(snapshot=data, verification_code="contoh-pratinjau")


class TemplatePreviewView(View):
    def get(self, request, pk):
        if not ModelPermissionPolicy(CertificateTemplate).user_has_permission(request.user, "change"):
            raise PermissionDenied
        template = get_object_or_404(CertificateTemplate, pk=pk)
        body = rendering.render(
            _sample(template), base_url=request.build_absolute_uri("/"), background=template.background or None
        )
        response = HttpResponse(body, content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="pratinjau-sertifikat.pdf"'
        return response


def certificate_in_scope(request, pk) -> Certificate:
    from certificates.wagtail_hooks import certificate_policy

    certificate = get_object_or_404(Certificate, pk=pk)
    if not certificate_policy.user_has_permission_for_instance(request.user, "view", certificate):
        raise PermissionDenied
    return certificate


class StaffDownloadView(View):
    def get(self, request, pk):
        certificate = certificate_in_scope(request, pk)
        response = HttpResponse(
            certificate_pdf(certificate, base_url=request.build_absolute_uri("/")), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'attachment; filename="{pdf_filename(certificate)}"'
        response["Cache-Control"] = "private, no-store"
        return response


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("reason"), max_length=255, help_text=_("Shown to nobody but staff; kept in the history.")
    )


def _may_manage(user) -> bool:
    return user.is_active and user.has_perm("certificates.change_certificate")


class RevokeView(WagtailAdminTemplateMixin, FormView):
    template_name = "certificates/admin/revoke.html"
    form_class = RevokeForm
    page_title = _("Revoke certificate")
    header_icon = "warning"

    def dispatch(self, request, *args, **kwargs):
        self.certificate = certificate_in_scope(request, kwargs["pk"])
        if not _may_manage(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "certificate": self.certificate}

    def form_valid(self, form):
        if self.certificate.status != CertificateStatus.VALID:
            messages.error(self.request, gettext("Only a valid certificate can be revoked."))
        else:
            services.certificate_revoke(
                certificate=self.certificate, reason=form.cleaned_data["reason"], by=self.request.user
            )
            messages.success(
                self.request, gettext("Certificate %(number)s revoked.") % {"number": self.certificate.number}
            )
        return redirect(reverse("certificates:inspect", args=[self.certificate.pk]))


class ReissueView(View):
    """POST only: a corrected certificate with today's data; the old one becomes superseded."""

    http_method_names = ["post"]

    def post(self, request, pk):
        certificate = certificate_in_scope(request, pk)
        if not _may_manage(request.user):
            raise PermissionDenied
        if certificate.status != CertificateStatus.VALID:
            messages.error(request, gettext("Only a valid certificate can be re-issued."))
            return redirect(reverse("certificates:inspect", args=[certificate.pk]))
        new = services.certificate_reissue(certificate=certificate, by=request.user)
        messages.success(
            request,
            gettext("Re-issued as %(new)s; %(old)s is now superseded.")
            % {"new": new.number, "old": certificate.number},
        )
        return redirect(reverse("certificates:inspect", args=[new.pk]))
