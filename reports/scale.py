"""Scale data for report benchmarks (``manage.py seed_scale``): a province of units, ASN, courses and progress.

What it builds, deterministically from ``seed`` (``random.Random`` streams only; the one input from the
clock is the current year and how much of it has passed, which places the dates):

- 12 instansi roots (Pemerintah Provinsi Jambi and the 11 kabupaten/kota) with their OPD (Sekretariat
  Daerah, Inspektorat, Dinas ..., Badan ..., Kecamatan ...) and bidang/bagian: about 600 ``UnitKerja``
  rows, codes ``SK-<instansi>[.<opd>[.<bidang>]]`` (``SK-15``, ``SK-15.04``, ``SK-1571.03.02``), so
  they never meet the demo codes (``15``, ``15.03``). Paths are computed here and bulk-inserted after
  any existing roots; siblings are in name order, as ``UnitKerja.node_order_by`` asks.
- ``people`` ASN, each a ``User`` (username = NIP, one shared unusable password, role Peserta) and an
  ``ASNProfile`` with a valid NIP (PNS) or NI PPPK, spread over OPD and bidang by OPD size.
- Three accounts sharing ``password``: ``skala_admin`` (Admin BPSDM), ``skala_supervisor``
  (Supervisor, head of the largest OPD of the province, which it supervises) and ``skala_pengajar``
  (Pengajar, trainer of the first three scale courses). The last two have ASN profiles as well.
- ``courses`` live ``CoursePage`` trees under the catalogue: 2 modules × 3 required lessons and a
  required final quiz in the second module; every 4th course also has a pre-test (not required: a
  baseline nobody must pass) and a required post-test paired with it, directly under the course. So
  a course has 7 required items, or 8 with a post-test. Pages are created with the Wagtail page API
  and ``live=True``, without revisions (the only part written row by row).
- About ``people × enrolments_per_person × 0.98`` enrolments with their summary fields as
  ``courses.services`` would have written them, ``LessonProgress`` rows, finished quiz ``Attempt``
  rows with their ``QuizResult`` (marks carried directly: quizzes have no questions and there are no
  ``AttemptSlot`` rows), and one ``JPCredit`` per completed enrolment.

Dates: completions fall in the previous and the current calendar year (WIB), never after today;
a few current-year completions are on 1 January before 07:00 WIB, when it is still the previous year
in UTC. Everything is inserted with ``bulk_create`` per chunk of people in one transaction, so a
failed run leaves nothing and a finished one is found again by the unit ``SK-15`` (nothing is
written twice).
"""

from __future__ import annotations

import logging
import random
import time
from bisect import bisect
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.rich_text import RichText

from courses.models import (
    CompetencyKind,
    CourseCategory,
    CourseIndexPage,
    CoursePage,
    Enrolment,
    EnrolmentMode,
    EnrolmentSource,
    EnrolmentStatus,
    JPCredit,
    LessonPage,
    LessonProgress,
    ModulePage,
    ProgressStatus,
    TrainingMode,
)
from people import roles
from people.models import ASNProfile, UnitKerja, UnitKind
from people.ranks import PANGKAT_BY_GOLONGAN, EmploymentType, JabatanType
from quizzes.models import Attempt, AttemptState, QuizPage, QuizResult, QuizRole

WIB = ZoneInfo("Asia/Jakarta")
CODE_PREFIX = "SK-"
MARKER_CODE = "SK-15"  # the province root: present means the scale data is there
ADMIN_USERNAME = "skala_admin"
SUPERVISOR_USERNAME = "skala_supervisor"
TRAINER_USERNAME = "skala_pengajar"
CHUNK_PEOPLE = 2_000  # people generated and inserted at a time: bounds memory, not correctness
BATCH_SIZE = 2_000
QUIZ_MAX_MARK = 20  # every scale attempt is out of 20 marks, so percents are multiples of 5
PASS_MARK = Decimal("70")
PASS_RAW = 14  # 14/20 = 70 %

# --------------------------------------------------------------------------------------------
# Organisation: instansi, OPD and bidang

# (code, name, share of the province's ASN, kecamatan)
INSTANSI = [
    ("15", "Pemerintah Provinsi Jambi", 16, []),
    ("1501", "Pemerintah Kabupaten Kerinci", 8, [
        "Gunung Kerinci", "Kayu Aro", "Air Hangat", "Sitinjau Laut", "Danau Kerinci", "Gunung Raya",
        "Batang Merangin", "Keliling Danau", "Siulak", "Gunung Tujuh", "Air Hangat Timur", "Depati Tujuh",
        "Kayu Aro Barat", "Siulak Mukai", "Bukit Kerman", "Air Hangat Barat",
    ]),
    ("1502", "Pemerintah Kabupaten Merangin", 9, [
        "Bangko", "Jangkat", "Muara Siau", "Pamenang", "Sungai Manau", "Tabir", "Tabir Ulu", "Tabir Selatan",
        "Lembah Masurai", "Sungai Tenang", "Tiang Pumpung", "Renah Pembarap", "Nalo Tantan", "Bangko Barat",
        "Margo Tabir", "Pamenang Barat", "Tabir Ilir", "Tabir Timur", "Tabir Lintas", "Renah Pamenang",
        "Pangkalan Jambu", "Pamenang Selatan", "Batang Masumai", "Tabir Barat",
    ]),
    ("1503", "Pemerintah Kabupaten Sarolangun", 7, [
        "Sarolangun", "Batang Asai", "Limun", "Pelawan", "Pauh", "Mandiangin", "Air Hitam", "Bathin VIII",
        "Singkut", "Cermin Nan Gedang",
    ]),
    ("1504", "Pemerintah Kabupaten Batanghari", 7, [
        "Muara Bulian", "Muara Tembesi", "Pemayung", "Mersam", "Maro Sebo Ulu", "Bajubang", "Maro Sebo Ilir",
        "Batin XXIV",
    ]),
    ("1505", "Pemerintah Kabupaten Muaro Jambi", 8, [
        "Sekernan", "Jambi Luar Kota", "Sungai Bahar", "Kumpeh", "Kumpeh Ulu", "Maro Sebo", "Mestong",
        "Sungai Gelam", "Taman Rajo", "Bahar Utara", "Bahar Selatan",
    ]),
    ("1506", "Pemerintah Kabupaten Tanjung Jabung Timur", 6, [
        "Muara Sabak Timur", "Muara Sabak Barat", "Kuala Jambi", "Dendang", "Mendahara", "Mendahara Ulu",
        "Geragai", "Rantau Rasau", "Berbak", "Nipah Panjang", "Sadu",
    ]),
    ("1507", "Pemerintah Kabupaten Tanjung Jabung Barat", 7, [
        "Tungkal Ilir", "Tungkal Ulu", "Pengabuan", "Betara", "Merlung", "Batang Asam", "Tebing Tinggi",
        "Renah Mendaluh", "Muara Papalik", "Senyerang", "Kuala Betara", "Bram Itam", "Seberang Kota",
    ]),
    ("1508", "Pemerintah Kabupaten Tebo", 7, [
        "Tebo Tengah", "Tebo Ilir", "Tebo Ulu", "Rimbo Bujang", "Sumay", "VII Koto", "Rimbo Ulu", "Rimbo Ilir",
        "Tengah Ilir", "Serai Serumpun", "VII Koto Ilir", "Muara Tabir",
    ]),
    ("1509", "Pemerintah Kabupaten Bungo", 8, [
        "Muko-Muko Bathin VII", "Tanah Sepenggal", "Rantau Pandan", "Pelepat", "Jujuhan", "Bathin II Babeko",
        "Limbur Lubuk Mengkuang", "Tanah Tumbuh", "Bungo Dani", "Pasar Muara Bungo", "Rimbo Tengah",
        "Bathin III", "Pelepat Ilir", "Tanah Sepenggal Lintas", "Jujuhan Ilir", "Bathin III Ulu",
        "Bathin II Pelayang",
    ]),
    ("1571", "Pemerintah Kota Jambi", 11, [
        "Kota Baru", "Jambi Selatan", "Jelutung", "Pasar Jambi", "Telanaipura", "Danau Teluk", "Pelayangan",
        "Jambi Timur", "Alam Barajo", "Paal Merah", "Danau Sipin",
    ]),
    ("1572", "Pemerintah Kota Sungai Penuh", 5, [
        "Sungai Penuh", "Pesisir Bukit", "Hamparan Rawang", "Tanah Kampung", "Kumun Debai", "Pondok Tinggi",
        "Koto Baru", "Sungai Bungkal",
    ]),
]  # fmt: skip

