"""Roster import of ASN from CSV and XLSX: validation first, all or nothing, idempotent by NIP."""

import io
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from people import roster, services
from people.management.commands.import_roster import Command as ImportRosterCommand
from people.models import ASNProfile
from people.ranks import PANGKAT_BY_GOLONGAN, PPPK_GRADES, JabatanType
from people.roles import PESERTA
from people.roster import COLUMN_NAMES
from people.services import roster_import
from tests.factories import ASNProfileFactory, UnitFactory, UserFactory
from tests.people.roster_factories import csv_bytes, person_row, rows_for, xlsx_bytes

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def unit():
    return UnitFactory(code="15.02", name="BPSDM")


@pytest.fixture
def other_unit():
    return UnitFactory(code="15.03", name="Dinas Kesehatan")


def people_by_nip():
    return {p.nip: p for p in ASNProfile.objects.select_related("user", "supervisor", "unit")}


def error_places(result):
    return {(error.row, error.column) for error in result.errors}


# --- good files ----------------------------------------------------------------------------------


def test_good_csv_with_semicolons_and_bom_creates_people_accounts_and_roles(unit, other_unit):
    supervisor = person_row(
        unit_code="15.03", golongan="IV/b", jenis_jabatan="jpt_pratama", nama_jabatan="Kepala Dinas"
    )
    # The first row names its supervisor, who only comes two rows later in the same file.
    learner = person_row(unit_code="15.02", nip_atasan=supervisor["nip"], gender="P", jenis_kelamin="P")
    pppk = person_row(unit_code="15.02", employment_type="PPPK", golongan="", grade_pppk="IX")
    data = csv_bytes([learner, pppk, supervisor], delimiter=";", bom=True)
    assert data.startswith(b"\xef\xbb\xbf")

    result = roster_import(file=data)

    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged, result.rows) == (3, 0, 0, 3)
    people = people_by_nip()
    assert set(people) == {learner["nip"], pppk["nip"], supervisor["nip"]}
    imported = people[learner["nip"]]
    assert imported.full_name == learner["nama_lengkap"]
    assert imported.gender == "P"
    assert imported.birth_date == date.fromisoformat(learner["tanggal_lahir"])
    assert imported.golongan == "III/a" and imported.pppk_grade == ""
    assert imported.unit == unit
    assert imported.supervisor == people[supervisor["nip"]]
    assert imported.user.username == learner["nip"]
    assert imported.user.email == learner["email"]
    assert not imported.user.has_usable_password()  # the person sets a password through a reset
    assert imported.user.groups.filter(name=PESERTA).exists()
    assert people[pppk["nip"]].employment_type == "PPPK" and people[pppk["nip"]].pppk_grade == "IX"
    assert people[supervisor["nip"]].unit == other_unit
    for profile in people.values():
        profile.full_clean()  # what the import wrote passes the model's own rules


def test_good_xlsx_with_real_dates_loose_headings_and_loose_values(unit):
    row = person_row(unit_code="15.02", gender="L")
    nip = row["nip"]
    cells = {
        "NIP": f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}",
        "Nama Lengkap": "  Ir.  Budi   Santoso, M.T. ",
        "JENIS_KELAMIN": "Laki-laki",
        "Tempat Lahir": "Muara Bungo",
        "tanggal lahir": date.fromisoformat(row["tanggal_lahir"]),
        "Jenis Kepegawaian": "pns",
        "Golongan": "iii/b",
        "grade pppk": None,
        "Jenis-Jabatan": "Fungsional",  # the label, not the stored value
        "Nama Jabatan": "Perencana Ahli Muda",
        "Kode Unit": "15.02",
        "Email": "budi@jambiprov.go.id",
        "Telepon": "0812 3456 7890",
    }
    result = roster_import(file=xlsx_bytes([cells], extra_sheet_first=True))

    assert result.ok, result.errors
    assert result.created == 1
    profile = ASNProfile.objects.get(nip=nip)
    assert profile.full_name == "Ir. Budi Santoso, M.T."
    assert profile.gender == "L"
    assert profile.birth_date == date.fromisoformat(row["tanggal_lahir"])
    assert profile.golongan == "III/b"
    assert profile.jabatan_type == JabatanType.FUNGSIONAL
    assert profile.birth_place == "Muara Bungo"
    assert profile.phone == "0812 3456 7890"


