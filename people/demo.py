"""Demo people for ``seed_demo``: Jambi's governments and OPD, ~50 ASN, trainer, supervisors, admin."""

import random
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from people import roles
from people.models import ASNProfile, UnitKerja, UnitKind
from people.ranks import PANGKAT_BY_GOLONGAN, JabatanType

DEMO_PASSWORD = "Jambi2026!"  # noqa: S105 - printed by `make run`; demo data only

PROVINCE = ("15", "Pemerintah Provinsi Jambi")
PROVINCE_OPD = [
    ("15.01", "Sekretariat Daerah", [("15.01.01", "Biro Umum"), ("15.01.02", "Biro Organisasi")]),
    (
        "15.02",
        "Badan Pengembangan Sumber Daya Manusia (BPSDM)",
        [("15.02.01", "Bidang Pengembangan Kompetensi Teknis"), ("15.02.02", "Bidang Sertifikasi Kompetensi")],
    ),
    (
        "15.03",
        "Dinas Kesehatan",
        [("15.03.01", "Bidang Pelayanan Kesehatan"), ("15.03.02", "Bidang Pencegahan dan Pengendalian Penyakit")],
    ),
    ("15.04", "Dinas Pendidikan", [("15.04.01", "Bidang Pembinaan SMA"), ("15.04.02", "Bidang Pembinaan SMK")]),
    ("15.05", "Inspektorat", [("15.05.01", "Inspektur Pembantu Wilayah I")]),
    ("15.06", "Badan Kepegawaian Daerah", [("15.06.01", "Bidang Mutasi dan Promosi")]),
]
SUB_UNITS = {"15.03.01": [("15.03.01.01", "Seksi Pelayanan Kesehatan Primer")]}
REGENCIES = [
    ("1501", "Pemerintah Kabupaten Kerinci"),
    ("1502", "Pemerintah Kabupaten Merangin"),
    ("1503", "Pemerintah Kabupaten Sarolangun"),
    ("1504", "Pemerintah Kabupaten Batanghari"),
    ("1505", "Pemerintah Kabupaten Muaro Jambi"),
    ("1506", "Pemerintah Kabupaten Tanjung Jabung Timur"),
    ("1507", "Pemerintah Kabupaten Tanjung Jabung Barat"),
    ("1508", "Pemerintah Kabupaten Tebo"),
    ("1509", "Pemerintah Kabupaten Bungo"),
    ("1571", "Pemerintah Kota Jambi"),
    ("1572", "Pemerintah Kota Sungai Penuh"),
]

FIRST_NAMES_M = [
    "Ahmad",
    "Budi",
    "Dedi",
    "Eko",
    "Fajar",
    "Hendra",
    "Irwan",
    "Joko",
    "Rudi",
    "Syahrial",
    "Taufik",
    "Yusuf",
]
FIRST_NAMES_F = [
    "Ani",
    "Dewi",
    "Fitri",
    "Indah",
    "Lestari",
    "Maya",
    "Nurhayati",
    "Putri",
    "Rina",
    "Siti",
    "Wulan",
    "Yanti",
]
LAST_NAMES = [
    "Saputra",
    "Harahap",
    "Siregar",
    "Hasibuan",
    "Rahman",
    "Kurniawan",
    "Wijaya",
    "Nasution",
    "Lubis",
    "Pratama",
]
TITLES_BEFORE = ["", "", "", "Dr. ", "dr. ", "Ir. "]
TITLES_AFTER = ["S.E.", "S.Sos.", "S.Kom.", "S.H.", "S.Pd.", "S.Kep., Ns.", "S.T.", "A.Md.", "M.Si.", "M.M."]
POSITIONS = [
    (JabatanType.PELAKSANA, "Pengelola Data"),
    (JabatanType.PELAKSANA, "Pengadministrasi Umum"),
    (JabatanType.FUNGSIONAL, "Analis Sumber Daya Manusia Aparatur Ahli Pertama"),
    (JabatanType.FUNGSIONAL, "Perawat Ahli Muda"),
    (JabatanType.FUNGSIONAL, "Guru Ahli Madya"),
    (JabatanType.FUNGSIONAL, "Auditor Ahli Muda"),
    (JabatanType.PENGAWAS, "Kepala Sub Bagian Umum"),
    (JabatanType.ADMINISTRATOR, "Kepala Bidang"),
]
GOLONGAN = list(PANGKAT_BY_GOLONGAN)


def make_nip(rng: random.Random, *, birth: date, gender: str, sequence: int) -> str:
    """A valid NIP: birth date, TMT CPNS at 22-30 years old (not in the future), gender, sequence."""
    tmt_year = min(birth.year + rng.randint(22, 30), 2024)
    tmt_month = rng.randint(1, 12)
    return f"{birth:%Y%m%d}{tmt_year:04d}{tmt_month:02d}{'1' if gender == 'L' else '2'}{sequence:03d}"


def _unit(code, name, kind, parent=None) -> UnitKerja:
    unit = UnitKerja.objects.filter(code=code).first()
    if unit is not None:
        return unit
    if parent is None:
        return UnitKerja.add_root(code=code, name=name, kind=kind)
    parent.refresh_from_db()  # numchild changes as siblings are added
    return parent.add_child(code=code, name=name, kind=kind)


