"""The course catalogue: published courses, Wagtail search, filters and pages."""

import pytest

from courses.models import CourseCategory
from tests.courses.factories import build_course, catalogue, enrol, learner

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [course.title for course, _enrolment in response.context["courses"]]


@pytest.fixture
def courses():
    service = CourseCategory.objects.create(name="Pelayanan Publik", slug="pelayanan-publik")
    management = CourseCategory.objects.create(name="Manajemen ASN", slug="manajemen-asn")
    return {
        "prima": build_course(
            title="Pelayanan Publik Prima",
            category=service,
            competency_kind="teknis",
            jp_value=4,
            summary="Standar pelayanan dan penanganan pengaduan masyarakat.",
        ).course,
        "etika": build_course(
            title="Manajemen ASN dan Etika Birokrasi",
            category=management,
            competency_kind="manajerial",
            jp_value=12,
            training_mode="klasikal",
            summary="Sistem merit dan kode etik ASN.",
        ).course,
        "budaya": build_course(
            title="Moderasi Beragama",
            competency_kind="sosial_kultural",
            jp_value=6,
            summary="Hidup rukun dalam keberagaman.",
        ).course,
    }


def test_catalogue_lists_published_courses_for_everyone(client, courses):
    draft = build_course(title="Kursus Draf").course
    draft.unpublish()
    response = client.get(catalogue().url)
    assert response.status_code == 200
    assert titles(response) == ["Manajemen ASN dan Etika Birokrasi", "Moderasi Beragama", "Pelayanan Publik Prima"]


def test_search_finds_words_in_title_and_summary(client, courses):
    assert titles(client.get(catalogue().url, {"q": "pengaduan"})) == ["Pelayanan Publik Prima"]
    assert titles(client.get(catalogue().url, {"q": "etika"})) == ["Manajemen ASN dan Etika Birokrasi"]
    response = client.get(catalogue().url, {"q": "astronomi"})
    assert titles(response) == []
    assert "Tidak ada kursus yang cocok" in response.content.decode()


def test_filters_by_category_kind_mode_and_jp(client, courses):
    url = catalogue().url
    assert titles(client.get(url, {"kategori": "manajemen-asn"})) == ["Manajemen ASN dan Etika Birokrasi"]
    assert titles(client.get(url, {"jenis": "sosial_kultural"})) == ["Moderasi Beragama"]
    assert titles(client.get(url, {"mode": "klasikal"})) == ["Manajemen ASN dan Etika Birokrasi"]
    assert titles(client.get(url, {"jp": "5-10"})) == ["Moderasi Beragama"]
    assert titles(client.get(url, {"jp": "11+", "q": "sistem merit"})) == ["Manajemen ASN dan Etika Birokrasi"]
    # Unknown values are ignored, never an error page.
    assert len(titles(client.get(url, {"jenis": "<script>", "jp": "999", "halaman": "x"}))) == 3


def test_catalogue_is_paginated(client):
    for number in range(14):
        build_course(title=f"Kursus {number:02d}", lessons_per_module=0)
    first = client.get(catalogue().url)
    second = client.get(catalogue().url, {"halaman": 2})
    assert len(titles(first)) == 12 and len(titles(second)) == 2
    assert "Halaman 1 dari 2" in first.content.decode()
    assert titles(client.get(catalogue().url, {"halaman": 99})) == titles(second)


def test_catalogue_marks_the_learners_own_courses(client, courses):
    user = learner()
    enrol(user, courses["prima"])
    client.force_login(user)
    response = client.get(catalogue().url)
    statuses = {course.title: enrolment for course, enrolment in response.context["courses"]}
    assert statuses["Pelayanan Publik Prima"].status == "active"
    assert statuses["Moderasi Beragama"] is None
    assert "Terdaftar" in response.content.decode()