def test_excel_separator_hint_line_is_honoured_and_not_counted_as_a_row(unit):
    rows = rows_for("15.02", 2)
    rows[1]["golongan"] = ""
    data = b"sep=;\r\n" + csv_bytes(rows, delimiter=";", bom=False)
    assert error_places(roster_import(file=data)) == {(3, "golongan")}


@pytest.mark.parametrize("written", ["{d:%Y-%m-%d}", "{d:%d-%m-%Y}", "{d:%d/%m/%Y}"])
def test_birth_date_in_every_documented_format(unit, written):
    row = person_row(unit_code="15.02")
    birth = date.fromisoformat(row["tanggal_lahir"])
    row["tanggal_lahir"] = written.format(d=birth)
    result = roster_import(file=csv_bytes([row]))
    assert result.ok, result.errors
    assert ASNProfile.objects.get(nip=row["nip"]).birth_date == birth


def test_nip_typed_with_spaces_dots_and_dashes_is_stored_as_18_digits(unit):
    row = person_row(unit_code="15.02")
    digits = row["nip"]
    row["nip"] = f"{digits[:8]} {digits[8:14]}.{digits[14]}-{digits[15:]}"
    assert roster_import(file=csv_bytes([row])).ok
    assert ASNProfile.objects.filter(nip=digits).exists()


def test_a_supervisor_chain_listed_bottom_up_is_linked_level_by_level(unit):
    chain = rows_for("15.02", 5)
    for row, boss in zip(chain, chain[1:], strict=False):
        row["nip_atasan"] = boss["nip"]
    assert roster_import(file=csv_bytes(chain)).created == 5
    people = people_by_nip()
    for row, boss in zip(chain, chain[1:], strict=False):
        assert people[row["nip"]].supervisor == people[boss["nip"]]
    assert people[chain[-1]["nip"]].supervisor is None


def test_supervisor_loops_in_the_file_are_refused(unit):
    rows = rows_for("15.02", 4)
    rows[0]["nip_atasan"] = rows[1]["nip"]
    rows[1]["nip_atasan"] = rows[2]["nip"]
    rows[2]["nip_atasan"] = rows[0]["nip"]
    result = roster_import(file=csv_bytes(rows))
    assert error_places(result) == {(2, "nip_atasan"), (3, "nip_atasan"), (4, "nip_atasan")}
    assert "2 → 3 → 4 → 2" in result.errors[0].message
    assert ASNProfile.objects.count() == 0


def test_supervisor_already_in_the_database_is_linked(unit):
    boss = ASNProfileFactory(unit=unit)
    row = person_row(unit_code="15.02", nip_atasan=boss.nip_formatted)
    assert roster_import(file=csv_bytes([row])).ok
    assert ASNProfile.objects.get(nip=row["nip"]).supervisor == boss


def test_an_account_named_by_the_nip_without_a_profile_is_reused(unit):
    row = person_row(unit_code="15.02")
    account = UserFactory(username=row["nip"], email="lama@example.go.id")
    result = roster_import(file=csv_bytes([row]))
    assert result.ok and result.created == 1
    assert User.objects.filter(username=row["nip"]).count() == 1
    profile = ASNProfile.objects.get(nip=row["nip"])
    assert profile.user == account
    account.refresh_from_db()
    assert account.email == row["email"]
    assert account.has_usable_password()  # an existing password is never replaced


# --- bad files: nothing written, every error reported ---------------------------------------------


