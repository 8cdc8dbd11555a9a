"""Journey: a supervisor signs in, opens the reports overview, filters to one OPD, drills into a
person, and downloads the 20 JP report of that OPD as XLSX, which holds the rows on screen."""

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.conftest import close_quietly
from tests.reports.world import build_world

pytestmark = pytest.mark.django_db(transaction=True)
expect.set_options(timeout=15_000)


@pytest.fixture
def desk(browser, live_server):
    """Supervisors read reports at a desk: a laptop-sized window, browser asking for English."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 860}, locale="en-US", base_url=live_server.url, accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    close_quietly(context)


def test_supervisor_filters_to_an_opd_drills_into_a_person_and_downloads_xlsx(desk):
    world = build_world()
    nip = world.supervisor.asn_profile.nip
    page = desk

    page.goto("/masuk/")
    page.get_by_label("NIP atau nama pengguna").fill(nip)
    page.get_by_label("Kata sandi").fill("rahasia-kuat-2026")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r"/(dasbor|admin)/"))

    page.goto("/admin/")
    page.get_by_role("button", name="Laporan").click()
    page.get_by_role("link", name="Ringkasan").click()
    page.wait_for_url("**/admin/laporan/")
    expect(page.get_by_text("Cakupan Anda tahun")).to_be_visible()
    table = page.get_by_role("table")
    expect(table).to_contain_text("Bidang A1")
    expect(table).not_to_contain_text("Kab. Kerinci")  # outside the supervisor's units

    page.get_by_label("unit kerja (termasuk sub-unit)").select_option(
        label="\u00a0" * 4 + "Bidang A1"
    )  # indented as in the tree
    page.get_by_role("button", name="Terapkan").click()
    page.wait_for_url(re.compile(rf"unit={world.units['bidang_a1'].pk}"))
    expect(page.get_by_role("heading", name=re.compile("Bidang A1 tahun"))).to_be_visible()
    expect(page.locator(".lms-card").first).to_have_text(re.compile(r"^\s*2\s*ASN\s*$"))

    page.get_by_role("link", name="Kepatuhan 20 JP").first.click()
    page.wait_for_url(re.compile(r"/admin/laporan/jp/\?.*unit="))
    rows = page.locator("table.listing tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Agus Tiga")  # sorted by unit, then name
    on_screen = [text.strip() for text in page.locator("table.listing tbody tr td:nth-child(2)").all_inner_texts()]

    page.get_by_role("link", name="Aisyah Dua").click()
    page.wait_for_url(re.compile(r"/admin/laporan/peserta/\d+/"))
    expect(page.locator("h1.lms-report-title", has_text="Aisyah Dua")).to_be_visible()
    expect(page.get_by_text("Kursus Tiga")).to_be_visible()
    expect(page.get_by_text("kurang 4 JP")).to_be_visible()  # 16 of 20 JP this year
    page.go_back()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh XLSX").click()
    download = download_info.value
    assert download.suggested_filename.startswith("laporan-kepatuhan-jp-")
    sheet = load_workbook(io.BytesIO(Path(download.path()).read_bytes()), read_only=True).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:3] == ["unit kerja", "nama", "NIP / NI PPPK"]
    assert [row[1] for row in rows[1:]] == on_screen == ["Agus Tiga", "Aisyah Dua"]
    assert [row[5] for row in rows[1:]] == [0, 16]
