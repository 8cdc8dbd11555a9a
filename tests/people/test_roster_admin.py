"""The roster import screen in the Wagtail admin: upload, result page, templates, permissions."""

import io
import re

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from people import roster
from people.models import ASNProfile
from people.roles import ADMIN_BPSDM, PENGAJAR, PESERTA, SUPERVISOR
from people.roster import COLUMN_NAMES
from tests.factories import UnitFactory, UserFactory
from tests.people.roster_factories import csv_bytes, rows_for, xlsx_bytes

pytestmark = pytest.mark.django_db

INDEX = "roster_import:index"


@pytest.fixture
def unit():
    return UnitFactory(code="15.02", name="BPSDM")


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(roles=[ADMIN_BPSDM]))
    return client


def upload(client, name, data, *, dry_run=False):
    payload = {"file": SimpleUploadedFile(name, data)}
    if dry_run:
        payload["dry_run"] = "on"
    return client.post(reverse(INDEX), payload)


def error_rows(html):
    """(row, column) of every line in the errors table."""
    body = html.split('class="listing roster-errors"', 1)[1].split("</table>", 1)[0]
    cells = re.findall(r"<tr>\s*<td>(.*?)</td>\s*<td>(.*?)</td>", body, flags=re.S)
    return {(row.strip(), re.sub(r"</?code>", "", column).strip()) for row, column in cells}


def test_admin_finds_the_screen_in_the_personnel_menu(admin_client):
    home = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse(INDEX) in home
    assert "Impor ASN" in home

    response = admin_client.get(reverse(INDEX))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in html and "csrfmiddlewaretoken" in html
    assert reverse("roster_import:template_xlsx") in html and reverse("roster_import:template_csv") in html
    for name in COLUMN_NAMES:
        assert f"<code>{name}</code>" in html
    assert "Unduh templat XLSX" in html  # Bahasa Indonesia