def test_several_bad_rows_write_nothing_and_report_every_error_with_row_and_column(unit):
    existing_users = User.objects.count()
    good = person_row(unit_code="15.02")
    female = person_row(unit_code="15.02", gender="P")
    rows = [
        good,  # row 2: fine
        person_row(unit_code="15.02", nip="1986 0926 ABC"),  # row 3
        dict(female, nip=female["nip"][:-3] + "124", jenis_kelamin="L", tanggal_lahir="1990-01-01"),  # row 4
        person_row(unit_code="15.02", golongan=""),  # row 5: PNS without golongan
        person_row(unit_code="15.02", employment_type="PPPK", golongan="", grade_pppk=""),  # row 6
        person_row(unit_code="99.99"),  # row 7: no such unit
        dict(good, email="lain@jambiprov.go.id"),  # row 8: NIP repeats row 2
        person_row(unit_code="99.98", email="bukan-email", tanggal_lahir="31/02/1990"),  # row 9
        person_row(unit_code="15.02", jenis_jabatan="kepala", jenis_kepegawaian="honorer"),  # row 10
        person_row(unit_code="15.02", nip_atasan="199001012015011999"),  # row 11: nobody has it
        person_row(unit_code="15.02", golongan="V/a", telepon="telp: 0812"),  # row 12
    ]
    rows.append(person_row(unit_code="15.02"))
    rows[-1]["nip_atasan"] = rows[-1]["nip"]  # row 13: own supervisor

    result = roster_import(file=csv_bytes(rows))

    assert not result.ok
    assert ASNProfile.objects.count() == 0
    assert User.objects.count() == existing_users
    places = error_places(result)
    expected = {
        (3, "nip"),
        (4, "tanggal_lahir"), (4, "jenis_kelamin"),
        (5, "golongan"),
        (6, "grade_pppk"),
        (7, "kode_unit"),
        (8, "nip"),
        (9, "email"), (9, "tanggal_lahir"), (9, "kode_unit"),  # a wrong row is still checked in full
        (10, "jenis_jabatan"), (10, "jenis_kepegawaian"),
        (11, "nip_atasan"),
        (12, "golongan"), (12, "telepon"),
        (13, "nip_atasan"),
    }  # fmt: skip
    assert places == expected, sorted(places ^ expected)
    messages = {(e.row, e.column): e.message for e in result.errors}
    # In Bahasa Indonesia, the default language.
    assert messages[(5, "golongan")] == "PNS wajib memiliki golongan/ruang."
    assert "baris 2" in messages[(8, "nip")]
    assert [e.row for e in result.errors] == sorted(e.row for e in result.errors)


def test_unknown_and_missing_columns_are_reported_in_row_1(unit):
    row = person_row(unit_code="15.02")
    header = [name for name in COLUMN_NAMES if name not in ("nama_jabatan", "kode_unit")] + ["jabatan", "alamat"]
    result = roster_import(file=csv_bytes([row], header=header))
    assert not result.ok
    assert error_places(result) == {(1, "nama_jabatan"), (1, "kode_unit"), (1, "jabatan"), (1, "alamat")}
    assert ASNProfile.objects.count() == 0


def test_a_column_named_twice_is_an_error(unit):
    row = person_row(unit_code="15.02")
    result = roster_import(file=csv_bytes([row], header=[*COLUMN_NAMES, "Email"]))
    assert error_places(result) == {(1, "Email")}


def test_values_in_a_column_without_heading_are_not_silently_dropped(unit):
    data = csv_bytes([person_row(unit_code="15.02")]).rstrip(b"\r\n") + b",catatan penting\r\n"
    result = roster_import(file=data)
    assert error_places(result) == {(2, "kolom O")}


def test_excel_numbers_that_lost_nip_digits_get_a_clear_error(unit):
    row = person_row(unit_code="15.02")
    as_float = xlsx_bytes([dict(row, nip=float(row["nip"]))])
    as_text = csv_bytes([dict(row, nip="1.98609E+17")])
    for data in (as_float, as_text):
        result = roster_import(file=data)
        assert error_places(result) == {(2, "nip")}
        assert "Excel" in result.errors[0].message and "Teks" in result.errors[0].message


CORRUPT_FILES = {
    "empty": b"",
    "only blank lines": b"\r\n\r\n",
    "header without rows": ",".join(COLUMN_NAMES).encode(),
    "broken xlsx": b"PK\x03\x04" + b"\x00garbage" * 50,
    "zip that is not a workbook": None,  # built below
    "old xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
    "binary junk": bytes(range(256)) * 4,
    "latin-1 text": ",".join(COLUMN_NAMES).encode() + "\r\n1986;Andr\xe9".encode("latin-1"),
    "utf-16 text": ",".join(COLUMN_NAMES).encode("utf-16"),
    "a pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
}


