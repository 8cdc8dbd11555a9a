"""Journey on a 360 px phone: a learner completes a course, downloads the certificate PDF, and opens
the verification address its QR code holds: it says the certificate is valid."""

import io
import os
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from certificates.models import CertificateTemplate
from tests.browser.test_h5p_journey import sign_in
from tests.courses.factories import build_course, enrol, learner

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = os.environ.get("LMS_SCREENSHOTS", "")


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_a_learner_completes_a_course_downloads_the_certificate_and_verifies_it(page, live_server):
    CertificateTemplate.objects.create(
        name="Bawaan", is_default=True, signer_name="Dr. H. Ahmad Fauzi, S.STP., M.Si.", signer_position="Kepala BPSDM"
    )
    tree = build_course(title="Etika ASN", slug="etika-asn", lessons_per_module=1, jp_value=4)
    user = learner(full_name="Nur’aini Rahmā, S.E.")
    enrol(user, tree.course)
    sign_in(page, user, live_server.url)

    page.goto(tree.lessons[0].url)
    page.get_by_role("button", name="Tandai selesai").click()
    page.wait_for_load_state()
    page.goto(tree.course.url)
    download_link = page.get_by_role("link", name="Unduh sertifikat")
    download_link.wait_for()
    shot(page, "certificate-course")
    with page.expect_download() as event:
        download_link.click()
    pdf = PdfReader(io.BytesIO(Path(event.value.path()).read_bytes()))
    text = "".join(page_.extract_text() for page_ in pdf.pages)
    assert "Nur’aini Rahmā, S.E." in text and "Etika ASN" in text
    verify_url = re.search(r"https?://\S+/verifikasi/\S+/", text.replace("\n", "")).group(0)

    page.context.clear_cookies()  # whoever scans the QR code is not signed in
    page.goto(verify_url)
    assert page.get_by_role("status").inner_text() == "Sah"
    assert "Nur’aini Rahmā, S.E." in page.locator("main").inner_text()
    shot(page, "certificate-verify")

    sign_in(page, user, live_server.url)
    page.goto("/sertifikat/")
    assert "Etika ASN" in page.locator("main").inner_text()
    shot(page, "certificate-list")
