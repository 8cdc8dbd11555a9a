"""Benchmark: how long one certificate PDF takes to render, and its size (issue 15's budget: 200 ms and
150 KB without a background).

Run from the repository root:  .venv/bin/python bench/certificate_pdf.py

Renders the admin's sample certificate (two pages: the certificate and the module outline) 100 times
after one warm-up (fonts registered once per process) and prints the mean, the slowest and the size.
No database is needed: the sample lives in memory.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")

import django  # noqa: E402

django.setup()

from certificates import rendering  # noqa: E402
from certificates.admin_views import _sample  # noqa: E402
from certificates.models import CertificateTemplate  # noqa: E402

RUNS = 100


def main() -> None:
    template = CertificateTemplate(
        pk=1,
        name="Bench",
        signer_name="Dr. H. Ahmad Fauzi, S.STP., M.Si.",
        signer_position="Kepala BPSDM Provinsi Jambi",
    )
    certificate = _sample(template)
    rendering.render(certificate, base_url="https://lms.example/")  # warm-up: font registration
    times, size = [], 0
    for _ in range(RUNS):
        started = time.perf_counter()
        size = len(rendering.render(certificate, base_url="https://lms.example/"))
        times.append((time.perf_counter() - started) * 1000)
    print(
        f"{RUNS} renders: mean {statistics.mean(times):.1f} ms, slowest {max(times):.1f} ms, "
        f"{size / 1024:.1f} KiB per PDF (2 pages)"
    )


if __name__ == "__main__":
    main()
