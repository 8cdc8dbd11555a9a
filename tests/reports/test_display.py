"""Units that share a name are told apart wherever they are shown; numbers are written the Indonesian way."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from people.models import UnitKerja
from people.roles import SUPERVISOR
from quizzes.models import Attempt, QuizResult
from reports.views import number
from tests.factories import ASNProfileFactory, UnitFactory, UserFactory
from tests.reports.world import person, result

pytestmark = pytest.mark.django_db

REGENCIES = ["Kab. Bungo", "Kab. Tebo", "Kab. Merangin", "Kota Jambi"]


@pytest.fixture
def bkpsdm(world):
    """A BKPSDM in each of four regencies, a Bidang Mutasi in two of them, one ASN in each BKPSDM."""
    units = {}
    for regency in REGENCIES:
        root = UnitFactory(name=regency, kind="instansi")
        units[regency] = UnitFactory(parent=root, name="BKPSDM")
    for regency in REGENCIES[:2]:
        units[f"mutasi {regency}"] = UnitFactory(parent=units[regency], name="Bidang Mutasi", kind="bidang")
    for unit in units.values():
        unit.refresh_from_db()
    for number_, regency in enumerate(REGENCIES):
        person(f"bk{number_}", units[regency], full_name=f"Pegawai {regency}")
    return units


def test_labels_tell_units_with_one_name_apart_in_one_query(bkpsdm, django_assert_num_queries):
    units = list(bkpsdm.values()) + [UnitKerja.objects.get(name="Dinas A")]
    with django_assert_num_queries(1):
        labels = UnitKerja.labels(units)
    assert labels[bkpsdm["Kab. Bungo"].path] == "BKPSDM — Kab. Bungo"
    assert labels[bkpsdm["Kota Jambi"].path] == "BKPSDM — Kota Jambi"
    assert labels[bkpsdm["mutasi Kab. Tebo"].path] == "Bidang Mutasi — BKPSDM — Kab. Tebo"
    assert labels[UnitKerja.objects.get(name="Dinas A").path] == "Dinas A", "a unique name is enough"
    assert len(set(labels.values())) == len(labels)
    assert bkpsdm["Kab. Tebo"].label == "BKPSDM — Kab. Tebo"
    dinas_a = UnitKerja.objects.get(name="Dinas A")
    assert dinas_a.label == "Dinas A — Pemerintah Provinsi Jambi"


def test_labels_of_many_units_cost_one_query(bkpsdm, django_assert_num_queries):
    root = UnitFactory(name="Kab. Kerinci Baru", kind="instansi")
    many = [UnitFactory(parent=root, name="Sekretariat") for _ in range(1)]
    many += [
        UnitFactory(parent=UnitKerja.objects.get(pk=bkpsdm[regency].pk), name="Sekretariat") for regency in REGENCIES
    ]
    pairs = [(unit.path, unit.name) for unit in UnitKerja.objects.filter(pk__in=[u.pk for u in many])]
    with django_assert_num_queries(1):
        labels = UnitKerja.labels(pairs)
    assert len(set(labels.values())) == len(pairs)


def _csv(response):
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text)))


def test_reports_exports_and_filters_name_the_regency(client, world, bkpsdm):
    client.force_login(world.admin)
    page = client.get(reverse("reports:jp")).content.decode()
    for regency in REGENCIES:
        assert f"BKPSDM — {regency}</td>" in page, regency
        assert f"BKPSDM — {regency}</option>" in page, "the unit filter too"
    assert "Dinas A</td>" in page
    rows = _csv(client.get(reverse("reports:jp"), {"export": "csv"}))
    assert {row[0] for row in rows[1:]} >= {f"BKPSDM — {regency}" for regency in REGENCIES}
    overview = client.get(reverse("reports:overview")).content.decode()
    assert "BKPSDM — Kab. Bungo</option>" in overview


def test_a_supervisor_of_two_bkpsdm_sees_two_bars_told_apart(client, world, bkpsdm):
    supervisor = UserFactory(username="kepala_dua", roles=[SUPERVISOR])
    profile = ASNProfileFactory(user=supervisor, unit=bkpsdm["Kab. Bungo"])
    profile.supervised_units.add(bkpsdm["Kab. Bungo"], bkpsdm["Kab. Tebo"])
    client.force_login(supervisor)
    page = client.get(reverse("reports:overview")).content.decode()
    assert "BKPSDM — Kab. Bungo" in page and "BKPSDM — Kab. Tebo" in page


def test_the_person_page_the_people_admin_and_h5p_results_name_the_regency(client, world, bkpsdm):
    learner = UserFactory(username="bungo_learner")
    ASNProfileFactory(user=learner, unit=bkpsdm["Kab. Bungo"], full_name="Orang Bungo")
    client.force_login(world.admin)
    person_page = client.get(reverse("reports:person", args=[learner.pk])).content.decode()
    assert "BKPSDM — Kab. Bungo" in person_page
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    listing = client.get("/admin/snippets/people/asnprofile/", {"q": "Orang Bungo"}).content.decode()
    assert "BKPSDM — Kab. Bungo" in listing
    listing = client.get("/admin/snippets/people/asnprofile/").content.decode()
    assert "BKPSDM — Kab. Tebo</option>" in listing or "BKPSDM — Kab. Tebo" in listing


def test_the_people_admin_listing_runs_a_fixed_number_of_queries(client, world, bkpsdm):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/admin/snippets/people/asnprofile/").status_code == 200
        return len(captured.captured_queries)

    small = count()
    for index in range(15):
        ASNProfileFactory(unit=bkpsdm[REGENCIES[index % 4]])
    assert count() == small


# --- numbers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [(12.5, "12,5"), (44.44, "44,4"), (1234567.25, "1.234.567,2"), (100, "100"), (12345, "12.345"), (60.0, "60")],
)
def test_numbers_are_written_the_indonesian_way(value, expected):
    with translation.override("id"):
        assert number(value) == expected


def test_report_pages_write_decimal_commas_and_grouped_thousands(client, world):
    QuizResult.objects.filter(user=world.people["a1"], quiz=world.quizzes["q1"]).update(grade_percent=Decimal("62.5"))
    QuizResult.objects.filter(user=world.people["b1"], quiz=world.quizzes["post"]).update(grade_percent=Decimal("35"))
    client.force_login(world.admin)
    quizzes = client.get(reverse("reports:quizzes")).content.decode()
    assert "62,5%" in quizzes and "62.5%" not in quizzes
    assert "-15" in quizzes and "+30" in quizzes  # gains
    completion = client.get(reverse("reports:completion")).content.decode()
    assert "62,5%" in completion  # average progress of Kursus Satu: (100 + 100 + 50 + 0) / 4


def test_quiz_results_and_an_attempt_in_the_quiz_admin_name_the_regency(client, world, bkpsdm):
    learners = [person(f"kuis{index}", bkpsdm[regency]) for index, regency in enumerate(REGENCIES)]
    for learner in learners:
        result(learner, world.quizzes["q1"], world.courses["c1"], grade=70)
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    url = reverse("quizzes_admin:results", args=[world.quizzes["q1"].pk])
    page = client.get(url).content.decode()
    for regency in REGENCIES:
        assert f"<td>BKPSDM — {regency}</td>" in page
        assert f"BKPSDM — {regency}</option>" in page
    attempt = Attempt.objects.filter(user=learners[0]).first()
    detail = client.get(reverse("quizzes_admin:attempt", args=[attempt.pk])).content.decode()
    assert "BKPSDM — Kab. Bungo" in detail
