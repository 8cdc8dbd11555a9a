"""The ASN of the scale data: names, NIPs, ranks and positions, spread over the units."""

from __future__ import annotations

import random
from bisect import bisect
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from people.ranks import PANGKAT_BY_GOLONGAN, EmploymentType, JabatanType
from scale.units import UnitSpec

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
