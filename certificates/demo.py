"""Demo data: the default certificate template, and the certificates of the demo completions."""

from certificates.models import CertificateTemplate
from certificates.services import certificates_issue_missing


def seed(*, stdout=None) -> None:
    """Running it again changes nothing."""
    CertificateTemplate.objects.get_or_create(
        is_default=True,
        defaults={
            "name": "Sertifikat BPSDM (bawaan)",
            "signer_name": "Dr. H. Ahmad Fauzi, S.STP., M.Si.",
            "signer_position": "Kepala Badan Pengembangan Sumber Daya Manusia Provinsi Jambi",
            "signer_nip": "197203151993031002",
        },
    )
    issued = certificates_issue_missing()
    if stdout is not None:
        stdout.write(f"certificates: {issued} issued for the demo completions")