def _zip_without_workbook():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "bukan excel")
    return buffer.getvalue()


@pytest.mark.parametrize("kind", list(CORRUPT_FILES))
def test_corrupt_empty_or_wrong_type_files_get_one_clear_error_and_write_nothing(unit, kind):
    data = CORRUPT_FILES[kind] if CORRUPT_FILES[kind] is not None else _zip_without_workbook()
    result = roster_import(file=data)
    assert not result.ok
    assert ASNProfile.objects.count() == 0
    assert result.errors, kind
    file_errors = [e for e in result.errors if e.row in (None, 1)]
    assert file_errors, result.errors
    assert all(e.message for e in result.errors)


def test_wrong_encoding_says_how_to_save_as_utf8(unit):
    data = "nip,nama_lengkap\r\n1,Andr\xe9".encode("cp1252")
    result = roster_import(file=data)
    assert "UTF-8" in result.errors[0].message and "baris 2" in result.errors[0].message


def test_too_many_rows_are_refused(unit, monkeypatch):
    monkeypatch.setattr(roster.limits, "MAX_ROWS", 5)
    result = roster_import(file=csv_bytes(rows_for("15.02", 6)))
    assert not result.ok and "5" in result.errors[0].message
    assert ASNProfile.objects.count() == 0
    assert roster_import(file=csv_bytes(rows_for("15.02", 5))).ok


def test_too_big_files_are_refused_before_reading(unit, monkeypatch, tmp_path):
    data = csv_bytes(rows_for("15.02", 20))
    monkeypatch.setattr(roster.limits, "MAX_FILE_BYTES", len(data) - 1)
    path = tmp_path / "roster.csv"
    path.write_bytes(data)
    for source in (data, path, io.BytesIO(data)):
        result = roster_import(file=source)
        assert not result.ok and "MB" in result.errors[0].message
    assert ASNProfile.objects.count() == 0


# --- re-import ------------------------------------------------------------------------------------


def test_reimporting_the_same_file_changes_nothing(unit):
    rows = rows_for("15.02", 5)
    rows[0]["nip_atasan"] = rows[4]["nip"]
    data = xlsx_bytes(rows)
    assert roster_import(file=data).created == 5
    before = {p.nip: (p.pk, p.user_id, p.updated_at, p.supervisor_id) for p in ASNProfile.objects.all()}
    users_before = User.objects.count()

    again = roster_import(file=data)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert {p.nip: (p.pk, p.user_id, p.updated_at, p.supervisor_id) for p in ASNProfile.objects.all()} == before
    assert User.objects.count() == users_before


def test_reimport_updates_by_nip_without_duplicates(unit, other_unit):
    rows = rows_for("15.02", 4)
    assert roster_import(file=csv_bytes(rows)).ok
    untouched_stamp = ASNProfile.objects.get(nip=rows[1]["nip"]).updated_at
    rows[0].update(nama_jabatan="Analis Kebijakan Ahli Muda", kode_unit="15.03", golongan="III/c")
    rows[2].update(email="baru@jambiprov.go.id")
    newcomer = person_row(unit_code="15.02", nip_atasan=rows[3]["nip"])

    result = roster_import(file=csv_bytes([*rows, newcomer], delimiter=";"))

    assert (result.created, result.updated, result.unchanged) == (1, 2, 2)
    assert ASNProfile.objects.count() == 5
    assert User.objects.filter(username__in=[r["nip"] for r in rows]).count() == 4
    changed = ASNProfile.objects.get(nip=rows[0]["nip"])
    assert (changed.jabatan_name, changed.unit, changed.golongan) == ("Analis Kebijakan Ahli Muda", other_unit, "III/c")
    assert ASNProfile.objects.get(nip=rows[2]["nip"]).user.email == "baru@jambiprov.go.id"
    assert ASNProfile.objects.get(nip=rows[1]["nip"]).updated_at == untouched_stamp
    assert ASNProfile.objects.get(nip=newcomer["nip"]).supervisor.nip == rows[3]["nip"]


