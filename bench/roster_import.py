"""Benchmark: validate and import a 10,000-row ASN roster from CSV and XLSX, then re-import it.

Run from the repository root:

    .venv/bin/python bench/roster_import.py                      # SQLite (a file in a temp dir)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_roster_bench .venv/bin/python bench/roster_import.py

It creates a fresh test database (``test_<name>`` on PostgreSQL, a temporary file on SQLite), runs the
migrations, generates a valid roster (valid NIPs, a supervisor for every ten people), and times each
phase through ``people.services.roster_import``, the function the admin screen and the command call.
Peak memory is the process's peak resident set size during the phase (Linux: VmHWM, reset before each
phase), shown with the growth over the resident size at the start of the phase. Bounded: at most
``--rows`` rows (default 10,000, never more than the import's own row limit) and a 20-minute alarm.
"""

import argparse
import csv
import os
import platform
import random
import signal
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
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from people import roster  # noqa: E402
from people.demo import make_nip  # noqa: E402
from people.models import ASNProfile, UnitKerja  # noqa: E402
from people.ranks import PANGKAT_BY_GOLONGAN, PPPK_GRADES, JabatanType  # noqa: E402
from people.roster import COLUMN_NAMES  # noqa: E402
from people.services import roster_import  # noqa: E402

TIME_LIMIT_SECONDS = 20 * 60
UNIT_CODES = [f"15.{opd:02d}.{bidang:02d}" for opd in range(1, 11) for bidang in range(1, 4)]


def generate_rows(count: int, *, seed: int = 2026) -> list[dict]:
    rng = random.Random(seed)
    rows, used = [], set()
    golongan = list(PANGKAT_BY_GOLONGAN)
    while len(rows) < count:
        gender = rng.choice("LP")
        birth = date(rng.randint(1965, 2000), rng.randint(1, 12), rng.randint(1, 28))
        number = make_nip(rng, birth=birth, gender=gender, sequence=rng.randint(1, 999))
        if number in used:
            continue
        used.add(number)
        pppk = len(rows) % 7 == 6
        index = len(rows)
        rows.append(
            {
                "nip": f"{number[:8]} {number[8:14]} {number[14]} {number[15:]}",
                "nama_lengkap": f"Pegawai Contoh {index}, S.E.",
                "jenis_kelamin": gender,
                "tempat_lahir": rng.choice(["Jambi", "Sungai Penuh", "Muara Bungo", "Bangko", "Kuala Tungkal"]),
                "tanggal_lahir": birth.strftime(rng.choice(["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"])),
                "jenis_kepegawaian": "PPPK" if pppk else "PNS",
                "golongan": "" if pppk else rng.choice(golongan[4:15]),
                "grade_pppk": rng.choice(PPPK_GRADES[4:12]) if pppk else "",
                "jenis_jabatan": rng.choice(JabatanType.values),
                "nama_jabatan": rng.choice(["Pengelola Data", "Analis SDM Aparatur Ahli Muda", "Perawat Ahli Pertama"]),
                "kode_unit": UNIT_CODES[index % len(UNIT_CODES)],
                # Every tenth person supervises the nine after them (some of whom come first in the file).
                "nip_atasan": "" if index % 10 == 0 else rows[index - index % 10]["nip"],
                "email": f"pegawai{index}@jambiprov.go.id",
                "telepon": f"0812{rng.randint(10_000_000, 99_999_999)}",
            }
        )
    rng.shuffle(rows)
    return rows


def write_csv(rows: list[dict], path: Path) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMN_NAMES, delimiter=";")
        writer.writeheader()
        writer.writerows(rows)


def write_xlsx(rows: list[dict], path: Path) -> None:
    # Not write_only: that mode leaves out the <dimension> element Excel and LibreOffice write, and
    # without it openpyxl's read-only mode reads the whole sheet twice.
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "ASN"
    sheet.append(COLUMN_NAMES)
    for row in rows:
        values = []
        for name in COLUMN_NAMES:
            value = row[name]
            if name == "tanggal_lahir":
                value = roster.parse_date(value)  # a real date cell, as Excel stores a typed date
            values.append(value or None)
        sheet.append(values)
    workbook.save(path)


