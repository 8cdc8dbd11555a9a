"""Exports hold exactly the rows on screen (same filters, every page) and the SIASN layout."""

import csv
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports.views import ReportListingView

pytestmark = pytest.mark.django_db

PERSON_LINK = re.compile(r'href="/admin/laporan/peserta/\d+/">([^<]+)</a>')


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def xlsx_rows(response) -> list[list]:
    data = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def screen_names(response) -> list[str]:
    return PERSON_LINK.findall(response.content.decode())


@pytest.mark.parametrize(
    ("name", "query", "name_column"),
    [
        ("reports:jp", {"band": "not_reached", "ordering": "-jp"}, 1),
        ("reports:jp", {"unit": "opd_a"}, 1),
        ("reports:quizzes", {"passed": "false", "ordering": "full_name"}, 3),
        ("reports:quizzes", {"q": "Aisyah"}, 3),
        ("reports:siasn", {"completed_from": "{year}-01-01", "completed_to": "{year}-12-31"}, 13),
        ("reports:enrolments", {"status": "completed", "ordering": "course_title"}, 0),
        ("reports:enrolments", {"unit": "prov", "q": "Dua"}, 0),
    ],
)
def test_csv_and_xlsx_equal_the_rows_on_screen(client, world, name, query, name_column):
    client.force_login(world.admin)
    query = {
        key: (world.units[value].pk if key == "unit" else value.replace("{year}", str(world.year)))
        for key, value in query.items()
    }
    url = reverse(name)
    on_screen = screen_names(client.get(url, query))
    assert on_screen  # the filters leave something to compare
    from_csv = [row[name_column] for row in csv_rows(client.get(url, {**query, "export": "csv"}))[1:]]
    from_xlsx = [row[name_column] for row in xlsx_rows(client.get(url, {**query, "export": "xlsx"}))[1:]]
    assert from_csv == on_screen
    assert from_xlsx == on_screen


def test_export_holds_every_page_not_just_the_first(client, world, monkeypatch):
    monkeypatch.setattr(ReportListingView, "paginate_by", 2)
    client.force_login(world.admin)
    first_page = screen_names(client.get(reverse("reports:jp")))
    assert len(first_page) == 2
    assert len(csv_rows(client.get(reverse("reports:jp"), {"export": "csv"}))) == 1 + 7


def test_completion_export_has_the_numbers_on_screen(client, world):
    client.force_login(world.admin)
    rows = csv_rows(client.get(reverse("reports:completion"), {"export": "csv", "ordering": "title"}))
    by_title = {row[0]: row for row in rows[1:]}
    assert list(by_title) == ["Kursus Dua", "Kursus Satu", "Kursus Tiga"]
    # enrolled, not started, in progress, completed, % completed, average progress, average quiz grade
    assert by_title["Kursus Satu"][3:] == ["4", "1", "1", "2", "50.0", "62.5", "60.0"]
    sheet = xlsx_rows(client.get(reverse("reports:completion"), {"export": "xlsx", "ordering": "title"}))
    assert sheet[2][3:] == [4, 1, 1, 2, 50.0, 62.5, 60.0]


def test_siasn_export_columns_and_values(client, world, settings):
    settings.LMS_INSTITUTION_NAME = "BPSDM Provinsi Jambi"
    client.force_login(world.admin)
    # The whole year, not the default "this year so far": the test must not depend on today's date.
    year_period = {"completed_from": f"{world.year}-01-01", "completed_to": f"{world.year}-12-31"}
    rows = csv_rows(client.get(reverse("reports:siasn"), {"export": "csv", **year_period}))
    assert rows[0] == [
        "namaKursus",
        "institusiPenyelenggara",
        "jenisDiklatId",
        "jenisKursusSertipikat",
        "jumlahJam",
        "nomorSertipikat",
        "tahunKursus",
        "tanggalKursus",
        "tanggalSelesaiKursus",
        "lokasiId",
        "pnsOrangId",
        "instansiId",
        "nipBaru",
        "nama",
    ]
    a1 = world.people["a1"].asn_profile
    mine = {row[0]: row for row in rows[1:] if row[12] == a1.nip}
    assert set(mine) == {"Kursus Satu", "Kursus Dua"}
    row = mine["Kursus Satu"]
    year = str(world.year)
    assert row[1:5] == ["BPSDM Provinsi Jambi", "3", "", "12"]  # teknis → jenis diklat 3, 12 JP
    assert row[6:9] == [year, f"02-01-{year}", f"15-01-{year}"]
    assert row[13] == "Ahmad Satu"
    # A period before the completions has no rows; the filter is in the URL.
    empty = csv_rows(
        client.get(
            reverse("reports:siasn"),
            {"export": "csv", "completed_from": f"{year}-02-01", "completed_to": f"{year}-12-31"},
        )
    )
    assert empty == [rows[0]]


def test_search_by_nip_typed_with_spaces(client, world):
    client.force_login(world.admin)
    nip = world.people["b1"].asn_profile.nip
    spaced = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    assert screen_names(client.get(reverse("reports:jp"), {"q": spaced})) == ["Budi Empat"]
    assert screen_names(client.get(reverse("reports:enrolments"), {"q": nip[:14]})) == ["Budi Empat", "Budi Empat"]
