"""Benchmark: one request makes activation codes for 10,000 people and returns the sheet (XLSX and PDF).

Run from the repository root:

    .venv/bin/python bench/activation_codes.py                 # SQLite (a file in a temp dir)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_codes_bench .venv/bin/python bench/activation_codes.py

It creates a fresh test database, 10,000 imported people (unusable password, never activated) in one
unit, signs in as Admin BPSDM and POSTs the admin form through Django's test client, as a person would:
the time, the number of queries and the size of the sheet are printed. It then POSTs again (every
earlier code is voided) to show the cost does not grow with the codes already made.
"""

import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from people.models import ASNProfile, UnitKerja, User  # noqa: E402
from people.roles import ADMIN_BPSDM  # noqa: E402

PEOPLE = int(os.environ.get("BENCH_PEOPLE", "10000"))


def main() -> None:
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    workdir = Path(tempfile.mkdtemp(prefix="lms-codes-bench-"))
    if connection.vendor == "sqlite":
        connection.settings_dict.setdefault("TEST", {})["NAME"] = str(workdir / "bench.sqlite3")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        unit = UnitKerja.add_root(code="B1", name="Dinas Bench")
        users = User.objects.bulk_create(
            [User(username=f"bench{i}", password="!unusable") for i in range(PEOPLE)], batch_size=1000
        )
        ASNProfile.objects.bulk_create(
            [
                ASNProfile(
                    user=user,
                    nip=f"1986092620150{i:05d}"[:18],
                    full_name=f"Pegawai {i}",
                    gender="L",
                    birth_date=date(1986, 9, 26),
                    golongan="III/a",
                    jabatan_type="pelaksana",
                    jabatan_name="Pengelola",
                    unit=unit,
                )
                for i, user in enumerate(users)
            ],
            batch_size=1000,
        )
        admin = User.objects.create(username="bench-admin")
        admin.groups.add(Group.objects.get(name=ADMIN_BPSDM))
        client = Client()
        client.force_login(admin)
        runs = [("xlsx", "first"), ("xlsx", "again (voids the first codes)"), ("pdf", "again, PDF slips")]
        for sheet_format, run in runs:
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.post(
                    reverse("activation_codes:index"), {"unit": unit.pk, "days": 30, "sheet_format": sheet_format}
                )
                elapsed = time.perf_counter() - started
            assert response.status_code == 200, response.status_code
            print(
                f"{connection.vendor}, {PEOPLE} people, {sheet_format} {run}: {elapsed:.2f} s, {len(queries)} queries, "
                f"sheet {len(response.content) / 1024:.0f} KiB"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