def rss_kib(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def reset_peak() -> None:
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")  # resets VmHWM (peak RSS) to the current RSS
    except OSError:
        pass


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def phase(label: str, **import_kwargs):
    reset_peak()
    start_rss = rss_kib("VmRSS")
    counter = QueryCounter()
    started, cpu_started = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(counter):
        result = roster_import(**import_kwargs)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak = rss_kib("VmHWM")
    if not result.ok:
        raise SystemExit(f"{label}: import failed: {result.errors[:5]}")
    print(
        f"| {label} | {elapsed:.1f} s | {cpu:.1f} s | {peak / 1024:.0f} MiB (+{max(0, peak - start_rss) / 1024:.0f}) "
        f"| {counter.count} "
        f"| {result.created} / {result.updated} / {result.unchanged} |",
        flush=True,
    )
    return result


def create_units() -> None:
    province = UnitKerja.add_root(code="15", name="Pemerintah Provinsi Jambi", kind="instansi")
    for opd in range(1, 11):
        province.refresh_from_db()
        parent = province.add_child(code=f"15.{opd:02d}", name=f"OPD {opd}", kind="opd")
        for bidang in range(1, 4):
            parent.refresh_from_db()
            parent.add_child(code=f"15.{opd:02d}.{bidang:02d}", name=f"Bidang {opd}.{bidang}", kind="bidang")


def clear_people() -> None:
    ASNProfile.objects.all().delete()
    get_user_model().objects.all().delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    rows_count = max(1, min(args.rows, roster.MAX_ROWS))
    signal.alarm(TIME_LIMIT_SECONDS)

    workdir = Path(tempfile.mkdtemp(prefix="lms-roster-bench-"))
    rows = generate_rows(rows_count)
    csv_path, xlsx_path, changed_path = workdir / "roster.csv", workdir / "roster.xlsx", workdir / "changed.csv"
    write_csv(rows, csv_path)
    write_xlsx(rows, xlsx_path)
    write_csv([dict(row, nama_jabatan=row["nama_jabatan"] + " (baru)") for row in rows], changed_path)

    if connection.vendor == "sqlite":
        # A file, as in production, not the in-memory database tests use.
        connection.settings_dict.setdefault("TEST", {})["NAME"] = str(workdir / "bench.sqlite3")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        create_units()
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("select sqlite_version()")
                server = f"SQLite {cursor.fetchone()[0]}"
            else:
                cursor.execute("show server_version")
                server = f"PostgreSQL {cursor.fetchone()[0]}"
        print(
            f"# roster import benchmark: {rows_count} rows, {server}, Python {platform.python_version()}, "
            f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, settings {settings.SETTINGS_MODULE}"
        )
        print(f"# files: CSV {csv_path.stat().st_size / 1024:.0f} KiB, XLSX {xlsx_path.stat().st_size / 1024:.0f} KiB")
        print(
            "| phase | wall time | CPU (this process) | peak RSS (growth) | queries | created / updated / unchanged |"
        )
        print("|---|---|---|---|---|---|")
        result = phase("CSV, check only (--dry-run)", file=csv_path, dry_run=True)
        assert result.created == rows_count
        result = phase("CSV, first import", file=csv_path)
        assert result.created == rows_count and ASNProfile.objects.count() == rows_count
        assert ASNProfile.objects.filter(supervisor__isnull=False).count() == rows_count - (rows_count + 9) // 10
        result = phase("CSV, same file again", file=csv_path)
        assert result.unchanged == rows_count
        result = phase("CSV, every row changed", file=changed_path)
        assert result.updated == rows_count
        clear_people()
        result = phase("XLSX, first import", file=xlsx_path)
        assert result.created == rows_count
        result = phase("XLSX, same file again", file=xlsx_path)
        assert result.unchanged == rows_count
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        for path in workdir.iterdir():
            path.unlink()
        workdir.rmdir()


if __name__ == "__main__":
    main()