# (name, relative size, sector, bidang/bagian). Sector picks the functional positions (teachers, nurses...).
PROVINCE_OPD = [
    ("Sekretariat Daerah", 3.0, "umum", [
        "Biro Pemerintahan dan Otonomi Daerah", "Biro Hukum", "Biro Perekonomian", "Biro Kesejahteraan Rakyat",
        "Biro Organisasi", "Biro Umum", "Biro Pengadaan Barang dan Jasa",
    ]),
    ("Sekretariat DPRD", 1.2, "umum", ["Bagian Umum", "Bagian Persidangan dan Perundang-undangan"]),
    ("Inspektorat", 1.5, "pengawasan", ["Inspektur Pembantu Wilayah I", "Inspektur Pembantu Wilayah II"]),
    ("Dinas Pendidikan", 16.0, "pendidikan", [
        "Bidang Pembinaan SMA", "Bidang Pembinaan SMK", "Bidang Pembinaan Pendidikan Khusus",
        "Bidang Guru dan Tenaga Kependidikan",
    ]),
    ("Dinas Kesehatan", 3.0, "kesehatan", [
        "Bidang Pelayanan Kesehatan", "Bidang Pencegahan dan Pengendalian Penyakit", "Bidang Kesehatan Masyarakat",
    ]),
    ("Rumah Sakit Umum Daerah Raden Mattaher", 6.0, "kesehatan", [
        "Bidang Pelayanan Medik", "Bidang Keperawatan", "Bagian Umum dan Kepegawaian",
    ]),
    ("Dinas Pekerjaan Umum dan Perumahan Rakyat", 2.0, "teknik", ["Bidang Bina Marga", "Bidang Sumber Daya Air"]),
    ("Dinas Perhubungan", 1.2, "teknik", ["Bidang Lalu Lintas dan Angkutan Jalan"]),
    ("Dinas Sosial", 0.9, "umum", ["Bidang Rehabilitasi Sosial"]),
    ("Dinas Tenaga Kerja dan Transmigrasi", 0.9, "umum", ["Bidang Pelatihan dan Produktivitas"]),
    ("Dinas Pemberdayaan Perempuan dan Perlindungan Anak", 0.7, "umum", ["Bidang Perlindungan Anak"]),
    ("Dinas Lingkungan Hidup", 1.0, "teknik", ["Bidang Pengendalian Pencemaran"]),
    ("Dinas Komunikasi dan Informatika", 1.0, "informatika", ["Bidang Aplikasi Informatika", "Bidang Statistik"]),
    ("Dinas Koperasi dan Usaha Kecil Menengah", 0.7, "ekonomi", ["Bidang Kelembagaan Koperasi"]),
    ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", 0.8, "ekonomi", ["Bidang Pelayanan Perizinan"]),
    ("Dinas Pemuda dan Olahraga", 0.7, "umum", ["Bidang Pembudayaan Olahraga"]),
    ("Dinas Kebudayaan dan Pariwisata", 0.9, "umum", ["Bidang Destinasi Pariwisata"]),
    ("Dinas Perpustakaan dan Kearsipan", 0.8, "arsip", ["Bidang Layanan Perpustakaan"]),
    ("Dinas Kelautan dan Perikanan", 0.9, "pertanian", ["Bidang Perikanan Budidaya"]),
    ("Dinas Tanaman Pangan dan Hortikultura", 1.2, "pertanian", ["Bidang Tanaman Pangan", "Bidang Penyuluhan"]),
    ("Dinas Perkebunan", 1.2, "pertanian", ["Bidang Produksi Perkebunan"]),
    ("Dinas Kehutanan", 2.0, "pertanian", ["Bidang Perlindungan Hutan", "Bidang Penyuluhan Kehutanan"]),
    ("Dinas Energi dan Sumber Daya Mineral", 0.7, "teknik", ["Bidang Ketenagalistrikan"]),
    ("Dinas Perindustrian dan Perdagangan", 0.9, "ekonomi", ["Bidang Perdagangan Dalam Negeri"]),
    ("Satuan Polisi Pamong Praja", 1.5, "umum", ["Bidang Penegakan Peraturan Daerah"]),
    ("Badan Perencanaan Pembangunan Daerah", 1.0, "perencanaan", [
        "Bidang Perencanaan Ekonomi", "Bidang Perencanaan Infrastruktur",
    ]),
    ("Badan Pengelolaan Keuangan dan Aset Daerah", 1.2, "keuangan", ["Bidang Anggaran", "Bidang Akuntansi"]),
    ("Badan Pendapatan Daerah", 1.5, "keuangan", ["Bidang Pajak Daerah"]),
    ("Badan Kepegawaian Daerah", 1.0, "kepegawaian", ["Bidang Mutasi dan Promosi", "Bidang Informasi Kepegawaian"]),
    ("Badan Pengembangan Sumber Daya Manusia", 1.0, "kediklatan", [
        "Bidang Pengembangan Kompetensi Teknis", "Bidang Pengembangan Kompetensi Manajerial",
        "Bidang Sertifikasi Kompetensi",
    ]),
    ("Badan Penanggulangan Bencana Daerah", 0.8, "umum", ["Bidang Kedaruratan dan Logistik"]),
    ("Badan Kesatuan Bangsa dan Politik", 0.6, "umum", []),
]  # fmt: skip

REGENCY_OPD = [
    ("Sekretariat Daerah", 2.5, "umum", ["Bagian Umum", "Bagian Hukum", "Bagian Organisasi"]),
    ("Sekretariat DPRD", 0.8, "umum", ["Bagian Umum dan Keuangan"]),
    ("Inspektorat", 1.0, "pengawasan", ["Inspektur Pembantu I", "Inspektur Pembantu II"]),
    ("Dinas Pendidikan dan Kebudayaan", 14.0, "pendidikan", [
        "Bidang Pembinaan Sekolah Dasar", "Bidang Pembinaan Sekolah Menengah Pertama",
        "Bidang Pendidikan Anak Usia Dini",
    ]),
    ("Dinas Kesehatan", 5.0, "kesehatan", ["Bidang Pelayanan Kesehatan", "Bidang Kesehatan Masyarakat"]),
    ("Dinas Pekerjaan Umum dan Penataan Ruang", 1.5, "teknik", ["Bidang Bina Marga"]),
    ("Dinas Pertanian", 1.5, "pertanian", ["Bidang Penyuluhan"]),
    ("Dinas Sosial", 0.6, "umum", ["Bidang Rehabilitasi Sosial"]),
    ("Dinas Kependudukan dan Pencatatan Sipil", 0.7, "umum", ["Bidang Pelayanan Pendaftaran Penduduk"]),
    ("Dinas Perhubungan", 0.8, "teknik", []),
    ("Dinas Lingkungan Hidup", 0.8, "teknik", []),
    ("Dinas Komunikasi dan Informatika", 0.6, "informatika", []),
    ("Badan Perencanaan Pembangunan Daerah", 0.7, "perencanaan", []),
    ("Badan Keuangan dan Aset Daerah", 1.0, "keuangan", ["Bidang Anggaran"]),
    ("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", 0.7, "kepegawaian", ["Bidang Pengembangan Kompetensi"]),
    ("Satuan Polisi Pamong Praja", 1.0, "umum", []),
]  # fmt: skip
KECAMATAN_SIZE = 0.5
OPD_OWN_SHARE = 0.3  # of an OPD's people, those placed in the OPD itself rather than a bidang


@dataclass
class UnitSpec:
    code: str
    name: str
    kind: str
    parent_code: str | None
    weight: float = 0.0  # share of people placed directly in this unit
    sector: str = "umum"
    opd_code: str | None = None  # the OPD this unit belongs to (itself for an OPD)
    path: str = ""
    depth: int = 0
    numchild: int = 0


def unit_plan() -> list[UnitSpec]:
    """Every scale unit, parents before children, with the share of people each one gets (no paths yet)."""
    specs: list[UnitSpec] = []
    total_share = sum(share for _code, _name, share, _kec in INSTANSI)
    for code, name, share, kecamatan in INSTANSI:
        root_code = f"{CODE_PREFIX}{code}"
        specs.append(UnitSpec(root_code, name, UnitKind.INSTANSI, None))
        opds = [
            (opd, size, sector, bidang) for opd, size, sector, bidang in (PROVINCE_OPD if code == "15" else REGENCY_OPD)
        ]
        opds += [(f"Kecamatan {kec}", KECAMATAN_SIZE, "kewilayahan", []) for kec in kecamatan]
        instansi_size = sum(size for _opd, size, _sector, _bidang in opds)
        for number, (opd_name, size, sector, bidang) in enumerate(opds, start=1):
            opd_code = f"{root_code}.{number:02d}"
            opd_weight = share / total_share * size / instansi_size
            own = opd_weight if not bidang else opd_weight * OPD_OWN_SHARE
            specs.append(UnitSpec(opd_code, opd_name, UnitKind.OPD, root_code, own, sector, opd_code))
            for bidang_number, bidang_name in enumerate(bidang, start=1):
                specs.append(
                    UnitSpec(
                        f"{opd_code}.{bidang_number:02d}",
                        bidang_name,
                        UnitKind.BIDANG,
                        opd_code,
                        opd_weight * (1 - OPD_OWN_SHARE) / len(bidang),
                        sector,
                        opd_code,
                    )
                )
    return specs


def _step(position: int) -> str:
    """One treebeard path step (``0001``, ``000A`` ...) in UnitKerja's alphabet and step length."""
    alphabet, base = UnitKerja.alphabet, len(UnitKerja.alphabet)
    digits = ""
    while position:
        position, remainder = divmod(position, base)
        digits = alphabet[remainder] + digits
    return digits.rjust(UnitKerja.steplen, alphabet[0])


def _step_number(step: str) -> int:
    alphabet = UnitKerja.alphabet
    number = 0
    for char in step:
        number = number * len(alphabet) + alphabet.index(char)
    return number


