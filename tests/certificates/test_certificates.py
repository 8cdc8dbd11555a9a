"""Certificates: issued once on completion with a snapshot and a number, the PDF, the public
verification page, revoking and re-issuing, and who may download what."""

import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from certificates import predicates, services
from certificates.models import Certificate, CertificateStatus, CertificateTemplate, CourseCertificateRule
from certificates.selectors import masked_nip
from courses.services import progress
from people.roles import ADMIN_BPSDM, SUPERVISOR
from tests.courses.factories import build_course, enrol, learner, trainer
from tests.factories import ASNProfileFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

NAME = "Dr. Siti Rahmā Nur’aini, S.E., M.Si."


@pytest.fixture
def template():
    return CertificateTemplate.objects.create(
        name="Bawaan",
        is_default=True,
        signer_name="Dr. H. Ahmad Fauzi, S.STP., M.Si.",
        signer_position="Kepala BPSDM Provinsi Jambi",
        signer_nip="197203151993031002",
    )


@pytest.fixture
def tree():
    return build_course(title="Etika ASN", modules=2, lessons_per_module=1, jp_value=6)


@pytest.fixture
def siti():
    unit = UnitFactory(name="Dinas Kesehatan")
    return learner(full_name=NAME, unit=unit, birth_place="Muara Bungo", jabatan_name="Analis Kebijakan")


def complete(user, tree, capture):
    enrol(user, tree.course)
    with capture(execute=True):
        for lesson in tree.lessons:
            progress.lesson_mark_done(user=user, lesson=lesson)
    return Certificate.objects.filter(user=user, course_ref=tree.course.pk)


