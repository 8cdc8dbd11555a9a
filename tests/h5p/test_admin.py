"""The trainer's admin: upload and replace packages (every refusal reason shown), results per item with
the unit filter, CSV/XLSX export, raw statements; learners and supervisors kept out."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from h5p import demo_package
from h5p.models import H5PContent, H5PResult, H5PStatement, Requirement
from people.roles import PENGAJAR, PESERTA, SUPERVISOR
from tests.factories import ASNProfileFactory, UnitFactory, UserFactory
from tests.h5p.factories import course_with_h5p, enrol, item, package
from tests.h5p.xapi_statements import post, statement

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/snippets/h5p/h5pcontent/add/"


@pytest.fixture
def trainer(client):
    user = UserFactory(username="pengajar-admin", roles=[PENGAJAR])
    client.force_login(user)
    return user


def test_a_trainer_uploads_a_package_in_the_admin(client, trainer):
    form = client.get(ADD_URL).content.decode()
    assert 'name="upload"' in form and 'accept=".h5p"' in form and "Lumi" in form
    response = client.post(ADD_URL, {"title": "Kuis Etika", "description": "Uji pemahaman.", "upload": package()})
    assert response.status_code == 302, response.content.decode()[:2000]
    created = H5PContent.objects.get(title="Kuis Etika")
    assert created.version and created.uploaded_by == trainer and created.main_library == "H5P.KuisSingkat 1.0"


def test_a_refused_upload_shows_every_reason_in_indonesian_and_saves_nothing(client, trainer):
    broken = demo_package.zip_entries({"h5p.json": b"{}", "content/run.php": b"<?php"})
    from tests.h5p.factories import upload

    response = client.post(ADD_URL, {"title": "Rusak", "upload": upload(broken)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "content/run.php" in page and "tidak diizinkan H5P" in page
    assert "content/content.json tidak ada" in page
    assert "mainLibrary" in page
    assert not H5PContent.objects.exists()


def test_a_refused_replacement_in_the_admin_keeps_the_previous_version(client, trainer):
    content = item(title="Kuis")
    H5PContent.objects.filter(pk=content.pk).update(uploaded_by=trainer)  # their own upload
    version = content.version
    edit_url = f"/admin/snippets/h5p/h5pcontent/edit/{content.pk}/"
    response = client.post(edit_url, {"title": "Kuis baru", "upload": package(include_libraries=False)})
    assert response.status_code == 200
    assert "Lumi" in response.content.decode()
    content.refresh_from_db()
    assert (content.title, content.version) == ("Kuis", version)

    response = client.post(edit_url, {"title": "Kuis baru", "description": ""})
    assert response.status_code == 302, "editing the title alone needs no new file"
    content.refresh_from_db()
    assert (content.title, content.version) == ("Kuis baru", version)


def test_a_learner_cannot_reach_the_h5p_admin(client):
    client.force_login(UserFactory(username="peserta-admin", roles=[PESERTA]))
    assert client.get(ADD_URL).status_code in (302, 403)
    assert client.get("/admin/h5p/results/").status_code in (302, 403)


def test_a_supervisor_does_not_see_item_results(client):
    client.force_login(UserFactory(username="supervisor-admin", roles=[SUPERVISOR]))
    assert client.get("/admin/h5p/results/").status_code in (302, 403)


@pytest.fixture
def results(client):
    """Two learners in two units, results for one item, the trainer signed in."""
    content = item(title="Kuis ASN")
    tree = course_with_h5p([(content, Requirement.COMPLETED)])
    health = UnitFactory(name="Dinas Kesehatan", code="15.03")
    clinic = UnitFactory(name="Bidang Pelayanan Kesehatan", code="15.03.01", parent=health)
    education = UnitFactory(name="Dinas Pendidikan", code="15.04")
    learners = []
    for name, unit, score in (("Siti Rahma", clinic, (1, 1)), ("Budi Santoso", education, (0, 1))):
        user = UserFactory(username=name.split()[0].lower(), roles=[PESERTA])
        ASNProfileFactory(user=user, unit=unit, full_name=name)
        enrol(user, tree.course)
        client.force_login(user)
        post(client, content, statement(user, content, "answered", sub="q1"))
        post(client, content, statement(user, content, "completed", score=score, success=score[0] == 1))
        learners.append(user)
    teacher = UserFactory(username="pengajar-hasil", roles=[PENGAJAR])
    tree.course.trainers.add(teacher)  # the trainer of the course the item is placed in
    tree.course.save()
    client.force_login(teacher)
    return content, health, learners


def test_results_per_item_filtered_by_unit_subtree(client, results):
    content, health, _learners = results
    page = client.get(f"/admin/h5p/results/?content={content.pk}").content.decode()
    assert "Siti Rahma" in page and "Budi Santoso" in page
    assert "dilaporkan oleh peramban" in page
    filtered = client.get(f"/admin/h5p/results/?content={content.pk}&unit={health.pk}").content.decode()
    assert "Siti Rahma" in filtered, "a unit includes its sub-units"
    assert "Budi Santoso" not in filtered


def test_results_export_as_csv_and_xlsx(client, results):
    content, _health, _learners = results
    response = client.get(f"/admin/h5p/results/?content={content.pk}&export=csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    header = [cell.lower() for cell in rows[0]]
    assert "nilai terbaik (dilaporkan oleh peramban)" in header
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"Siti Rahma", "Budi Santoso"}
    assert by_name["Siti Rahma"][header.index("lulus")] == "Ya"
    assert by_name["Budi Santoso"][header.index("lulus")] == "Tidak"
    assert by_name["Siti Rahma"][header.index("unit kerja")] == "Bidang Pelayanan Kesehatan"

    response = client.get(f"/admin/h5p/results/?content={content.pk}&export=xlsx")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert len(values) == 3 and {values[1][0], values[2][0]} == {"Siti Rahma", "Budi Santoso"}


def test_raw_statements_of_a_learner(client, results):
    content, _health, learners = results
    url = reverse("h5p_statements:index") + f"?content={content.pk}&user={learners[0].pk}"
    page = client.get(url).content.decode()
    assert page.count("<tr") >= 3  # header + answered (question) + completed
    assert "http://adlnet.gov/expapi/verbs/completed" in page and "subContentId=q1" in page
    assert H5PStatement.objects.filter(user=learners[0]).count() == 2


def test_results_admin_is_read_only(client, results):
    content, _health, learners = results
    row = H5PResult.objects.get(user=learners[0])
    assert client.get(f"/admin/h5p/results/edit/{row.pk}/").status_code in (302, 403, 404)
    assert client.post(f"/admin/h5p/results/delete/{row.pk}/").status_code in (302, 403, 404)
    assert H5PResult.objects.filter(pk=row.pk).exists()


def test_item_listing_links_to_results_and_preview(client, results):
    content, _health, _learners = results
    page = client.get("/admin/snippets/h5p/h5pcontent/").content.decode()
    assert f"/admin/h5p/results/?content={content.pk}" in page
    assert f"/h5p/{content.pk}/" in page


def test_the_lesson_editor_warns_that_h5p_results_can_be_forged(client):
    """Where a trainer makes an H5P item required, the editor says a quiz is what proves (issue 11, Low 11)."""
    from django.contrib.auth import get_user_model

    content = item(title="Kuis Wajib")
    tree = course_with_h5p([(content, Requirement.PASSED)])
    admin = get_user_model().objects.create_superuser(username="admin-editor", password="x", email="e@b.c")
    client.force_login(admin)
    editor = client.get(f"/admin/pages/{tree.lessons[0].pk}/edit/")
    assert editor.status_code == 200
    html = editor.content.decode()
    assert "dilaporkan oleh peramban peserta dan dapat dipalsukan" in html
    assert "dinilai oleh server" in html