def assign_paths(specs: list[UnitSpec], *, after_root_step: int) -> None:
    """Materialised paths: new roots after the existing ones, siblings in name order (node_order_by)."""
    children: dict[str | None, list[UnitSpec]] = {}
    for spec in specs:
        children.setdefault(spec.parent_code, []).append(spec)
    position: dict[str, int] = {}
    for siblings in children.values():
        for number, spec in enumerate(sorted(siblings, key=lambda spec: spec.name), start=1):
            position[spec.code] = number
    by_code = {spec.code: spec for spec in specs}
    for spec in specs:  # parents come before children in the plan
        spec.numchild = len(children.get(spec.code, []))
        if spec.parent_code is None:
            spec.path, spec.depth = _step(after_root_step + position[spec.code]), 1
        else:
            parent = by_code[spec.parent_code]
            spec.path, spec.depth = parent.path + _step(position[spec.code]), parent.depth + 1


# --------------------------------------------------------------------------------------------
# People

FIRST_NAMES_M = [
    "Abdul", "Adi", "Agus", "Ahmad", "Andi", "Arif", "Bambang", "Budi", "Dedi", "Deni", "Dodi", "Eko", "Fadli",
    "Fajar", "Faisal", "Fauzi", "Hadi", "Hendra", "Heri", "Ilham", "Imam", "Irfan", "Irwan", "Joko", "Junaidi",
    "Kurnia", "M.", "Muhammad", "Mulyadi", "Nasrul", "Rahmat", "Ridwan", "Rizki", "Rudi", "Safrizal", "Sahrul",
    "Syafrudin", "Syahrial", "Taufik", "Teguh", "Wahyu", "Yudi", "Yusuf", "Zainal", "Zulkifli", "Armansyah",
    "Firdaus", "Herman", "Jefri", "Khairul", "Novri", "Rozali", "Sudirman", "Tarmizi", "Yasir",
]  # fmt: skip
FIRST_NAMES_F = [
    "Ani", "Ayu", "Desi", "Dewi", "Dian", "Eka", "Elvi", "Erna", "Fitri", "Hasnah", "Indah", "Intan", "Kartini",
    "Lestari", "Lia", "Lina", "Maya", "Mega", "Nia", "Novita", "Nur", "Nurhayati", "Putri", "Rahmawati", "Ratna",
    "Rina", "Rini", "Rosmiati", "Sari", "Siti", "Sri", "Susanti", "Tuti", "Wulan", "Yanti", "Yuli", "Yusnita",
    "Zuraida", "Asmawati", "Darmiati", "Elisa", "Herlina", "Juliana", "Mardiana", "Netti", "Safitri", "Wiwik",
]  # fmt: skip
MIDDLE_NAMES_M = ["", "", "", "", "Adi", "Putra", "Indra", "Budi", "Eka", "Dwi", "Tri", "Nur", "Rahmat"]
MIDDLE_NAMES_F = ["", "", "", "", "Dwi", "Tri", "Nur", "Eka", "Sri", "Ayu", "Dewi", "Rahma", "Putri"]
FAMILY_NAMES = [
    "Saputra", "Saputri", "Hidayat", "Hasibuan", "Harahap", "Siregar", "Nasution", "Lubis", "Rahman", "Kurniawan",
    "Wijaya", "Pratama", "Setiawan", "Santoso", "Susanto", "Gunawan", "Hakim", "Ramadhan", "Syahputra", "Effendi",
    "Hasan", "Ibrahim", "Idris", "Ismail", "Munir", "Nasir", "Rasyid", "Sulaiman", "Yunus", "Zakaria", "Sinaga",
    "Simanjuntak", "Pane", "Tanjung", "Chaniago", "Piliang", "Koto", "Sembiring", "Wibowo", "Prasetyo", "Utami",
    "Anggraini", "Purnama", "Permata", "Fitriani", "Handayani", "Maharani", "Oktaviani", "Wahyuni", "Yulianti",
]  # fmt: skip
BIRTH_PLACES = [
    "Jambi", "Jambi", "Jambi", "Muara Bulian", "Sengeti", "Muara Bungo", "Bangko", "Sarolangun", "Kuala Tungkal",
    "Muara Sabak", "Muara Tebo", "Sungai Penuh", "Padang", "Palembang", "Medan", "Pekanbaru", "Bukittinggi",
    "Yogyakarta", "Bengkulu", "Jakarta",
]  # fmt: skip
DEGREES_S1 = ["S.E.", "S.H.", "S.Sos.", "S.Kom.", "S.Pd.", "S.T.", "S.IP.", "S.Ak.", "S.P.", "S.Hut."]
DEGREES_BY_SECTOR = {
    "pendidikan": ["S.Pd.", "S.Pd.", "S.Pd.I.", "S.Si."],
    "kesehatan": ["S.Kep., Ns.", "S.K.M.", "S.Farm., Apt.", "A.Md.Kep.", "A.Md.Keb."],
    "pertanian": ["S.P.", "S.Hut.", "S.Pi."],
    "keuangan": ["S.E.", "S.Ak.", "S.E."],
    "informatika": ["S.Kom.", "S.T.", "S.Kom."],
}
MASTERS = ["M.Si.", "M.M.", "M.Pd.", "M.H.", "M.Kes.", "M.A.P.", "M.T."]

POSITIONS_BY_SECTOR = {
    "pendidikan": ["Guru", "Guru", "Guru", "Pengawas Sekolah", "Pamong Belajar"],
    "kesehatan": ["Perawat", "Bidan", "Dokter", "Apoteker", "Epidemiolog Kesehatan", "Nutrisionis"],
    "pertanian": ["Penyuluh Pertanian", "Pengendali Organisme Pengganggu Tumbuhan", "Penyuluh Kehutanan"],
    "teknik": ["Teknik Jalan dan Jembatan", "Penata Ruang", "Pengendali Dampak Lingkungan"],
    "informatika": ["Pranata Komputer", "Statistisi", "Pranata Hubungan Masyarakat"],
    "keuangan": ["Analis Keuangan Pusat dan Daerah", "Penata Kelola Barang Milik Daerah"],
    "kepegawaian": ["Analis Sumber Daya Manusia Aparatur", "Asesor Sumber Daya Manusia Aparatur"],
    "kediklatan": ["Widyaiswara", "Analis Sumber Daya Manusia Aparatur"],
    "pengawasan": ["Auditor", "Pengawas Penyelenggaraan Urusan Pemerintahan di Daerah"],
    "perencanaan": ["Perencana", "Analis Kebijakan"],
    "arsip": ["Arsiparis", "Pustakawan"],
}
GENERAL_FUNCTIONAL = ["Analis Kebijakan", "Perencana", "Pranata Komputer", "Arsiparis", "Analis Hukum"]
SKILLED_BY_SECTOR = {
    "kesehatan": ["Perawat", "Bidan", "Pranata Laboratorium Kesehatan", "Asisten Apoteker"],
    "pertanian": ["Penyuluh Pertanian", "Pengendali Organisme Pengganggu Tumbuhan"],
    "informatika": ["Pranata Komputer"],
    "teknik": ["Teknik Jalan dan Jembatan", "Pengawas Lingkungan Hidup"],
}
SKILLED_GENERAL = ["Arsiparis", "Pranata Komputer", "Pengelola Pengadaan Barang/Jasa"]
SKILLED_LEVELS = ["Terampil", "Mahir", "Penyelia"]
PELAKSANA = [
    "Pengadministrasi Perkantoran", "Penata Layanan Operasional", "Pengolah Data dan Informasi",
    "Pengelola Layanan Operasional", "Operator Layanan Operasional", "Pengelola Keuangan", "Arsiparis Pelaksana",
    "Pengadministrasi Umum", "Pengemudi", "Petugas Keamanan",
]  # fmt: skip
PENGAWAS = ["Kepala Subbagian Umum dan Kepegawaian", "Kepala Subbagian Keuangan", "Kepala Seksi", "Kepala Subbidang"]
ADMINISTRATOR = ["Kepala Bidang", "Sekretaris", "Kepala Bagian"]
GOLONGAN = list(PANGKAT_BY_GOLONGAN)  # I/a … IV/e, in rank order

PPPK_SHARE = 0.18
# (jabatan type, weight) for PNS; PPPK are functional or pelaksana only.
PNS_POSITION_MIX = [
    (JabatanType.PELAKSANA, 42),
    (JabatanType.FUNGSIONAL, 43),
    (JabatanType.PENGAWAS, 10),
    (JabatanType.ADMINISTRATOR, 4),
    (JabatanType.JPT_PRATAMA, 1),
]


@dataclass(frozen=True)
class PersonSpec:
    nip: str
    employment_type: str
    full_name: str
    first_name: str
    last_name: str
    gender: str
    birth_place: str
    birth_date: date
    golongan: str
    pppk_grade: str
    jabatan_type: str
    jabatan_name: str
    unit_code: str
    phone: str


