"""Activation status in the supervisor's reports: a column and a filter on the 20 JP list, a count on
the overview and the export, so a unit can chase those who never signed in; all within the scope."""

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.users.models import UserProfile

from reports.selectors import Activation
from tests.reports.world import person

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
PERSON_LINK = re.compile(r'href="/admin/laporan/peserta/\d+/">([^<]+)</a>')
NOT_ACTIVATED_CARD = re.compile(r'<span class="lms-number">([\d.]+)</span><a href="([^"]+)">belum aktivasi akun</a>')
# 1 Jan 2026 00:00 and 00:30 WIB: still 31 December in UTC, so a date read in UTC would be a day early.
K1_ACTIVATED = datetime.datetime(2025, 12, 31, 17, 0, tzinfo=UTC)
K1_LAST_SIGN_IN = datetime.datetime(2025, 12, 31, 17, 30, tzinfo=UTC)
K1_STATUS = "Aktivasi 1 Jan 2026, terakhir masuk 1 Jan 2026 00:30 WIB"
A2_STATUS = "Aktivasi 1 Jan 2026, belum pernah masuk"


def _set(user, *, activated_at=None, last_login=None):
    user.activated_at, user.last_login = activated_at, last_login
    user.save(update_fields=["activated_at", "last_login"])


@pytest.fixture
def activation(world):
    """a1 activated and signed in an hour ago; a2 activated (1 Jan 2026 WIB), never signed in; k1
    activated, last in on 1 Jan 2026 (long quiet); the supervisor's own profile activated and in
    today; a3, b1 and k2 not activated. The supervisor (Dinas A) sees a1, a2 and a3."""
    now = timezone.now()
    people = world.people
    _set(people["a1"], activated_at=now - datetime.timedelta(days=2), last_login=now - datetime.timedelta(hours=1))
    _set(people["a2"], activated_at=K1_ACTIVATED)
    _set(people["k1"], activated_at=K1_ACTIVATED, last_login=K1_LAST_SIGN_IN)
    _set(people["supervisor"], activated_at=now, last_login=now)
    for key in ("a3", "b1", "k2"):
        _set(people[key])
    return world


def names(world, keys) -> set[str]:
    return {world.people[key].asn_profile.full_name for key in keys}


def listed(client, query=None) -> set[str]:
    response = client.get(reverse("reports:jp"), query or {})
    assert response.status_code == 200
    return set(PERSON_LINK.findall(response.content.decode()))


def csv_rows(response) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


def table_row(html: str, name: str) -> str:
    """The ``<tr>`` of the listing that names ``name``, its line breaks read as spaces (the status
    is on two lines on screen)."""
    rows = [row for row in re.findall(r"<tr.*?</tr>", html, flags=re.S) if f">{name}</a>" in row]
    assert len(rows) == 1, name
    return rows[0].replace("<br>", " ")


# --- the column --------------------------------------------------------------------------------


def test_the_column_says_not_activated_activated_and_last_sign_in_in_wib(client, activation):
    client.force_login(activation.admin)
    html = client.get(reverse("reports:jp")).content.decode()
    assert re.search(r"<th[^>]*>\s*Aktivasi\s*</th>", html)  # the column heading
    assert "Belum aktivasi" in table_row(html, "Agus Tiga")
    assert A2_STATUS in table_row(html, "Aisyah Dua")
    assert K1_STATUS in table_row(html, "Kartini Lima")
    assert "Aktivasi 1 Jan 2026,<br>terakhir masuk" in html  # two lines on screen
    assert "terakhir masuk" in table_row(html, "Ahmad Satu")


def test_the_column_is_in_wib_whatever_time_zone_the_viewer_chose(client, activation):
    profile = UserProfile.get_for_user(activation.admin)
    profile.current_time_zone = "UTC"
    profile.save()
    client.force_login(activation.admin)
    html = client.get(reverse("reports:jp")).content.decode()
    assert K1_STATUS in table_row(html, "Kartini Lima")


