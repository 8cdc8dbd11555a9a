"""Issue 11 Low #9: an XLSX roster that is small as a file but huge to read is refused early, with a
clear Indonesian message, before openpyxl parses it; a real roster at the row limit still reads."""

import pytest
from django.utils import translation

from people import roster
from tests.people import hostile_xlsx
from tests.people.roster_factories import rows_for, xlsx_bytes


@pytest.fixture
def openpyxl_never_opens(monkeypatch):
    """Fail the test if the workbook reaches openpyxl: the bound must act before parsing."""
    import openpyxl

    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl.load_workbook was called for a workbook the bounds should refuse")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


def refusal(data: bytes) -> str:
    with translation.override("id"), pytest.raises(roster.RosterFileError) as caught:
        roster.read_roster(data)
    return caught.value.message


def test_a_million_shared_strings_in_a_tiny_file_are_refused_before_parsing(openpyxl_never_opens):
    data = hostile_xlsx.many_shared_strings(1_000_000)
    assert len(data) < 100_000  # the point: a tiny upload
    message = refusal(data)
    assert "shared strings" in message
    assert "280.014" in message  # (20,000 rows + header) × 14 columns, written the Indonesian way
    assert "Buku kerja" in message  # Bahasa Indonesia


def test_shared_strings_written_with_a_namespace_prefix_are_counted_too(openpyxl_never_opens):
    message = refusal(hostile_xlsx.many_shared_strings(300_000, prefix="x"))
    assert "shared strings" in message


def test_a_sheet_with_millions_of_cells_is_refused(openpyxl_never_opens):
    message = refusal(hostile_xlsx.many_cells(rows=2_000, cells_per_row=600))  # 1.2 million cells
    assert "sel" in message


def test_a_sheet_with_hundreds_of_thousands_of_rows_is_refused(openpyxl_never_opens):
    message = refusal(hostile_xlsx.many_rows(100_000))
    assert "baris dalam satu lembar" in message


def test_many_sheets_are_refused(openpyxl_never_opens):
    message = refusal(hostile_xlsx.many_sheets(roster.MAX_XLSX_SHEETS + 1))
    assert "lembar" in message


def test_cells_are_counted_over_all_sheets(monkeypatch, openpyxl_never_opens):
    monkeypatch.setattr(roster.limits, "MAX_XLSX_CELLS", 1_000)
    data = hostile_xlsx.workbook(
        sheet_data=hostile_xlsx.HEADER_ROW.encode() + b"<row>" + b"<c/>" * 300 + b"</row>", sheets=4
    )
    assert "sel" in refusal(data)  # 4 × 301 cells: each sheet alone is under the bound


@pytest.mark.parametrize("part", ["xl/styles.xml", "xl/theme/theme1.xml", "xl/drawings/vmlDrawing1.vml"])
def test_a_deflate_bomb_in_another_part_is_refused(part, openpyxl_never_opens):
    data = hostile_xlsx.deflate_bomb(roster.MAX_XLSX_OTHER_PART_BYTES + 1, part=part)
    assert len(data) < 100_000
    assert "ukuran satu bagian" in refusal(data)


def test_a_deflate_bomb_past_the_total_is_refused_from_the_declared_sizes(monkeypatch, openpyxl_never_opens):
    monkeypatch.setattr(roster.limits, "MAX_XLSX_UNPACKED_BYTES", 2 * 1024 * 1024)
    data = hostile_xlsx.workbook(sheet_data=hostile_xlsx.HEADER_ROW.encode() + b" " * (3 * 1024 * 1024))
    assert "ukuran setelah dibuka" in refusal(data)


def test_too_many_zip_entries_are_refused(openpyxl_never_opens):
    parts = {f"xl/media/image{i}.png": b"" for i in range(roster.MAX_XLSX_ENTRIES)}
    assert "berkas di dalam buku kerja" in refusal(hostile_xlsx.workbook(extra_parts=parts))


def test_a_part_whose_data_is_cut_is_reported_as_damaged(openpyxl_never_opens):
    data = bytearray(hostile_xlsx.many_shared_strings(10))
    middle = data.index(b"xl/sharedStrings.xml") + 40
    data[middle : middle + 20] = b"\x00" * 20  # corrupt the deflate stream or its header
    message = refusal(bytes(data))
    assert "rusak" in message


def test_tag_counting_is_exact_across_chunk_boundaries(monkeypatch):
    """A start tag cut by a chunk boundary is counted once, wherever the cut falls."""
    import io

    body = b"<?xml?><sst>" + b"<si><t>ab</t></si>" * 500 + b"</sst>"
    for chunk in (7, 16, 17, 63, 64, 65, 1000):
        monkeypatch.setattr(roster.limits, "CHUNK_BYTES", chunk)
        _read, counts = roster.bounds._count_tags(
            io.BytesIO(body), {"s": roster.bounds.SHARED_STRING_TAG}, {"s": 10**6}, 10**9
        )
        assert counts["s"] == 500, chunk


def test_a_real_roster_at_the_row_limit_passes_the_bounds(monkeypatch):
    """The bounds leave room above the largest roster allowed: a full-width roster of MAX_ROWS rows."""
    monkeypatch.setattr(roster.limits, "MAX_ROWS", 2_000)
    monkeypatch.setattr(roster.limits, "MAX_XLSX_SHARED_STRINGS", (2_000 + 1) * len(roster.COLUMNS))
    monkeypatch.setattr(roster.limits, "MAX_XLSX_CELLS", 4 * (2_000 + 1) * len(roster.COLUMNS))
    monkeypatch.setattr(roster.limits, "MAX_XLSX_ROWS", 4 * 2_000)
    data = xlsx_bytes(rows_for("15.02.01", 2_000))
    roster.check_xlsx_bounds(data)
    table = roster.read_roster(data)
    assert len(table.rows) == 2_000


def test_the_default_bounds_follow_the_row_limit():
    assert (roster.MAX_ROWS + 1) * len(roster.COLUMNS) <= roster.MAX_XLSX_SHARED_STRINGS
    assert roster.MAX_XLSX_CELLS >= roster.MAX_XLSX_SHARED_STRINGS
    assert roster.MAX_XLSX_ROWS > roster.MAX_ROWS + roster.MAX_BLANK_RUN