def test_upload_of_a_good_csv_imports_and_shows_the_counts(admin_client, unit):
    rows = rows_for("15.02", 3)
    rows[0]["nip_atasan"] = rows[2]["nip"]
    response = upload(admin_client, "pegawai.csv", csv_bytes(rows, delimiter=";"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Impor selesai" in html
    assert 'data-count="created">3<' in html and 'data-count="updated">0<' in html
    assert ASNProfile.objects.count() == 3

    again = upload(admin_client, "pegawai.xlsx", xlsx_bytes(rows)).content.decode()
    assert 'data-count="created">0<' in again and 'data-count="unchanged">3<' in again
    assert ASNProfile.objects.count() == 3


def test_dry_run_shows_what_would_happen_and_writes_nothing(admin_client, unit):
    response = upload(admin_client, "pegawai.xlsx", xlsx_bytes(rows_for("15.02", 4)), dry_run=True)
    html = response.content.decode()
    assert "Berkas valid. Belum ada yang disimpan." in html
    assert 'data-count="created">4<' in html
    assert ASNProfile.objects.count() == 0


def test_bad_rows_are_all_listed_with_row_and_column_and_nothing_is_written(admin_client, unit):
    rows = rows_for("15.02", 4)
    rows[0]["golongan"] = ""
    rows[2].update(kode_unit="77.77", email="<script>alert(1)</script>")
    rows[3] = dict(rows[1], nama_lengkap="Orang Lain")
    response = upload(admin_client, "pegawai.csv", csv_bytes(rows))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tidak ada yang diimpor" in html
    assert error_rows(html) == {("2", "golongan"), ("4", "kode_unit"), ("4", "email"), ("5", "nip")}
    assert "<script>alert(1)</script>" not in html  # cell values are escaped
    assert "PNS wajib memiliki golongan/ruang." in html
    assert ASNProfile.objects.count() == 0


BAD_UPLOADS = [
    ("rusak.xlsx", b"PK\x03\x04" + b"\x00\x01rusak" * 100, "rusak"),
    ("sampah.csv", bytes(range(256)) * 8, "bukan berkas CSV atau XLSX"),
    ("latin.csv", ",".join(COLUMN_NAMES).encode() + "\n19860926;Andr\xe9".encode("latin-1"), "UTF-8"),
    ("lama.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, ".xls"),
    ("judul-saja.csv", ",".join(COLUMN_NAMES).encode(), "tidak ada baris data"),
    ("kosong.csv", b"", "kosong"),
    ("foto.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, ".csv atau .xlsx"),
    ("tanpa-ekstensi", b"nip\n1", ".csv atau .xlsx"),
]


@pytest.mark.parametrize(("name", "data", "expected"), BAD_UPLOADS, ids=[name for name, _d, _e in BAD_UPLOADS])
def test_a_bad_file_gets_a_clear_message_never_a_500(admin_client, unit, name, data, expected):
    response = upload(admin_client, name, data)
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert ASNProfile.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused_by_the_form(admin_client, unit, monkeypatch):
    data = csv_bytes(rows_for("15.02", 10))
    monkeypatch.setattr(roster.limits, "MAX_FILE_BYTES", len(data) - 1)
    html = upload(admin_client, "besar.csv", data).content.decode()
    assert "Berkas lebih besar dari" in html
    assert ASNProfile.objects.count() == 0


def test_csrf_token_is_required(unit):
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(roles=[ADMIN_BPSDM]))
    response = upload(client, "pegawai.csv", csv_bytes(rows_for("15.02", 2)))
    assert response.status_code == 403
    assert ASNProfile.objects.count() == 0


def test_templates_download_with_headers_and_an_example_row(admin_client):
    csv_response = admin_client.get(reverse("roster_import:template_csv"))
    assert csv_response["Content-Type"].startswith("text/csv")
    assert "attachment" in csv_response["Content-Disposition"]
    header, example = csv_response.content.decode("utf-8-sig").splitlines()[:2]
    assert header.split(",") == COLUMN_NAMES
    assert example.startswith("19860926 201505 2 001,")

    xlsx_response = admin_client.get(reverse("roster_import:template_xlsx"))
    assert xlsx_response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(io.BytesIO(xlsx_response.content))
    assert workbook.sheetnames == ["ASN", "Petunjuk"]
    assert [cell.value for cell in workbook["ASN"][1]] == COLUMN_NAMES


@pytest.mark.parametrize("role", [SUPERVISOR, PENGAJAR])
def test_admin_users_without_the_permission_are_turned_away(client, unit, role):
    client.force_login(UserFactory(roles=[role]))
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse(INDEX) not in home  # no menu item
    for url in (reverse(INDEX), reverse("roster_import:template_csv"), reverse("roster_import:template_xlsx")):
        response = client.get(url)
        assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    response = upload(client, "pegawai.csv", csv_bytes(rows_for("15.02", 2)))
    assert response.status_code == 302
    assert ASNProfile.objects.count() == 0


def test_adding_without_changing_people_is_not_enough(client, unit):
    user = UserFactory(roles=[SUPERVISOR])
    user.user_permissions.add(Permission.objects.get(codename="add_asnprofile"))
    client.force_login(user)
    assert client.get(reverse(INDEX)).status_code == 302
    user.user_permissions.add(Permission.objects.get(codename="change_asnprofile"))
    client.force_login(user)  # fresh permission cache
    assert client.get(reverse(INDEX)).status_code == 200


@pytest.mark.parametrize("who", ["anonymous", PESERTA])
def test_learners_and_strangers_are_sent_to_sign_in(client, unit, who):
    if who != "anonymous":
        client.force_login(UserFactory(roles=[who]))
    response = upload(client, "pegawai.csv", csv_bytes(rows_for("15.02", 2)))
    assert response.status_code == 302
    assert "login" in response.url or "masuk" in response.url
    assert ASNProfile.objects.count() == 0


def test_the_existing_personnel_screens_still_work(admin_client, unit):
    assert upload(admin_client, "pegawai.csv", csv_bytes(rows_for("15.02", 2))).status_code == 200
    for name in ("wagtailsnippets_people_asnprofile:list", "wagtailsnippets_people_unitkerja:list"):
        response = admin_client.get(reverse(name))
        assert response.status_code == 200
    listing = admin_client.get(reverse("wagtailsnippets_people_asnprofile:list")).content.decode()
    assert "Pegawai Uji" in listing