# --- the filter --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        (Activation.NOT_ACTIVATED, {"a3", "b1", "k2"}),
        (Activation.ACTIVATED, {"a1", "a2", "k1", "supervisor"}),
        (Activation.IDLE, {"a2", "k1"}),  # never signed in, or not for 30 days
        ("", {"a1", "a2", "a3", "b1", "k1", "k2", "supervisor"}),
        ("nonsense", {"a1", "a2", "a3", "b1", "k1", "k2", "supervisor"}),  # dropped, as a bad filter is
    ],
)
def test_the_filter_lists_each_status(client, activation, choice, expected):
    client.force_login(activation.admin)
    assert listed(client, {"activation": choice}) == names(activation, expected)


def test_the_filter_form_offers_the_choices(client, activation):
    client.force_login(activation.supervisor)
    html = client.get(reverse("reports:jp")).content.decode()
    assert 'name="activation"' in html
    assert ">Belum aktivasi<" in html and ">Sudah aktivasi<" in html
    assert ">Sudah aktivasi, 30 hari tidak masuk<" in html


# --- scoping -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        (Activation.NOT_ACTIVATED, {"a3"}),
        (Activation.ACTIVATED, {"a1", "a2"}),
        (Activation.IDLE, {"a2"}),
    ],
)
def test_a_supervisor_sees_only_their_subtree(client, activation, choice, expected):
    client.force_login(activation.supervisor)
    assert listed(client, {"activation": choice}) == names(activation, expected)
    # A unit outside the subtree is refused (the filter drops it), never widening the scope.
    outside = {"activation": choice, "unit": activation.units["opd_k"].pk}
    assert listed(client, outside) == names(activation, expected)
    exported = csv_rows(client.get(reverse("reports:jp"), {"activation": choice, "export": "csv"}))
    assert {row["nama"] for row in exported} == names(activation, expected)


def test_a_trainer_sees_the_status_of_their_learners_only(client, activation):
    client.force_login(activation.trainer)  # c3: a2 and b1
    assert listed(client, {"activation": Activation.NOT_ACTIVATED}) == names(activation, {"b1"})


# --- the overview ------------------------------------------------------------------------------


def overview_card(client, query=None) -> tuple[int, str]:
    html = client.get(reverse("reports:overview"), query or {}).content.decode()
    found = NOT_ACTIVATED_CARD.search(html)
    assert found, "no not-activated card on the overview"
    return int(found.group(1).replace(".", "")), found.group(2).replace("&amp;", "&")


@pytest.mark.parametrize(
    ("role", "unit", "expected"),
    [
        ("admin", None, {"a3", "b1", "k2"}),
        ("admin", "bidang_a1", {"a3"}),
        ("admin", "kab", {"k2"}),
        ("supervisor", None, {"a3"}),
        ("supervisor", "opd_k", {"a3"}),  # outside the subtree: dropped, the scope stays
    ],
)
def test_the_overview_counts_who_has_not_activated_and_links_to_them(client, activation, role, unit, expected):
    client.force_login(getattr(activation, role))
    query = {"unit": activation.units[unit].pk} if unit else {}
    count, link = overview_card(client, query)
    assert count == len(expected)
    assert "activation=not_activated" in link
    assert set(PERSON_LINK.findall(client.get(link).content.decode())) == names(activation, expected)


def test_the_overview_counts_newcomers_at_once(client, activation):
    """Not from the year's precomputed summary: a person imported a minute ago counts."""
    from reports import summaries

    summaries.refresh()
    client.force_login(activation.supervisor)
    person("newcomer", activation.units["bidang_a1"])
    assert overview_card(client)[0] == 2


# --- the export --------------------------------------------------------------------------------