def test_reimport_can_point_an_existing_person_to_a_supervisor_new_in_the_file(unit):
    rows = rows_for("15.02", 2)
    assert roster_import(file=csv_bytes(rows)).ok
    boss = person_row(unit_code="15.02", golongan="IV/a")
    rows[0]["nip_atasan"] = boss["nip"]
    result = roster_import(file=csv_bytes([*rows, boss]))
    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    assert ASNProfile.objects.get(nip=rows[0]["nip"]).supervisor.nip == boss["nip"]


def test_empty_optional_cells_keep_what_is_stored(unit):
    row = person_row(unit_code="15.02", nip_atasan="")
    assert roster_import(file=csv_bytes([row])).ok
    boss = ASNProfileFactory(unit=unit)
    ASNProfile.objects.filter(nip=row["nip"]).update(supervisor=boss)
    emptied = dict(row, email="", telepon="", tempat_lahir="")
    result = roster_import(file=csv_bytes([emptied]))
    assert result.unchanged == 1
    profile = ASNProfile.objects.select_related("user").get(nip=row["nip"])
    assert (profile.user.email, profile.phone, profile.birth_place) == (row["email"], row["telepon"], "Jambi")
    assert profile.supervisor == boss


def test_reimport_gives_the_peserta_role_back_to_someone_who_lost_it(unit):
    row = person_row(unit_code="15.02")
    assert roster_import(file=csv_bytes([row])).ok
    user = User.objects.get(username=row["nip"])
    user.groups.clear()
    result = roster_import(file=csv_bytes([row]))
    assert result.updated == 1
    assert user.groups.filter(name=PESERTA).exists()


def test_dry_run_counts_but_writes_nothing(unit):
    rows = rows_for("15.02", 3)
    assert roster_import(file=csv_bytes(rows[:1])).ok
    rows[0]["nama_jabatan"] = "Jabatan Baru"
    result = roster_import(file=csv_bytes(rows), dry_run=True)
    assert result.ok and result.dry_run
    assert (result.created, result.updated, result.unchanged) == (2, 1, 0)
    assert ASNProfile.objects.count() == 1
    assert ASNProfile.objects.get().jabatan_name == "Pengelola Data"


def test_an_nip_used_as_username_by_another_person_is_an_error(unit):
    other = ASNProfileFactory(unit=unit)
    row = person_row(unit_code="15.02")
    other.user.username = row["nip"]
    other.user.save()
    result = roster_import(file=csv_bytes([row]))
    assert error_places(result) == {(2, "nip")}
    assert other.nip in result.errors[0].message


def test_a_conflicting_change_during_the_import_rolls_everything_back(unit, monkeypatch):
    rows = rows_for("15.02", 3)
    original_apply = services._Plan.apply

    def apply_after_someone_else(plan):
        UserFactory(username=rows[2]["nip"])  # another admin creates the same account meanwhile
        original_apply(plan)

    monkeypatch.setattr(services._Plan, "apply", apply_after_someone_else)
    result = roster_import(file=csv_bytes(rows))
    assert not result.ok
    assert result.errors[0].row is None and "coba lagi" in result.errors[0].message
    assert ASNProfile.objects.count() == 0
    assert not User.objects.filter(username__in=[row["nip"] for row in rows[:2]]).exists()


# --- size: queries per batch, not per row ---------------------------------------------------------


def count_queries(callable_):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        result = callable_()
    assert result.ok, result.errors
    return len(context)


