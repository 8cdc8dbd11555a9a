"""The organisation of the scale data: Jambi's instansi, their OPD and bidang, with tree paths."""

from __future__ import annotations

from dataclasses import dataclass

from people.models import UnitKerja, UnitKind
from scale.constants import CODE_PREFIX

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