def test_the_export_holds_the_status_and_both_times_in_wib(client, activation):
    client.force_login(activation.admin)
    rows = {row["nama"]: row for row in csv_rows(client.get(reverse("reports:jp"), {"export": "csv"}))}
    kartini, aisyah, agus = rows["Kartini Lima"], rows["Aisyah Dua"], rows["Agus Tiga"]
    assert (kartini["status aktivasi"], kartini["diaktifkan pada"], kartini["terakhir masuk"]) == (
        K1_STATUS,
        "2026-01-01 00:00",
        "2026-01-01 00:30",
    )
    assert (aisyah["status aktivasi"], aisyah["terakhir masuk"]) == (A2_STATUS, "")
    assert (agus["status aktivasi"], agus["diaktifkan pada"], agus["terakhir masuk"]) == ("Belum aktivasi", "", "")

    data = b"".join(client.get(reverse("reports:jp"), {"export": "xlsx"}).streaming_content)
    sheet = [list(row) for row in load_workbook(io.BytesIO(data), read_only=True).active.iter_rows(values_only=True)]
    heading = sheet[0]
    # A read-only sheet leaves out a row's empty cells at its end.
    by_name = {row[heading.index("nama")]: row + [None] * (len(heading) - len(row)) for row in sheet[1:]}
    kartini = by_name["Kartini Lima"]
    assert kartini[heading.index("status aktivasi")] == K1_STATUS
    assert kartini[heading.index("diaktifkan pada")] == datetime.datetime(2026, 1, 1, 0, 0)
    assert kartini[heading.index("terakhir masuk")] == datetime.datetime(2026, 1, 1, 0, 30)
    assert by_name["Agus Tiga"][heading.index("diaktifkan pada")] is None


def test_the_not_activated_export_lists_exactly_them(client, activation):
    client.force_login(activation.admin)
    query = {"activation": Activation.NOT_ACTIVATED, "export": "csv"}
    rows = csv_rows(client.get(reverse("reports:jp"), query))
    assert sorted(row["nama"] for row in rows) == sorted(names(activation, {"a3", "b1", "k2"}))
    assert {row["status aktivasi"] for row in rows} == {"Belum aktivasi"}


# --- query counts ------------------------------------------------------------------------------


def _pages(world) -> dict:
    """{page: (url, query, the pin of tests/reports/test_queries.py)}."""
    not_activated = {"activation": Activation.NOT_ACTIVATED}
    return {
        "overview": (reverse("reports:overview"), {}, 14),
        "jp": (reverse("reports:jp"), not_activated, 12),
        "jp-idle": (reverse("reports:jp"), {"activation": Activation.IDLE}, 12),
        "jp-csv": (reverse("reports:jp"), {**not_activated, "export": "csv"}, 8),
        "jp-xlsx": (reverse("reports:jp"), {**not_activated, "export": "xlsx"}, 8),
    }


def _count(client, world) -> dict[str, int]:
    counts = {}
    for key, (url, query, _pin) in _pages(world).items():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, query)
            if response.streaming:
                b"".join(response.streaming_content)
        assert response.status_code == 200, key
        counts[key] = len(captured.captured_queries)
    return counts


def _more_people(world, start: int, stop: int):
    now = timezone.now()
    for number in range(start, stop):
        user = person(f"more{number}", world.units["bidang_a1"])
        if number % 3 == 1:
            _set(user, activated_at=now, last_login=now)
        elif number % 3 == 2:
            _set(user, activated_at=now - datetime.timedelta(days=90))


@pytest.mark.parametrize("role", ["admin", "supervisor"])
def test_query_counts_are_flat_for_5_and_50_people(client, activation, role):
    client.force_login(getattr(activation, role))
    _more_people(activation, 0, 5)
    small = _count(client, activation)
    _more_people(activation, 5, 50)
    large = _count(client, activation)
    assert large == small
    for key, (_url, _query, pin) in _pages(activation).items():
        assert large[key] <= pin, f"{key}: {large[key]} queries, pinned at {pin}"