def test_import_queries_do_not_grow_per_row(unit, other_unit):
    def roster(count):
        # Three levels, as in an office: a head (whose own supervisor is already in the database),
        # four heads of division, and staff, each listed before their supervisor.
        rows = rows_for("15.02", count)
        rows[-1]["nip_atasan"] = ASNProfileFactory(unit=unit).nip
        for index in range(count - 5, count - 1):
            rows[index]["nip_atasan"] = rows[-1]["nip"]
        for index in range(count - 5):
            rows[index]["nip_atasan"] = rows[count - 5 + index % 4]["nip"]
        return rows

    small, large = roster(20), roster(200)
    created_small = count_queries(lambda: roster_import(file=csv_bytes(small)))
    created_large = count_queries(lambda: roster_import(file=csv_bytes(large)))
    for row in small + large:
        row["kode_unit"] = "15.03"
    updated_small = count_queries(lambda: roster_import(file=csv_bytes(small)))
    updated_large = count_queries(lambda: roster_import(file=csv_bytes(large)))
    same_small = count_queries(lambda: roster_import(file=csv_bytes(small)))
    same_large = count_queries(lambda: roster_import(file=csv_bytes(large)))

    assert created_small <= 20 and updated_small <= 20 and same_small <= 12
    # 180 more rows would cost at least 180 more queries if anything ran per row. PostgreSQL sends
    # each bulk statement whole; SQLite's 999-parameter limit makes Django split inserts into a few
    # statements per hundred rows (measured: 12 queries for 20 new people, 16 for 200).
    limit = 0 if connection.vendor == "postgresql" else 8
    assert created_large - created_small <= limit
    assert updated_large - updated_small <= limit
    assert same_large == same_small


# --- property-based ------------------------------------------------------------------------------

names = st.text(
    alphabet=st.characters(categories=["L", "Zs"], include_characters=".,'-;\"", exclude_characters="\x00"),
    min_size=1,
    max_size=60,
).filter(lambda s: s.strip())


@st.composite
def valid_rows(draw):
    count = draw(st.integers(min_value=1, max_value=8))
    rows, used = [], set()
    for _ in range(count):
        birth = draw(st.dates(min_value=date(1960, 1, 1), max_value=date(2004, 12, 31)))
        gender = draw(st.sampled_from("LP"))
        employment = draw(st.sampled_from(["PNS", "PPPK"]))
        tmt_year = draw(st.integers(min_value=birth.year + 18, max_value=2024))
        sequence = draw(st.integers(min_value=1, max_value=999))
        nip = f"{birth:%Y%m%d}{tmt_year:04d}{draw(st.integers(1, 12)):02d}{'1' if gender == 'L' else '2'}{sequence:03d}"
        if nip in used:
            continue
        used.add(nip)
        date_format = draw(st.sampled_from(["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]))
        rows.append(
            {
                "nip": nip,
                "nama_lengkap": draw(names),
                "jenis_kelamin": gender,
                "tempat_lahir": draw(st.one_of(st.just(""), names)),
                "tanggal_lahir": birth.strftime(date_format),
                "jenis_kepegawaian": employment,
                "golongan": draw(st.sampled_from(list(PANGKAT_BY_GOLONGAN))) if employment == "PNS" else "",
                "grade_pppk": draw(st.sampled_from(PPPK_GRADES)) if employment == "PPPK" else "",
                "jenis_jabatan": draw(st.sampled_from(JabatanType.values)),
                "nama_jabatan": draw(names),
                "kode_unit": draw(st.sampled_from(["15.02", "15.03"])),
                "nip_atasan": draw(st.sampled_from(["", *sorted(used - {nip})])) if len(used) > 1 else "",
                "email": "",
                "telepon": draw(st.sampled_from(["", "081234567890", "+62 741 123-456"])),
            }
        )
    return rows


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=valid_rows(), delimiter=st.sampled_from([",", ";"]), as_xlsx=st.booleans(), bom=st.booleans())
def test_random_valid_rosters_always_import_exactly(unit, other_unit, rows, delimiter, as_xlsx, bom):
    from django.db import transaction

    data = xlsx_bytes(rows, real_dates=False) if as_xlsx else csv_bytes(rows, delimiter=delimiter, bom=bom)
    with transaction.atomic():
        result = roster_import(file=data)
        assert result.ok, result.errors
        assert result.created == len(rows)
        people = people_by_nip()
        for row in rows:
            profile = people[row["nip"]]
            assert profile.full_name == " ".join(row["nama_lengkap"].split())
            assert profile.jabatan_name == " ".join(row["nama_jabatan"].split())
            assert profile.birth_place == " ".join(row["tempat_lahir"].split())
            assert (profile.golongan, profile.pppk_grade) == (row["golongan"], row["grade_pppk"])
            assert profile.unit.code == row["kode_unit"]
            assert (profile.supervisor.nip if profile.supervisor else "") == row["nip_atasan"]
        again = roster_import(file=data)
        assert (again.created, again.updated, again.unchanged) == (0, 0, len(rows))
        transaction.set_rollback(True)


@settings(max_examples=200, deadline=None)
@given(data=st.one_of(st.binary(max_size=600), st.binary(max_size=600).map(lambda b: b"PK\x03\x04" + b)))
def test_any_bytes_give_a_result_never_an_exception(data):
    try:
        table = roster.read_roster(data)
    except roster.RosterFileError as exc:
        assert exc.message
    else:
        roster.clean_table(table)


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)), st.sampled_from(roster.DATE_FORMATS))
def test_every_documented_date_format_round_trips(day, date_format):
    assert roster.parse_date(day.strftime(date_format)) == day