def pdf_text(body: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def test_completing_a_course_issues_one_certificate_with_a_number_and_a_snapshot(
    template, tree, siti, django_capture_on_commit_callbacks
):
    (certificate,) = complete(siti, tree, django_capture_on_commit_callbacks)
    year = timezone.localdate().year
    assert certificate.number == f"0001/BPSDM-JBI/{tree.course.pk}/{year}"
    assert certificate.status == CertificateStatus.VALID and len(certificate.verification_code) >= 24
    data = certificate.snapshot
    assert data["name"] == NAME and data["jp"] == 6 and data["course_title"] == "Etika ASN"
    assert data["unit"] == "Dinas Kesehatan" and data["result"] == "Lulus" and data["grade"] is None
    assert [module["title"] for module in data["modules"]] == ["Modul 1", "Modul 2"]
    # The same completion refreshed again issues nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        progress.enrolment_refresh(user=siti, course=tree.course)
    assert Certificate.objects.filter(user=siti).count() == 1


def test_numbers_follow_each_other_per_course_and_year(template, tree, django_capture_on_commit_callbacks):
    numbers = [complete(learner(), tree, django_capture_on_commit_callbacks).get().number for _ in range(3)]
    assert [number.split("/")[0] for number in numbers] == ["0001", "0002", "0003"]
    other = build_course(title="Kursus Lain", slug="kursus-lain")
    assert complete(learner(), other, django_capture_on_commit_callbacks).get().number.startswith("0001/")


def test_an_institution_wide_sequence_runs_across_courses(template, tree, django_capture_on_commit_callbacks):
    template.sequence_scope = "institution_year"
    template.number_pattern = "{seq:05d}/BPSDM/{year}"
    template.save()
    other = build_course(title="Kursus Lain", slug="kursus-lain")
    first = complete(learner(), tree, django_capture_on_commit_callbacks).get().number
    second = complete(learner(), other, django_capture_on_commit_callbacks).get().number
    assert (first.split("/")[0], second.split("/")[0]) == ("00001", "00002")


def test_without_a_template_nothing_is_issued_until_one_exists(tree, siti, django_capture_on_commit_callbacks):
    assert not complete(siti, tree, django_capture_on_commit_callbacks).exists()
    CertificateTemplate.objects.create(name="Bawaan", is_default=True, signer_name="A", signer_position="B")
    assert services.certificates_issue_missing() == 1
    assert services.certificates_issue_missing() == 0, "idempotent"


def test_a_course_rule_can_withhold_certificates_or_ask_for_a_post_test_grade(
    template, tree, siti, django_capture_on_commit_callbacks
):
    rule = CourseCertificateRule.objects.create(course=tree.course, issue=False)
    assert not complete(siti, tree, django_capture_on_commit_callbacks).exists()
    rule.issue, rule.min_posttest_grade = True, Decimal("75")
    assert not predicates.eligible(rule=rule, grade=None, enrolment=None), "no post-test grade yet"
    assert not predicates.eligible(rule=rule, grade=Decimal("74.99"), enrolment=None)
    assert predicates.eligible(rule=rule, grade=Decimal("75"), enrolment=None)
    assert [predicates.predikat(Decimal(g)) for g in ("95", "90", "80.01", "70", "55")] == [
        "Sangat Memuaskan",
        "Memuaskan",
        "Memuaskan",
        "Kurang",
        "Sangat Kurang",
    ]


def test_the_pdf_prints_the_snapshot_with_diacritics_and_stays_small(
    client, template, tree, siti, django_capture_on_commit_callbacks
):
    certificate = complete(siti, tree, django_capture_on_commit_callbacks).get()
    client.force_login(siti)
    response = client.get(reverse("certificate_download", args=[certificate.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert len(response.content) < 150 * 1024
    text = pdf_text(response.content)
    nip = siti.asn_profile.nip_formatted
    for expected in (
        NAME,
        certificate.number,
        nip,
        "Etika ASN",
        "6 jam pelajaran",
        "LULUS",
        "Muara Bungo",
        "Dr. H. Ahmad Fauzi, S.STP., M.Si.",
        "Materi Pelatihan",
        "Modul 2",
    ):
        assert expected in text.replace("\n", " "), expected
    assert certificate.verification_code in text.replace("\n", "")


def test_later_edits_of_the_person_and_the_course_do_not_change_an_issued_certificate(
    client, template, tree, siti, django_capture_on_commit_callbacks
):
    certificate = complete(siti, tree, django_capture_on_commit_callbacks).get()
    profile = siti.asn_profile
    profile.full_name = "Nama Lain"
    profile.save()
    tree.course.title = "Judul Baru"
    tree.course.save_revision().publish()
    template.signer_name = "Pejabat Baru"
    template.save()
    page = client.get(reverse("certificate_verify", args=[certificate.verification_code])).content.decode()
    assert NAME in page and "Etika ASN" in page and "Nama Lain" not in page
    client.force_login(siti)
    text = pdf_text(client.get(reverse("certificate_download", args=[certificate.pk])).content)
    assert NAME in text and "Pejabat Baru" not in text and "Judul Baru" not in text


def test_the_verification_page_says_valid_superseded_revoked_or_not_found(
    client, template, tree, siti, django_capture_on_commit_callbacks
):
    certificate = complete(siti, tree, django_capture_on_commit_callbacks).get()
    url = reverse("certificate_verify", args=[certificate.verification_code])
    page = client.get(url).content.decode()
    assert "Sah" in page and masked_nip(siti.asn_profile.nip) in page and siti.asn_profile.nip not in page
    assert siti.asn_profile.birth_place not in page, "nothing beyond what proves the certificate"

    admin = UserFactory(roles=[ADMIN_BPSDM])
    new = services.certificate_reissue(certificate=certificate, by=admin)
    assert new.number != certificate.number and new.status == CertificateStatus.VALID
    assert "Digantikan" in client.get(url).content.decode()
    services.certificate_revoke(certificate=new, reason="Data keliru", by=admin)
    revoked = client.get(reverse("certificate_verify", args=[new.verification_code])).content.decode()
    assert "Dicabut" in revoked and "Data keliru" not in revoked

    unknown = client.get(reverse("certificate_verify", args=["x" * 24]))
    assert unknown.status_code == 404 and "Tidak ditemukan" in unknown.content.decode()


def test_the_verification_page_is_throttled_per_address(client, settings):
    settings.LMS_CERTIFICATE_VERIFY_PER_MINUTE = 3
    answers = [client.get(reverse("certificate_verify", args=[f"kode{n}"])).status_code for n in range(4)]
    assert answers == [404, 404, 404, 429]


def test_only_the_holder_downloads_from_the_learner_side(
    client, template, tree, siti, django_capture_on_commit_callbacks
):
    certificate = complete(siti, tree, django_capture_on_commit_callbacks).get()
    url = reverse("certificate_download", args=[certificate.pk])
    assert client.get(url).status_code == 302  # to the sign-in
    client.force_login(learner())
    assert client.get(url).status_code == 404
    assert "Belum ada sertifikat" in client.get(reverse("my_certificates")).content.decode()
    client.force_login(siti)
    listing = client.get(reverse("my_certificates")).content.decode()
    assert certificate.number in listing and url in listing
    course_page = client.get(tree.course.url).content.decode()
    assert "Unduh sertifikat" in course_page and url in course_page


def test_staff_download_and_listing_follow_the_scope(client, template, tree, siti, django_capture_on_commit_callbacks):
    certificate = complete(siti, tree, django_capture_on_commit_callbacks).get()
    staff_url = reverse("certificates:download", args=[certificate.pk])
    course_trainer = trainer(tree.course)
    other_trainer = trainer(build_course(title="Lain", slug="lain").course)
    supervisor = UserFactory(roles=[SUPERVISOR])
    ASNProfileFactory(user=supervisor, unit=siti.asn_profile.unit).supervised_units.add(siti.asn_profile.unit)
    elsewhere = UserFactory(roles=[SUPERVISOR])
    other_unit = UnitFactory(name="Dinas Pendidikan")
    ASNProfileFactory(user=elsewhere, unit=other_unit).supervised_units.add(other_unit)
    for user, allowed in ((course_trainer, True), (supervisor, True), (other_trainer, False), (elsewhere, False)):
        client.force_login(user)
        response = client.get(staff_url)
        assert (response.status_code == 200) is allowed, user
        listing = client.get(reverse("certificates:index")).content.decode()
        assert (certificate.number in listing) is allowed


def test_admin_revokes_with_a_reason_and_reissues_by_post_only(
    client, template, tree, siti, django_capture_on_commit_callbacks
):
    certificate = complete(siti, tree, django_capture_on_commit_callbacks).get()
    admin = UserFactory(roles=[ADMIN_BPSDM])
    client.force_login(admin)
    assert client.get(reverse("certificates:reissue", args=[certificate.pk])).status_code == 405
    response = client.post(reverse("certificates:reissue", args=[certificate.pk]))
    assert response.status_code == 302
    new = Certificate.objects.get(status=CertificateStatus.VALID)
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.SUPERSEDED and certificate.superseded_by == new
    response = client.post(reverse("certificates:revoke", args=[new.pk]), {"reason": "Tidak memenuhi syarat"})
    new.refresh_from_db()
    assert new.status == CertificateStatus.REVOKED and new.revoke_reason == "Tidak memenuhi syarat"
    # A trainer of the course may look, not revoke.
    client.force_login(trainer(tree.course))
    old_valid = services.certificate_issue(enrolment=_enrolment(siti, tree), course=tree.course)
    assert client.post(reverse("certificates:revoke", args=[old_valid.pk]), {"reason": "x"}).status_code == 302
    old_valid.refresh_from_db()
    assert old_valid.status == CertificateStatus.VALID


def _enrolment(user, tree):
    from courses.models import Enrolment

    return Enrolment.objects.get(user=user, course=tree.course)


def test_the_siasn_export_carries_the_certificate_number(
    client, template, tree, siti, django_capture_on_commit_callbacks
):
    certificate = complete(siti, tree, django_capture_on_commit_callbacks).get()
    client.force_login(UserFactory(roles=[ADMIN_BPSDM]))
    response = client.get(reverse("reports:siasn"), {"export": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8") if response.streaming else response.content.decode()
    assert certificate.number in body


def test_the_template_preview_is_a_pdf_with_sample_data_for_admins_only(client, template):
    client.force_login(UserFactory(roles=[ADMIN_BPSDM]))
    response = client.get(reverse("certificate_templates:preview", args=[template.pk]))
    assert response.status_code == 200 and "Siti Rahmā" in pdf_text(response.content)
    client.force_login(trainer())
    assert client.get(reverse("certificate_templates:preview", args=[template.pk])).status_code != 200


def test_masked_nip_keeps_the_birth_date_and_the_last_digits():
    assert masked_nip("198609262015052001") == "19860926 ****** * 001"
    assert re.fullmatch(r"\*+", masked_nip("123"))
