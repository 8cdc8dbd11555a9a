"""The learner dashboard (Dasbor / Kursus Saya): profile, courses with progress, Lanjutkan, JP this year."""

import re

import pytest
from django.urls import reverse

from courses import services
from courses.models import JPCredit
from tests.courses.factories import build_course, enrol, learner

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_dashboard_keeps_the_profile_card(client):
    user = learner(full_name="Siti Rahma, S.E.", nip="198609262015052001", gender="P")
    client.force_login(user)
    response = client.get(reverse("dashboard"))
    html = response.content.decode()
    assert "<h1>Kursus Saya</h1>" in html and "Selamat datang, Siti Rahma, S.E." in html
    card = html[html.index('class="card profile-card"') :]
    assert "19860926 201505 2 001" in card and user.asn_profile.unit.name in card


def test_dashboard_lists_courses_with_progress_and_where_to_continue(client):
    user = learner()
    started = build_course(title="Pelayanan Publik Prima", lessons_per_module=4)
    finished = build_course(title="Etika Birokrasi", lessons_per_module=1, jp_value=6)
    waiting = build_course(title="Manajemen Kinerja", enrolment_mode="request")
    enrol(user, started.course)
    enrol(user, finished.course)
    services.enrolment_create(user=user, course=waiting.course)
    services.lesson_mark_done(user=user, lesson=started.lessons[0])
    services.lesson_mark_done(user=user, lesson=finished.lessons[0])
    client.force_login(user)

    response = client.get(reverse("dashboard"))
    html = response.content.decode()
    text = text_of(response)
    assert 'id="kursus-saya"' in html
    assert 'aria-valuenow="25"' in html  # 1 of 4 lessons
    assert f'href="{started.lessons[1].url}"' in html  # Lanjutkan goes to the next lesson
    assert "Lanjutkan" in text
    assert "Kursus yang selesai" in text and "Etika Birokrasi" in text
    assert "Menunggu persetujuan" in text and "Manajemen Kinerja" in text
    assert "6 / 20 JP" in text


def test_jp_target_is_a_setting_and_only_this_year_counts(client, settings):
    settings.LMS_ANNUAL_JP_TARGET = 24
    user = learner()
    tree = build_course(lessons_per_module=1, jp_value=4)
    enrol(user, tree.course)
    services.lesson_mark_done(user=user, lesson=tree.lessons[0])
    JPCredit.objects.create(
        user=user,
        course=None,
        course_ref=999999,
        course_title="Kursus tahun lalu",
        jp=10,
        year=2001,
        credited_at="2001-05-05T10:00:00+07:00",
    )
    client.force_login(user)
    text = text_of(client.get(reverse("dashboard")))
    assert "4 / 24 JP" in text
    assert "Kurang 20 JP untuk mencapai target tahun ini." in text


def test_a_learner_sees_only_their_own_courses(client):
    me, colleague = learner(), learner()
    tree = build_course(title="Kursus Rekan")
    enrol(colleague, tree.course)
    client.force_login(me)
    assert "Kursus Rekan" not in client.get(reverse("dashboard")).content.decode()


def test_header_links_to_the_catalogue_and_my_courses(client):
    tree = build_course()
    client.force_login(learner())
    html = client.get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("course_catalogue")}"' in html and ">Katalog<" in html
    assert "Kursus Saya" in html
    assert client.get(reverse("course_catalogue")).url == tree.course.get_parent().url