class PeoplePlanner:
    """Generates ASN one by one from its own random stream; NIPs are unique and avoid ``taken``."""

    def __init__(
        self, *, seed: int, units: list[UnitSpec], today: date, taken: set[str] | None = None, stream: str = "people"
    ):
        self.rng = random.Random(f"seed-scale:{seed}:{stream}")
        self.today = today
        self.taken = taken if taken is not None else set()
        self.sequences: Counter[str] = Counter()
        placed = [spec for spec in units if spec.weight > 0]
        self.unit_codes = [spec.code for spec in placed]
        self.unit_sector = {spec.code: spec.sector for spec in placed}
        self.cum_weights = []
        total = 0.0
        for spec in placed:
            total += spec.weight
            self.cum_weights.append(total)
        self.position_types = [kind for kind, _weight in PNS_POSITION_MIX]
        self.position_cum = []
        running = 0
        for _kind, weight in PNS_POSITION_MIX:
            running += weight
            self.position_cum.append(running)

    def _unit(self) -> str:
        rng = self.rng
        return self.unit_codes[bisect(self.cum_weights, rng.random() * self.cum_weights[-1])]

    def _number(self, prefix: str) -> str:
        """prefix (15 digits: birth, appointment, gender) + the next free sequence 001-999."""
        while True:
            self.sequences[prefix] += 1
            candidate = f"{prefix}{self.sequences[prefix]:03d}"
            if self.sequences[prefix] > 999:
                raise RuntimeError("NIP sequence exhausted")  # 999 people born the same day, same TMT
            if candidate not in self.taken:
                self.taken.add(candidate)
                return candidate

    def person(
        self,
        *,
        unit_code: str | None = None,
        jabatan: tuple[str, str] | None = None,
        golongan: str | None = None,
        employment_type: str | None = None,
    ) -> PersonSpec:
        rng = self.rng
        year = self.today.year
        unit_code = unit_code or self._unit()
        sector = self.unit_sector.get(unit_code, "umum")
        gender = "P" if rng.random() < (0.62 if sector in ("pendidikan", "kesehatan") else 0.42) else "L"
        if employment_type is None:
            employment_type = EmploymentType.PPPK if rng.random() < PPPK_SHARE else EmploymentType.PNS
        age = 23 + int(rng.triangular(0, 35, 16))  # 23-57, most around 40
        birth = date(year - age, rng.randint(1, 12), rng.randint(1, 28))
        gender_digit = "1" if gender == "L" else "2"
        if employment_type == EmploymentType.PNS:
            tmt_year = min(birth.year + rng.randint(21, 32), year - 1)
            nip = self._number(f"{birth:%Y%m%d}{tmt_year:04d}{rng.randint(1, 12):02d}{gender_digit}")
            service = year - tmt_year
        else:
            tmt_year = rng.choice([2019, 2021, 2022, 2022, 2023, 2023, 2024, 2024, 2025])
            tmt_year = min(max(tmt_year, birth.year + 20), year - 1)
            nip = self._number(f"{birth:%Y%m%d}{tmt_year:04d}21{gender_digit}")  # 21: contract code (unverified)
            service = year - tmt_year

        # Education: S1 most, diploma/SMA for many pelaksana.
        schooling = rng.random()
        degree_level = "s1" if schooling < 0.62 else ("d3" if schooling < 0.8 else "sma")
        if sector in ("pendidikan",) and degree_level == "sma":
            degree_level = "s1"
        if jabatan is None:
            if employment_type == EmploymentType.PPPK:
                kind = JabatanType.FUNGSIONAL if rng.random() < 0.7 else JabatanType.PELAKSANA
            else:
                kind = self.position_types[bisect(self.position_cum, rng.random() * self.position_cum[-1])]
            if kind in (JabatanType.PENGAWAS, JabatanType.ADMINISTRATOR, JabatanType.JPT_PRATAMA):
                degree_level = "s1"
        else:
            kind, degree_level = jabatan[0], "s1"
        masters = degree_level == "s1" and (
            kind in (JabatanType.ADMINISTRATOR, JabatanType.JPT_PRATAMA) or rng.random() < 0.12
        )

        # Rank: a start by education, one step every four years, capped by position.
        pppk_grade = ""
        if employment_type == EmploymentType.PNS:
            if golongan is None:
                start = {"s1": GOLONGAN.index("III/a"), "d3": GOLONGAN.index("II/c"), "sma": GOLONGAN.index("II/a")}
                cap = {
                    JabatanType.JPT_PRATAMA: GOLONGAN.index("IV/c"),
                    JabatanType.ADMINISTRATOR: GOLONGAN.index("IV/b"),
                    JabatanType.PENGAWAS: GOLONGAN.index("IV/a"),
                }.get(kind, GOLONGAN.index("IV/b") if degree_level == "s1" else GOLONGAN.index("III/d"))
                floor_rank = {
                    JabatanType.JPT_PRATAMA: GOLONGAN.index("IV/b"),
                    JabatanType.ADMINISTRATOR: GOLONGAN.index("III/d"),
                    JabatanType.PENGAWAS: GOLONGAN.index("III/b"),
                }.get(kind, 0)
                golongan = GOLONGAN[max(floor_rank, min(start[degree_level] + service // 4, cap))]
        else:
            golongan = ""
            pppk_grade = {"s1": rng.choice(["IX", "IX", "X", "XI"]), "d3": "VII", "sma": "V"}[degree_level]

        if jabatan is None:
            jabatan_name = self._jabatan_name(
                kind, sector, golongan=golongan, pppk_grade=pppk_grade, degree_level=degree_level
            )
        else:
            jabatan_name = jabatan[1]

        first = rng.choice(FIRST_NAMES_M if gender == "L" else FIRST_NAMES_F)
        middle = rng.choice(MIDDLE_NAMES_M if gender == "L" else MIDDLE_NAMES_F)
        family = rng.choice(FAMILY_NAMES)
        given = f"{first} {middle}".strip()
        name = f"{given} {family}"
        if degree_level == "s1":
            degree = rng.choice(DEGREES_BY_SECTOR.get(sector, DEGREES_S1))
            if sector == "kesehatan" and kind == JabatanType.FUNGSIONAL and jabatan_name.startswith("Dokter"):
                name, degree = f"dr. {name}", ""
            if masters:
                degree = f"{degree}, {rng.choice(MASTERS)}" if degree else rng.choice(MASTERS)
            full_name = f"{name}, {degree}" if degree else name
        elif degree_level == "d3":
            full_name = f"{name}, {rng.choice(['A.Md.', 'A.Md.Kep.', 'A.Md.Keb.', 'A.Md.Ak.'])}"
        else:
            full_name = name
        if kind == JabatanType.JPT_PRATAMA and rng.random() < 0.3:
            full_name = f"Dr. {full_name}"
        return PersonSpec(
            nip=nip,
            employment_type=employment_type,
            full_name=full_name,
            first_name=given,
            last_name=family,
            gender=gender,
            birth_place=rng.choice(BIRTH_PLACES),
            birth_date=birth,
            golongan=golongan,
            pppk_grade=pppk_grade,
            jabatan_type=kind,
            jabatan_name=jabatan_name,
            unit_code=unit_code,
            phone=f"08{rng.randint(1_100_000_000, 1_399_999_999)}",
        )

    def _jabatan_name(self, kind: str, sector: str, *, golongan: str, pppk_grade: str, degree_level: str) -> str:
        rng = self.rng
        if kind == JabatanType.PELAKSANA:
            return rng.choice(PELAKSANA)
        if kind == JabatanType.PENGAWAS:
            return rng.choice(PENGAWAS)
        if kind == JabatanType.ADMINISTRATOR:
            return rng.choice(ADMINISTRATOR)
        if kind == JabatanType.JPT_PRATAMA:
            return "Kepala Perangkat Daerah"
        if degree_level != "s1":  # skilled (keterampilan) functional positions
            return f"{rng.choice(SKILLED_BY_SECTOR.get(sector, SKILLED_GENERAL))} {rng.choice(SKILLED_LEVELS)}"
        base = rng.choice(POSITIONS_BY_SECTOR.get(sector, GENERAL_FUNCTIONAL))
        if golongan:
            rank = GOLONGAN.index(golongan)
            level = (
                "Ahli Pertama"
                if rank <= GOLONGAN.index("III/b")
                else ("Ahli Muda" if rank <= GOLONGAN.index("III/d") else "Ahli Madya")
            )
        else:
            level = {"IX": "Ahli Pertama", "X": "Ahli Pertama", "XI": "Ahli Muda"}.get(pppk_grade, "Ahli Pertama")
        return f"{base} {level}"

    def people(self, count: int) -> Iterator[PersonSpec]:
        for _index in range(count):
            yield self.person()


# --------------------------------------------------------------------------------------------
# Courses

_TEKNIS, _MANAJERIAL, _SOSIAL = CompetencyKind.TEKNIS, CompetencyKind.MANAJERIAL, CompetencyKind.SOSIAL_KULTURAL
_ONLINE, _CLASSROOM = TrainingMode.NON_KLASIKAL, TrainingMode.KLASIKAL
# (topic, category, competency kind, training mode, JP); the popular ones first.
COURSE_TOPICS = [
    ("Orientasi Nilai Dasar BerAKHLAK", "Manajemen ASN", _SOSIAL, _ONLINE, 8),
    ("Literasi Digital untuk ASN", "Teknologi Informasi", _TEKNIS, _ONLINE, 4),
    ("Pelayanan Publik Prima", "Pelayanan Publik", _TEKNIS, _ONLINE, 6),
    ("Manajemen Kinerja ASN", "Manajemen ASN", _MANAJERIAL, _ONLINE, 10),
    ("Pengadaan Barang/Jasa Pemerintah", "Keuangan dan Pengadaan", _TEKNIS, _CLASSROOM, 20),
    ("Etika dan Integritas ASN", "Manajemen ASN", _SOSIAL, _ONLINE, 4),
    ("Keamanan Informasi dan Pelindungan Data Pribadi", "Teknologi Informasi", _TEKNIS, _ONLINE, 6),
    ("Penanganan Pengaduan Masyarakat", "Pelayanan Publik", _TEKNIS, _ONLINE, 3),
    ("Kepemimpinan Pengawas", "Kepemimpinan", _MANAJERIAL, _CLASSROOM, 24),
    ("Penatausahaan Keuangan Daerah", "Keuangan dan Pengadaan", _TEKNIS, _ONLINE, 16),
    ("Sistem Pemerintahan Berbasis Elektronik", "Teknologi Informasi", _TEKNIS, _ONLINE, 12),
    ("Penulisan Naskah Dinas", "Administrasi Perkantoran", _TEKNIS, _ONLINE, 4),
    ("Coaching dan Mentoring di Tempat Kerja", "Kepemimpinan", _MANAJERIAL, _ONLINE, 12),
    ("Standar Pelayanan dan Survei Kepuasan Masyarakat", "Pelayanan Publik", _TEKNIS, _ONLINE, 6),
    ("Moderasi Beragama di Lingkungan Kerja", "Sosial Kultural", _SOSIAL, _ONLINE, 4),
    ("Penyusunan Anggaran Berbasis Kinerja", "Keuangan dan Pengadaan", _TEKNIS, _ONLINE, 12),
    ("Kearsipan Dinamis", "Administrasi Perkantoran", _TEKNIS, _ONLINE, 6),
    ("Manajemen Perubahan dan Inovasi Daerah", "Kepemimpinan", _MANAJERIAL, _CLASSROOM, 16),
    ("Pengarusutamaan Gender", "Sosial Kultural", _SOSIAL, _ONLINE, 3),
    ("Analisis Data dengan Lembar Kerja", "Teknologi Informasi", _TEKNIS, _ONLINE, 8),
    ("Pengelolaan Barang Milik Daerah", "Keuangan dan Pengadaan", _TEKNIS, _ONLINE, 10),
    ("Manajemen Risiko Pemerintah Daerah", "Kepemimpinan", _MANAJERIAL, _ONLINE, 8),
    ("Public Speaking untuk ASN", "Sosial Kultural", _SOSIAL, _ONLINE, 2),
    ("Mitigasi Bencana dan Kesiapsiagaan", "Pelayanan Publik", _TEKNIS, _ONLINE, 5),
    ("Penyusunan Kebijakan Publik", "Kepemimpinan", _MANAJERIAL, _ONLINE, 12),
    ("Keselamatan dan Kesehatan Kerja Perkantoran", "Administrasi Perkantoran", _TEKNIS, _ONLINE, 2),
]
MODULES = [
    ("Konsep dan Kebijakan", ["Pengantar {topic}", "Dasar Hukum dan Kebijakan", "Konsep Kunci dan Istilah"]),
    ("Penerapan di Perangkat Daerah", ["Studi Kasus di Provinsi Jambi", "Langkah Penerapan", "Menyusun Rencana Aksi"]),
]
LESSON_MINUTES = [10, 15, 20, 15, 25, 15]


@dataclass(frozen=True)
class CourseSpec:
    index: int
    title: str
    slug: str
    topic: str
    category: str
    competency_kind: str
    training_mode: str
    jp: int
    enrolment_mode: str
    pre_post: bool

    @property
    def required_items(self) -> int:
        lessons = sum(len(lessons) for _module, lessons in MODULES)
        return lessons + 1 + (1 if self.pre_post else 0)  # + final quiz (+ post-test; the pre-test is optional)


def course_plan(count: int) -> list[CourseSpec]:
    """The scale courses: topic cycles through COURSE_TOPICS, each round a later intake (angkatan)."""
    specs = []
    for index in range(count):
        topic, category, kind, mode, jp = COURSE_TOPICS[index % len(COURSE_TOPICS)]
        intake = (index // len(COURSE_TOPICS)) * 3 + 1 + index % 3  # unique per topic
        title = f"{topic} Angkatan {intake}"
        if index % 7 == 5:
            enrolment_mode = EnrolmentMode.REQUEST
        elif index % 7 == 6:
            enrolment_mode = EnrolmentMode.ASSIGNED
        else:
            enrolment_mode = EnrolmentMode.OPEN
        specs.append(
            CourseSpec(
                index=index,
                title=title,
                slug=slugify(title.replace("/", " ")),
                topic=topic,
                category=category,
                competency_kind=kind,
                training_mode=mode,
                jp=jp,
                enrolment_mode=enrolment_mode,
                pre_post=index % 4 == 3,
            )
        )
    return specs


# --------------------------------------------------------------------------------------------
# Learning: enrolments, lesson progress, quiz attempts, JP


@dataclass(frozen=True, slots=True)
class LessonEvent:
    lesson: int  # 0-5, in course order
    started_at: datetime
    last_seen_at: datetime
    completed_at: datetime | None
    seconds: int


@dataclass(frozen=True, slots=True)
class AttemptEvent:
    started_at: datetime
    submitted_at: datetime
    raw_mark: int  # out of QUIZ_MAX_MARK


@dataclass(frozen=True, slots=True)
class QuizEvent:
    role: str  # "final", "pre" or "post"
    attempts: tuple[AttemptEvent, ...]


@dataclass(frozen=True, slots=True)
class EnrolmentPlan:
    person: int  # index in the order people were generated
    course: int  # index in course_plan()
    status: str
    source: str
    progress_status: str
    required_items: int
    done_items: int
    percent: int
    requested_at: datetime | None
    enrolled_at: datetime | None
    started_at: datetime | None
    completed_at: datetime | None
    last_activity_at: datetime | None
    withdrawn_at: datetime | None
    decided: bool  # assigned or approved by someone (skala_admin)
    lessons: tuple[LessonEvent, ...]
    quizzes: tuple[QuizEvent, ...]


class LearningPlanner:
    """Plans each person's enrolments from its own random stream, the same whatever the chunk size.

    Progress mix over all enrolments: about 30 % completed, 45 % in progress, 25 % not started, with
    people differing in diligence (a fifth complete most of what they start, a third hardly anything)
    so that JP per person spreads from 0 to well over 20.
    """

    # (share of people, chance that an enrolment is completed)
    DILIGENCE = [(0.2, 0.6), (0.5, 0.3), (0.3, 0.1)]
    IN_PROGRESS_OF_REST = 0.45 / 0.70
    CURRENT_YEAR_COMPLETIONS = 0.55
    NEW_YEAR_NIGHT = 0.005  # of current-year completions: 1 January, 00:00-06:59 WIB (UTC: still last year)

    def __init__(self, *, seed: int, courses: list[CourseSpec], enrolments_per_person: int, today: date, now: datetime):
        self.rng = random.Random(f"seed-scale:{seed}:learning")
        self.courses = courses
        self.per_person = min(enrolments_per_person, len(courses))
        self.year = today.year
        self.previous_start = datetime(self.year - 1, 1, 1, tzinfo=WIB)
        self.current_start = datetime(self.year, 1, 1, tzinfo=WIB)
        today_start = datetime(today.year, today.month, today.day, tzinfo=WIB)
        # Dates stop at the start of today (a stable anchor for the day); on 1 January, at now.
        self.current_end = today_start if today_start > self.current_start else max(now, self.current_start)
        # Popular courses first: weight 1 / (1 + 0.15 × index).
        self.course_cum = []
        running = 0.0
        for spec in courses:
            running += 1 / (1 + 0.15 * spec.index)
            self.course_cum.append(running)

    # --- time ---------------------------------------------------------------------------------

    def _moment(self, *, current: bool) -> datetime:
        """A moment in the previous year or in the current year up to the anchor, mostly 07:00-22:00 WIB."""
        rng = self.rng
        start, end = (self.current_start, self.current_end) if current else (self.previous_start, self.current_start)
        days = (end - start).days
        if days < 1:
            return start + (end - start) * rng.random()
        day = start + timedelta(days=rng.randrange(days))
        return day + timedelta(seconds=rng.randint(7 * 3600, 22 * 3600))

    def _completion_moment(self) -> datetime:
        rng = self.rng
        if rng.random() < self.CURRENT_YEAR_COMPLETIONS:
            if rng.random() < self.NEW_YEAR_NIGHT and self.current_end - self.current_start > timedelta(hours=7):
                return self.current_start + timedelta(seconds=rng.randint(0, 7 * 3600 - 1))
            return self._moment(current=True)
        return self._moment(current=False)

    # --- plan ---------------------------------------------------------------------------------

    def _courses_for_person(self) -> list[int]:
        rng = self.rng
        count = sum(1 for _slot in range(self.per_person) if rng.random() >= 0.02)
        chosen: list[int] = []
        total = self.course_cum[-1]
        while len(chosen) < count:
            index = bisect(self.course_cum, rng.random() * total)
            if index not in chosen:
                chosen.append(index)
        return chosen

    def person(self, person: int) -> list[EnrolmentPlan]:
        rng = self.rng
        roll = rng.random()
        completion_chance = self.DILIGENCE[-1][1]
        for share, chance in self.DILIGENCE:
            if roll < share:
                completion_chance = chance
                break
            roll -= share
        return [self._enrolment(person, course, completion_chance) for course in self._courses_for_person()]

    def _enrolment(self, person: int, course_index: int, completion_chance: float) -> EnrolmentPlan:
        rng = self.rng
        course = self.courses[course_index]
        required = course.required_items
        roll = rng.random()
        if roll < completion_chance:
            progress = ProgressStatus.COMPLETED
        elif rng.random() < self.IN_PROGRESS_OF_REST:
            progress = ProgressStatus.IN_PROGRESS
        else:
            progress = ProgressStatus.NOT_STARTED

        # How they got in.
        mode = course.enrolment_mode
        assigned = mode == EnrolmentMode.ASSIGNED or rng.random() < 0.3
        if assigned:
            source = EnrolmentSource.ASSIGNED
        elif mode == EnrolmentMode.REQUEST:
            source = EnrolmentSource.REQUEST
        else:
            source = EnrolmentSource.SELF
        status = EnrolmentStatus.ACTIVE
        if progress != ProgressStatus.COMPLETED:
            if source == EnrolmentSource.REQUEST and rng.random() < 0.12:
                status, progress = EnrolmentStatus.REQUESTED, ProgressStatus.NOT_STARTED
            elif source == EnrolmentSource.SELF and rng.random() < 0.04:
                status = EnrolmentStatus.WITHDRAWN

        if status == EnrolmentStatus.REQUESTED:  # waiting for a trainer: no progress, not enrolled yet
            return EnrolmentPlan(
                person=person,
                course=course_index,
                status=status,
                source=source,
                progress_status=progress,
                required_items=required,
                done_items=0,
                percent=0,
                requested_at=self._moment(current=rng.random() < 0.85),
                enrolled_at=None,
                started_at=None,
                completed_at=None,
                last_activity_at=None,
                withdrawn_at=None,
                decided=False,
                lessons=(),
                quizzes=(),
            )

        if progress == ProgressStatus.NOT_STARTED:
            enrolled_at = self._moment(current=rng.random() < 0.75)
            done, lessons, quizzes, started_at, last_activity = 0, (), (), None, enrolled_at
            completed_at = None
        else:
            if progress == ProgressStatus.COMPLETED:
                done = required
                end = self._completion_moment()
                span = timedelta(days=rng.randint(2, 45), seconds=rng.randint(0, 86_399))
            else:
                done = rng.randrange(required)
                end = self._moment(current=rng.random() < 0.85)
                span = timedelta(days=rng.randint(1, 40), seconds=rng.randint(0, 86_399))
            lessons, quizzes, started_at, last_activity = self._events(course, done, end - span, end)
            if progress == ProgressStatus.COMPLETED:
                last_activity = end
            completed_at = end if progress == ProgressStatus.COMPLETED else None
            enrolled_at = started_at - timedelta(days=rng.randint(0, 10), seconds=rng.randint(60, 86_399))
        requested_at = None
        if source == EnrolmentSource.REQUEST:
            requested_at = enrolled_at - timedelta(days=rng.randint(1, 7), seconds=rng.randint(0, 86_399))
        withdrawn_at = None
        if status == EnrolmentStatus.WITHDRAWN:
            room = self.current_end - last_activity
            withdrawn_at = last_activity + min(timedelta(days=rng.randint(1, 30)), room)
        percent = 100 if progress == ProgressStatus.COMPLETED else min(done * 100 // required, 99)
        return EnrolmentPlan(
            person=person,
            course=course_index,
            status=status,
            source=source,
            progress_status=progress,
            required_items=required,
            done_items=done,
            percent=percent,
            requested_at=requested_at,
            enrolled_at=enrolled_at,
            started_at=started_at,
            completed_at=completed_at,
            last_activity_at=last_activity,
            withdrawn_at=withdrawn_at,
            decided=source in (EnrolmentSource.ASSIGNED, EnrolmentSource.REQUEST),
            lessons=lessons,
            quizzes=quizzes,
        )

    def _events(self, course: CourseSpec, done: int, start: datetime, end: datetime):
        """Lesson and quiz events for ``done`` required items done in order, spread from start to end.

        The last event ends at ``end`` (for a completed course: the pass that completed it).
        Returns (lessons, quizzes, the start of the first event, the end of the last).
        """
        rng = self.rng
        lesson_count = len(LESSON_MINUTES)
        pre_test = course.pre_post and rng.random() < 0.9
        # The steps, in order: ("pre"), lessons done, then either the lesson in progress or a quiz.
        steps: list[tuple[str, int]] = [("pre", 0)] if pre_test else []
        steps += [("lesson", index) for index in range(min(done, lesson_count))]
        if done < lesson_count:
            steps.append(("lesson_open", done))
        else:
            if done > lesson_count:
                steps.append(("final", 1))  # passed
            elif rng.random() < 0.6:
                steps.append(("final", 0))  # tried, not passed yet
            if course.pre_post:
                if done > lesson_count + 1:
                    steps.append(("post", 1))
                elif done == lesson_count + 1 and rng.random() < 0.5:
                    steps.append(("post", 0))
        gap = (end - start) / len(steps)
        lessons: list[LessonEvent] = []
        quizzes: list[QuizEvent] = []
        first_start: datetime | None = None
        pre_raw = None
        for position, (kind, value) in enumerate(steps, start=1):
            moment = start + gap * position  # the last one is ``end``, give or take microseconds of rounding
            if kind in ("lesson", "lesson_open"):
                seconds = int(LESSON_MINUTES[value] * 60 * rng.uniform(0.6, 1.8))
                if kind == "lesson":
                    event = LessonEvent(value, moment - timedelta(seconds=seconds), moment, moment, seconds)
                else:
                    seconds //= rng.randint(2, 5)
                    event = LessonEvent(value, moment - timedelta(seconds=seconds), moment, None, seconds)
                lessons.append(event)
                first_start = first_start or event.started_at
                continue
            if kind == "pre":
                pre_raw = rng.randint(3, 15)  # a baseline: most do not reach 70 %
                marks = [pre_raw]
            elif value:  # passed, after 0-2 failed tries
                failed = rng.choices([0, 1, 2], weights=[65, 25, 10])[0]
                if kind == "post" and pre_raw is not None:
                    final = min(QUIZ_MAX_MARK, max(PASS_RAW, pre_raw + rng.randint(2, 8)))
                else:
                    final = rng.randint(PASS_RAW, QUIZ_MAX_MARK)
                marks = [rng.randint(6, PASS_RAW - 1) for _try in range(failed)] + [final]
            else:  # tried and not passed yet
                marks = [rng.randint(5, PASS_RAW - 1) for _try in range(rng.randint(1, 2))]
            attempts = []
            submitted = moment
            for raw in reversed(marks):  # backwards from the last submission, retakes 20-40 minutes apart
                duration = timedelta(seconds=rng.randint(300, 1200))
                attempts.append(AttemptEvent(submitted - duration, submitted, raw))
                submitted = submitted - duration - timedelta(seconds=rng.randint(1200, 2400))
            attempts.reverse()
            quizzes.append(QuizEvent(kind, tuple(attempts)))
            first_start = first_start or attempts[0].started_at
        return tuple(lessons), tuple(quizzes), first_start, start + gap * len(steps)


# --------------------------------------------------------------------------------------------
# Writing


@dataclass
class ScaleSummary:
    """Counts of what ``seed_scale`` wrote (or found, when ``already_present``) and seconds per phase."""

    units: int = 0
    people: int = 0
    courses: int = 0
    pages: int = 0
    enrolments: int = 0
    lesson_progress: int = 0
    attempts: int = 0
    quiz_results: int = 0
    jp_credits: int = 0
    already_present: bool = False
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


@dataclass
class _Course:
    """What the learning writer needs of a created course: ids and titles."""

    spec: CourseSpec
    id: int
    lessons: list[tuple[int, str]]
    final_quiz: tuple[int, str]
    pre_test: tuple[int, str] | None
    post_test: tuple[int, str] | None
    pages: int  # pages created for it, the course page included


def _write(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message + "\n")


def _bulk(model, objects: list, key: str | None = None) -> None:
    """bulk_create; with ``key``, make sure the objects have their ids (PostgreSQL, SQLite 3.35+ return them)."""
    if not objects:
        return
    model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
    if key and objects[0].pk is None:
        values = [getattr(obj, key) for obj in objects]
        ids = {}
        for start in range(0, len(values), 500):
            ids.update(model.objects.filter(**{f"{key}__in": values[start : start + 500]}).values_list(key, "pk"))
        for obj in objects:
            obj.pk = ids[getattr(obj, key)]


def _forget_queries() -> None:
    """With DEBUG on, Django keeps the last 9,000 statements, megabytes each for a bulk INSERT: drop them
    per chunk, unless someone is counting queries (``CaptureQueriesContext`` forces the debug cursor)."""
    if not connection.force_debug_cursor:
        connection.queries_log.clear()


def existing_summary() -> ScaleSummary | None:
    """The counts of scale data already in the database, or None when there is none."""
    if not UnitKerja.objects.filter(code=MARKER_CODE).exists():
        return None
    profiles = ASNProfile.objects.filter(unit__code__startswith=CODE_PREFIX).exclude(
        user__username__in=[SUPERVISOR_USERNAME, TRAINER_USERNAME]
    )
    enrolments = Enrolment.objects.filter(user__asn_profile__unit__code__startswith=CODE_PREFIX)
    return ScaleSummary(
        units=UnitKerja.objects.filter(code__startswith=CODE_PREFIX).count(),
        people=profiles.count(),
        courses=enrolments.values("course_id").distinct().count(),
        enrolments=enrolments.count(),
        already_present=True,
    )


def _write_units(specs: list[UnitSpec]) -> dict[str, int]:
    last_root = UnitKerja.get_last_root_node()
    after = _step_number(last_root.path[: UnitKerja.steplen]) if last_root is not None else 0
    assign_paths(specs, after_root_step=after)
    units = [
        UnitKerja(
            code=spec.code, name=spec.name, kind=spec.kind, path=spec.path, depth=spec.depth, numchild=spec.numchild
        )
        for spec in specs
    ]
    _bulk(UnitKerja, units, key="code")
    return {unit.code: unit.pk for unit in units}


def _groups() -> dict[str, Group]:
    groups = {group.name: group for group in Group.objects.filter(name__in=roles.ROLES)}
    if len(groups) < len(roles.ROLES):
        roles.sync_roles()
        groups = {group.name: group for group in Group.objects.filter(name__in=roles.ROLES)}
    return groups


def _account(username: str, *, password_hash: str, groups: list[Group], **defaults):
    user_model = get_user_model()
    user, _created = user_model.objects.get_or_create(
        username=username, defaults={"password": password_hash, **defaults}
    )
    user.groups.add(*groups)
    return user


def _profile(user, spec: PersonSpec, unit_ids: dict[str, int]) -> ASNProfile:
    profile = ASNProfile.objects.filter(user=user).first()
    if profile is None:
        profile = ASNProfile.objects.create(user=user, unit_id=unit_ids[spec.unit_code], **_profile_fields(spec))
    return profile


def _profile_fields(spec: PersonSpec) -> dict:
    return {
        "employment_type": spec.employment_type,
        "nip": spec.nip,
        "full_name": spec.full_name,
        "gender": spec.gender,
        "birth_place": spec.birth_place,
        "birth_date": spec.birth_date,
        "golongan": spec.golongan,
        "pppk_grade": spec.pppk_grade,
        "jabatan_type": spec.jabatan_type,
        "jabatan_name": spec.jabatan_name,
        "phone": spec.phone,
    }


def _catalogue() -> CourseIndexPage:
    index = CourseIndexPage.objects.order_by("path").first()
    if index is not None:
        return index
    from lms.models import HomePage

    home = HomePage.objects.order_by("path").first()
    if home is None:
        raise RuntimeError(_("There is no home page to put the course catalogue under. Run migrate first."))
    index = CourseIndexPage(
        title="Katalog Kursus",
        slug="katalog",
        intro="<p>Kursus belajar mandiri untuk ASN Provinsi Jambi. Selesaikan kursus untuk mengumpulkan JP.</p>",
    )
    home.add_child(instance=index)
    return index


def _write_courses(specs: list[CourseSpec], *, trainer, published_at: datetime) -> tuple[list[_Course], int]:
    """The course pages, one by one through Wagtail's page API (the only row-by-row part)."""
    # Wagtail logs every page created at INFO: 480 lines of noise on the console.
    wagtail_logger = logging.getLogger("wagtail")
    previous_level = wagtail_logger.level
    wagtail_logger.setLevel(logging.WARNING)
    try:
        index = _catalogue()
        categories = {}
        for name in dict.fromkeys(spec.category for spec in specs):
            categories[name], _created = CourseCategory.objects.get_or_create(
                name=name, defaults={"slug": slugify(name)}
            )
        courses = _add_course_pages(specs, index=index, categories=categories, published_at=published_at)
    finally:
        wagtail_logger.setLevel(previous_level)
    if trainer is not None:
        through = CoursePage.trainers.through
        through.objects.bulk_create(
            [through(coursepage_id=course.id, user_id=trainer.pk) for course in courses[:3]], ignore_conflicts=True
        )
    return courses, sum(course.pages for course in courses)


def _add_course_pages(specs, *, index, categories, published_at) -> list[_Course]:
    pages = 0
    live = {"live": True, "first_published_at": published_at, "last_published_at": published_at}

    def add(parent, page):
        nonlocal pages
        parent.add_child(instance=page)
        pages += 1
        return page

    courses = []
    for spec in specs:
        course = add(
            index,
            CoursePage(
                title=spec.title,
                slug=spec.slug,
                summary=(
                    f"Pelatihan {spec.topic.lower()} bagi ASN di lingkungan pemerintah daerah se-Provinsi Jambi, "
                    f"belajar mandiri dengan kuis akhir. Bobot {spec.jp} JP."
                ),
                learning_objectives=(
                    f"<ul><li>Menjelaskan konsep dan dasar hukum {spec.topic.lower()}.</li>"
                    "<li>Menerapkannya dalam pekerjaan di perangkat daerah.</li>"
                    "<li>Menyusun rencana aksi di unit kerja.</li></ul>"
                ),
                category=categories[spec.category],
                competency_kind=spec.competency_kind,
                training_mode=spec.training_mode,
                jp_value=spec.jp,
                enrolment_mode=spec.enrolment_mode,
                **live,
            ),
        )
        pre_test = None
        if spec.pre_post:
            pre_test = add(
                course,
                QuizPage(
                    title=f"Pre-test {spec.title}",
                    slug="pre-test",
                    required=False,
                    quiz_role=QuizRole.PRETEST,
                    pass_mark=PASS_MARK,
                    **live,
                ),
            )
        lessons: list[tuple[int, str]] = []
        final_quiz = None
        for module_number, (module_title, lesson_titles) in enumerate(MODULES, start=1):
            module = add(
                course,
                ModulePage(
                    title=f"Modul {module_number}: {module_title}",
                    slug=f"modul-{module_number}",
                    intro=f"<p>Modul ini membahas {module_title.lower()} {spec.topic.lower()}.</p>",
                    **live,
                ),
            )
            for lesson_title in lesson_titles:
                title = lesson_title.format(topic=spec.topic)
                minutes = LESSON_MINUTES[len(lessons)]
                lesson = add(
                    module,
                    LessonPage(
                        title=title,
                        slug=f"materi-{len(lessons) + 1}",
                        body=[("paragraph", RichText(f"<p>{title}: materi {spec.topic.lower()} untuk ASN.</p>"))],
                        estimated_minutes=minutes,
                        required=True,
                        **live,
                    ),
                )
                lessons.append((lesson.pk, title))
            if module_number == len(MODULES):
                final_quiz = add(
                    module,
                    QuizPage(
                        title=f"Evaluasi Akhir {spec.topic}",
                        slug="evaluasi-akhir",
                        required=True,
                        pass_mark=PASS_MARK,
                        **live,
                    ),
                )
        post_test = None
        if spec.pre_post:
            post_test = add(
                course,
                QuizPage(
                    title=f"Post-test {spec.title}",
                    slug="post-test",
                    required=True,
                    quiz_role=QuizRole.POSTTEST,
                    paired_pretest=pre_test,
                    pass_mark=PASS_MARK,
                    **live,
                ),
            )
        courses.append(
            _Course(
                spec=spec,
                id=course.pk,
                lessons=lessons,
                final_quiz=(final_quiz.pk, final_quiz.title),
                pre_test=(pre_test.pk, pre_test.title) if pre_test else None,
                post_test=(post_test.pk, post_test.title) if post_test else None,
                pages=pages,
            )
        )
        pages = 0
    return courses


class _LearningWriter:
    """Turns EnrolmentPlans of one chunk of people into model rows and inserts them in bulk."""

    def __init__(self, courses: list[_Course], *, decided_by_id: int | None):
        self.courses = courses
        self.decided_by_id = decided_by_id
        self.counts = Counter()

    def write(self, plans: list[EnrolmentPlan], user_ids: dict[int, int]) -> None:
        enrolments, progress, attempts, results, credits = [], [], [], [], []
        for plan in plans:
            course = self.courses[plan.course]
            user_id = user_ids[plan.person]
            enrolments.append(
                Enrolment(
                    user_id=user_id,
                    course_id=course.id,
                    course_title=course.spec.title,
                    status=plan.status,
                    source=plan.source,
                    requested_at=plan.requested_at,
                    enrolled_at=plan.enrolled_at,
                    decided_by_id=self.decided_by_id if plan.decided else None,
                    withdrawn_at=plan.withdrawn_at,
                    progress_status=plan.progress_status,
                    percent=plan.percent,
                    required_items=plan.required_items,
                    done_items=plan.done_items,
                    started_at=plan.started_at,
                    completed_at=plan.completed_at,
                    last_activity_at=plan.last_activity_at,
                )
            )
            for event in plan.lessons:
                lesson_id, lesson_title = course.lessons[event.lesson]
                progress.append(
                    LessonProgress(
                        user_id=user_id,
                        lesson_id=lesson_id,
                        lesson_title=lesson_title,
                        started_at=event.started_at,
                        last_seen_at=event.last_seen_at,
                        marked_done_at=event.completed_at,
                        completed_at=event.completed_at,
                        time_spent_seconds=event.seconds,
                        version=1,
                    )
                )
            for quiz_event in plan.quizzes:
                quiz_id, quiz_title = {
                    "final": course.final_quiz,
                    "pre": course.pre_test,
                    "post": course.post_test,
                }[quiz_event.role]
                percents = []
                for number, attempt in enumerate(quiz_event.attempts, start=1):
                    percent = Decimal(attempt.raw_mark * 100 // QUIZ_MAX_MARK).quantize(Decimal("0.01"))
                    percents.append(percent)
                    attempts.append(
                        Attempt(
                            quiz_id=quiz_id,
                            quiz_title=quiz_title,
                            course_id=course.id,
                            user_id=user_id,
                            number=number,
                            state=AttemptState.FINISHED,
                            started_at=attempt.started_at,
                            submitted_at=attempt.submitted_at,
                            graded_at=attempt.submitted_at,
                            raw_mark=Decimal(attempt.raw_mark),
                            max_mark=Decimal(QUIZ_MAX_MARK),
                            percent=percent,
                            passed=percent >= PASS_MARK,
                        )
                    )
                grade = max(percents)  # grading method "highest", the QuizPage default
                passed = grade >= PASS_MARK
                results.append(
                    QuizResult(
                        quiz_id=quiz_id,
                        user_id=user_id,
                        course_id=course.id,
                        attempts_started=len(percents),
                        attempts_finished=len(percents),
                        grade_percent=grade,
                        first_percent=percents[0],
                        passed=passed,
                        passed_at=quiz_event.attempts[-1].submitted_at if passed else None,
                    )
                )
            if plan.completed_at is not None:
                credits.append(
                    JPCredit(
                        user_id=user_id,
                        course_id=course.id,
                        course_ref=course.id,
                        course_title=course.spec.title,
                        jp=course.spec.jp,
                        year=timezone.localtime(plan.completed_at, WIB).year,
                        credited_at=plan.completed_at,
                    )
                )
        for model, rows, name in (
            (Enrolment, enrolments, "enrolments"),
            (LessonProgress, progress, "lesson_progress"),
            (Attempt, attempts, "attempts"),
            (QuizResult, results, "quiz_results"),
            (JPCredit, credits, "jp_credits"),
        ):
            _bulk(model, rows)
            self.counts[name] += len(rows)


def seed_scale(
    *,
    people: int = 60_000,
    courses: int = 40,
    enrolments_per_person: int = 5,
    seed: int = 15,
    password: str = "Jambi2026!",  # noqa: S107 - benchmark accounts on a benchmark database
    stdout=None,
) -> ScaleSummary:
    """Generate the scale data set (see the module docstring). Does nothing when it is already there."""
    found = existing_summary()
    if found is not None:
        _write(
            stdout,
            _(
                "Scale data is already present (%(units)d work units, %(people)d ASN, %(enrolments)d enrolments in "
                "%(courses)d courses); nothing was changed."
            )
            % {"units": found.units, "people": found.people, "enrolments": found.enrolments, "courses": found.courses},
        )
        return found

    summary = ScaleSummary()
    today = timezone.localdate()
    now = timezone.now()
    clock = time.perf_counter

    with transaction.atomic():
        # Units.
        started = clock()
        specs = unit_plan()
        unit_ids = _write_units(specs)
        summary.units = len(specs)
        summary.seconds["units"] = clock() - started
        _write(
            stdout,
            _("Units: %(rows)d work units in %(seconds).1f s.")
            % {"rows": summary.units, "seconds": summary.seconds["units"]},
        )

        # Accounts (skala_supervisor comes after the people: it heads the largest OPD) and the NIPs taken.
        started = clock()
        groups = _groups()
        password_hash = make_password(password)  # hashed once: PBKDF2 takes a noticeable time
        user_model = get_user_model()
        taken = set(ASNProfile.objects.values_list("nip", flat=True))
        taken.update(name for name in user_model.objects.values_list("username", flat=True) if name.isdigit())
        staff_planner = PeoplePlanner(seed=seed, units=specs, today=today, taken=taken, stream="staff")
        admin = _account(
            ADMIN_USERNAME,
            password_hash=password_hash,
            groups=[groups[roles.ADMIN_BPSDM]],
            first_name="Admin",
            last_name="BPSDM (skala)",
            email="skala.admin@bpsdm.jambiprov.go.id",
        )
        bpsdm = next(s for s in specs if s.name == "Badan Pengembangan Sumber Daya Manusia")
        trainer_spec = staff_planner.person(
            unit_code=bpsdm.code,
            jabatan=(JabatanType.FUNGSIONAL, "Widyaiswara Ahli Madya"),
            golongan="IV/a",
            employment_type=EmploymentType.PNS,
        )
        trainer = _account(
            TRAINER_USERNAME,
            password_hash=password_hash,
            groups=[groups[roles.PENGAJAR], groups[roles.PESERTA]],
            first_name=trainer_spec.first_name,
            last_name=trainer_spec.last_name,
        )
        _profile(trainer, trainer_spec, unit_ids)
        summary.seconds["accounts"] = clock() - started
        _write(
            stdout,
            _("Accounts: %(admin)s and %(trainer)s in %(seconds).1f s.")
            % {"admin": ADMIN_USERNAME, "trainer": TRAINER_USERNAME, "seconds": summary.seconds["accounts"]},
        )

        # Courses: page by page.
        started = clock()
        course_specs = course_plan(courses)
        created_courses, summary.pages = _write_courses(
            course_specs, trainer=trainer, published_at=datetime(today.year - 1, 1, 2, 8, 0, tzinfo=WIB)
        )
        summary.courses = len(created_courses)
        summary.seconds["courses"] = clock() - started
        _write(
            stdout,
            _("Courses: %(courses)d courses, %(pages)d pages in %(seconds).1f s.")
            % {"courses": summary.courses, "pages": summary.pages, "seconds": summary.seconds["courses"]},
        )

        # People, in chunks.
        started = clock()
        planner = PeoplePlanner(seed=seed, units=specs, today=today, taken=taken)
        peserta = groups[roles.PESERTA]
        membership = user_model.groups.through
        unusable = make_password(None)  # one shared unusable password: learners sign in after a reset
        user_ids: list[int] = []
        members_per_opd: Counter[str] = Counter()
        opd_of = {spec.code: spec.opd_code for spec in specs}
        remaining = people
        while remaining > 0:
            chunk = [planner.person() for _index in range(min(CHUNK_PEOPLE, remaining))]
            remaining -= len(chunk)
            users = [
                user_model(
                    username=person.nip,
                    email=f"{person.nip}@asn.jambiprov.go.id",
                    password=unusable,
                    first_name=person.first_name,
                    last_name=person.last_name,
                )
                for person in chunk
            ]
            _bulk(user_model, users, key="username")
            profiles = [
                ASNProfile(user_id=user.pk, unit_id=unit_ids[person.unit_code], **_profile_fields(person))
                for user, person in zip(users, chunk, strict=True)
            ]
            _bulk(ASNProfile, profiles)
            _bulk(membership, [membership(user_id=user.pk, group_id=peserta.pk) for user in users])
            user_ids.extend(user.pk for user in users)
            _forget_queries()
            members_per_opd.update(opd_of[person.unit_code] for person in chunk)
        summary.people = len(user_ids)

        # The supervisor heads the largest OPD of the province.
        province_opds = [spec for spec in specs if spec.kind == UnitKind.OPD and spec.parent_code == MARKER_CODE]
        largest = max(province_opds, key=lambda spec: (members_per_opd[spec.code], spec.weight))
        supervisor_spec = staff_planner.person(
            unit_code=largest.code,
            jabatan=(JabatanType.JPT_PRATAMA, f"Kepala {largest.name}"),
            golongan="IV/c",
            employment_type=EmploymentType.PNS,
        )
        supervisor = _account(
            SUPERVISOR_USERNAME,
            password_hash=password_hash,
            groups=[groups[roles.SUPERVISOR], groups[roles.PESERTA]],
            first_name=supervisor_spec.first_name,
            last_name=supervisor_spec.last_name,
        )
        _profile(supervisor, supervisor_spec, unit_ids).supervised_units.add(unit_ids[largest.code])
        summary.seconds["people"] = clock() - started
        _write(
            stdout,
            _("People: %(rows)d ASN (and %(supervisor)s, head of %(unit)s) in %(seconds).1f s.")
            % {
                "rows": summary.people,
                "supervisor": SUPERVISOR_USERNAME,
                "unit": largest.name,
                "seconds": summary.seconds["people"],
            },
        )

        # Learning, in chunks of people.
        started = clock()
        learning = LearningPlanner(
            seed=seed, courses=course_specs, enrolments_per_person=enrolments_per_person, today=today, now=now
        )
        writer = _LearningWriter(created_courses, decided_by_id=admin.pk)
        for chunk_start in range(0, len(user_ids), CHUNK_PEOPLE):
            chunk = range(chunk_start, min(chunk_start + CHUNK_PEOPLE, len(user_ids)))
            plans = [plan for person in chunk for plan in learning.person(person)]
            writer.write(plans, user_ids={person: user_ids[person] for person in chunk})
            _forget_queries()
        for name in ("enrolments", "lesson_progress", "attempts", "quiz_results", "jp_credits"):
            setattr(summary, name, writer.counts[name])
        summary.seconds["learning"] = clock() - started
        _write(
            stdout,
            _(
                "Learning: %(enrolments)d enrolments, %(lessons)d lesson progress rows, %(attempts)d quiz attempts, "
                "%(results)d quiz results, %(credits)d JP credits in %(seconds).1f s."
            )
            % {
                "enrolments": summary.enrolments,
                "lessons": summary.lesson_progress,
                "attempts": summary.attempts,
                "results": summary.quiz_results,
                "credits": summary.jp_credits,
                "seconds": summary.seconds["learning"],
            },
        )
    _refresh_planner_statistics()
    return summary


def _refresh_planner_statistics() -> None:
    """After a bulk load PostgreSQL's planner still believes the tables are empty until autovacuum
    catches up, and picks nested loops over hundreds of thousands of rows: analyse them now."""
    if connection.vendor != "postgresql":
        return
    tables = [
        model._meta.db_table
        for model in (ASNProfile, UnitKerja, Enrolment, JPCredit, LessonProgress, Attempt, QuizResult)
    ]
    tables.append(get_user_model()._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(table) for table in tables))
