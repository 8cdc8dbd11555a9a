"""Learner and public views: Sertifikat Saya, the PDF download, and the verification page of the QR."""

import re

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from certificates import rendering, selectors
from certificates.models import Certificate, CertificateTemplate, SignatureState
from lms import ratelimit


@login_required
@require_GET
def my_certificates(request):
    return render(
        request, "certificates/my_certificates.html", {"certificates": selectors.certificates_of(user=request.user)}
    )


def certificate_pdf(certificate: Certificate, *, base_url: str) -> bytes:
    if certificate.signature_state == SignatureState.SIGNED and certificate.signed_pdf:
        with certificate.signed_pdf.open("rb") as handle:
            return handle.read()
    template = CertificateTemplate.objects.filter(pk=certificate.snapshot.get("template_id")).first()
    background = template.background if template is not None and template.background else None
    return rendering.render(certificate, base_url=base_url, background=background)


def pdf_filename(certificate: Certificate) -> str:
    return "sertifikat-" + re.sub(r"[^A-Za-z0-9]+", "-", certificate.number).strip("-") + ".pdf"


@login_required
@require_GET
def certificate_download(request, pk: int):
    """Only the holder downloads here (staff use the reports); anyone else gets 404, not 403."""
    certificate = Certificate.objects.filter(pk=pk, user_id=request.user.pk).first()
    if certificate is None:
        raise Http404
    response = HttpResponse(
        certificate_pdf(certificate, base_url=request.build_absolute_uri("/")), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{pdf_filename(certificate)}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _verification_allowed(request) -> bool:
    key = f"certificates:verify:{ratelimit.client_address(request)}"
    return ratelimit.hit(key, window=60) <= settings.LMS_CERTIFICATE_VERIFY_PER_MINUTE


@require_GET
def certificate_verify(request, code: str):
    """Public: what the QR opens. Shows the status and the few fields that prove the certificate; an
    unknown code gets the same page with "not found"."""
    if not _verification_allowed(request):
        return render(request, "certificates/verify.html", {"throttled": True}, status=429)
    certificate = Certificate.objects.filter(verification_code=code).select_related("superseded_by").first()
    context = {"certificate": certificate}
    if certificate is not None:
        context["data"] = certificate.snapshot
        context["masked_nip"] = selectors.masked_nip(certificate.snapshot.get("nip", ""))
    response = render(request, "certificates/verify.html", context, status=200 if certificate else 404)
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response