def seed_units() -> dict[str, UnitKerja]:
    province = _unit(*PROVINCE, UnitKind.INSTANSI)
    units = {province.code: province}
    for code, name, children in PROVINCE_OPD:
        opd = _unit(code, name, UnitKind.OPD, province)
        units[code] = opd
        for child_code, child_name in children:
            child = _unit(child_code, child_name, UnitKind.BIDANG, opd)
            units[child_code] = child
            for sub_code, sub_name in SUB_UNITS.get(child_code, []):
                units[sub_code] = _unit(sub_code, sub_name, UnitKind.SUBUNIT, child)
    for code, name in REGENCIES:
        regency = _unit(code, name, UnitKind.INSTANSI)
        units[code] = regency
        units[f"{code}.01"] = _unit(
            f"{code}.01", "Badan Kepegawaian dan Pengembangan SDM (BKPSDM)", UnitKind.OPD, regency
        )
    return units


def _person(
    *,
    sequence,
    unit,
    password_hash,
    username=None,
    gender=None,
    golongan=None,
    position=None,
    full_name=None,
    employment_type="PNS",
    groups=(),
):
    # One generator per person: the same person comes out whatever already exists.
    rng = random.Random(f"demo-person-{sequence}")
    gender = gender or rng.choice("LP")
    birth = date(rng.randint(1968, 1998), rng.randint(1, 12), rng.randint(1, 28))
    number = make_nip(rng, birth=birth, gender=gender, sequence=sequence)
    if full_name is None:
        first = rng.choice(FIRST_NAMES_M if gender == "L" else FIRST_NAMES_F)
        full_name = f"{rng.choice(TITLES_BEFORE)}{first} {rng.choice(LAST_NAMES)}, {rng.choice(TITLES_AFTER)}"
    jabatan_type, jabatan_name = position or rng.choice(POSITIONS)
    profile = ASNProfile.objects.filter(nip=number).select_related("user").first()
    if profile is None:
        user_model = get_user_model()
        user, _created = user_model.objects.get_or_create(
            username=username or number, defaults={"password": password_hash, "email": f"{number}@asn.jambiprov.go.id"}
        )
        profile = ASNProfile.objects.create(
            user=user,
            employment_type=employment_type,
            nip=number,
            full_name=full_name,
            gender=gender,
            birth_place=rng.choice(["Jambi", "Sungai Penuh", "Muara Bungo", "Bangko", "Kuala Tungkal", "Padang"]),
            birth_date=birth,
            golongan=(golongan or rng.choice(GOLONGAN[4:15])) if employment_type == "PNS" else "",
            pppk_grade="" if employment_type == "PNS" else rng.choice(["V", "VII", "IX", "X"]),
            jabatan_type=jabatan_type,
            jabatan_name=jabatan_name,
            unit=unit,
            phone=f"08{rng.randint(1100000000, 1399999999)}",
        )
    for group_name in groups:
        profile.user.groups.add(Group.objects.get(name=group_name))
    return profile


@transaction.atomic
def seed(*, stdout=None) -> dict:
    """Create the demo organisation and people. Safe to run again: it finds what exists."""
    roles.sync_roles()
    units = seed_units()
    rng = random.Random(2026)  # deterministic placement: the same people in the same units every time
    password_hash = make_password(DEMO_PASSWORD)  # hash once: PBKDF2 per user would take seconds

    user_model = get_user_model()
    admin, created = user_model.objects.get_or_create(
        username="admin",
        defaults={
            "is_staff": True,
            "is_superuser": True,
            "email": "admin@bpsdm.jambiprov.go.id",
            "first_name": "Admin",
            "last_name": "BPSDM",
            "password": password_hash,
        },
    )
    admin.groups.add(Group.objects.get(name=roles.ADMIN_BPSDM))

    trainer = _person(
        sequence=1,
        unit=units["15.02.01"],
        password_hash=password_hash,
        username="pengajar",
        gender="P",
        golongan="III/d",
        position=(JabatanType.FUNGSIONAL, "Widyaiswara Ahli Madya"),
        full_name="Dr. Rahmawati Siregar, M.Pd.",
        groups=[roles.PENGAJAR, roles.PESERTA],
    )

    supervisors = {}
    for index, (code, _name, _children) in enumerate(PROVINCE_OPD, start=2):
        supervisor = _person(
            sequence=index,
            unit=units[code],
            password_hash=password_hash,
            username="supervisor" if code == "15.03" else None,
            golongan="IV/b",
            position=(JabatanType.JPT_PRATAMA, "Kepala OPD"),
            groups=[roles.SUPERVISOR, roles.PESERTA],
        )
        supervisor.supervised_units.add(units[code])
        supervisors[code] = supervisor

    learner_units = [code for code in units if code.count(".") >= 2] + [f"{code}.01" for code, _ in REGENCIES[:4]]
    learners = []
    for sequence in range(10, 56):
        unit = units[rng.choice(learner_units)]
        employment_type = "PPPK" if sequence % 9 == 0 else "PNS"
        learner = _person(
            sequence=sequence,
            unit=unit,
            password_hash=password_hash,
            username="peserta" if sequence == 10 else None,
            employment_type=employment_type,
            groups=[roles.PESERTA],
        )
        opd_code = ".".join(unit.code.split(".")[:2])
        if opd_code in supervisors and learner.supervisor_id is None:
            learner.supervisor = supervisors[opd_code]
            learner.save(update_fields=["supervisor"])
        learners.append(learner)

    if stdout is not None:
        stdout.write(f"  people: {ASNProfile.objects.count()} ASN in {UnitKerja.objects.count()} units")
    return {"admin": admin, "trainer": trainer, "supervisors": supervisors, "learners": learners, "units": units}