# --- templates and the command -------------------------------------------------------------------


def test_the_templates_example_row_imports_as_is(unit):
    UnitFactory(code="15.02.01", parent=unit)
    for data in (roster.template_csv(), roster.template_xlsx()):
        result = roster_import(file=data)
        assert result.ok, result.errors
    assert ASNProfile.objects.count() == 1  # the same example person, updated the second time


def test_xlsx_template_has_the_headers_an_example_and_instructions():
    workbook = load_workbook(io.BytesIO(roster.template_xlsx()))
    data_sheet = workbook.worksheets[0]
    assert [cell.value for cell in data_sheet[1]] == COLUMN_NAMES
    assert data_sheet["A2"].value == "19860926 201505 2 001"
    guide = workbook.worksheets[1]
    assert guide.title == "Petunjuk"
    listed = [row[0] for row in guide.iter_rows(values_only=True)]
    assert all(name in listed for name in COLUMN_NAMES)


def test_bulk_insert_ids_are_read_back_where_the_database_cannot_return_them(unit, monkeypatch):
    monkeypatch.setattr(type(connection.features), "can_return_rows_from_bulk_insert", False)
    rows = rows_for("15.02", 3)
    rows[0]["nip_atasan"] = rows[2]["nip"]
    assert roster_import(file=csv_bytes(rows)).created == 3
    assert ASNProfile.objects.get(nip=rows[0]["nip"]).supervisor.nip == rows[2]["nip"]
    assert User.objects.get(username=rows[1]["nip"]).groups.filter(name=PESERTA).exists()


def test_command_prints_a_summary(unit, tmp_path):
    path = tmp_path / "roster.xlsx"
    rows = rows_for("15.02", 3)
    path.write_bytes(xlsx_bytes(rows))
    out = io.StringIO()
    call_command("import_roster", str(path), "--dry-run", stdout=out)
    assert "3 akan dibuat" in out.getvalue() and ASNProfile.objects.count() == 0
    call_command("import_roster", str(path), stdout=out)
    assert "3 dibuat, 0 diperbarui, 0 tidak berubah" in out.getvalue()
    call_command("import_roster", str(path), stdout=out)
    assert "0 dibuat, 0 diperbarui, 3 tidak berubah" in out.getvalue()


def test_command_prints_every_error_and_exits_non_zero(unit, tmp_path, capsys, monkeypatch):
    # run_from_argv closes every connection when it ends, which would cut the test's own transaction.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    rows = rows_for("15.02", 3)
    rows[1]["golongan"] = ""
    rows[2]["kode_unit"] = "00.00"
    path = tmp_path / "roster.csv"
    path.write_bytes(csv_bytes(rows))
    with pytest.raises(SystemExit) as exit_info:
        ImportRosterCommand().run_from_argv(["manage.py", "import_roster", str(path), "--skip-checks"])
    assert exit_info.value.code != 0
    err = capsys.readouterr().err
    assert "Baris 3, kolom golongan" in err
    assert "Baris 4, kolom kode_unit [00.00]" in err
    assert "2 kesalahan" in err
    assert ASNProfile.objects.count() == 0


def test_command_reports_a_missing_file(tmp_path):
    with pytest.raises(CommandError):
        call_command("import_roster", str(tmp_path / "tidak-ada.csv"))
