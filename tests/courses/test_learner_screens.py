"""What a learner reads on their screens: what "mark as done" still lacks, completed courses on Kursus
Saya, the course page's completion and assigned-only wording, one menu entry, icons, favicon, position."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from courses import services
from h5p.models import Requirement
from tests.courses.factories import build_course, enrol, learner, trainer
from tests.h5p.factories import course_with_h5p, item
from tests.h5p.xapi_statements import post, statement

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


# --- "Tandai selesai" while a required H5P item is pending ---------------------------------------


@pytest.mark.parametrize(
    ("requirements", "expected"),
    [
        ([("Kuis Nilai Dasar", Requirement.COMPLETED)], ["“Kuis Nilai Dasar” (harus diselesaikan)"]),
        ([("Simulasi Layanan", Requirement.PASSED)], ["“Simulasi Layanan” (harus lulus)"]),
        (
            [("Satu", Requirement.COMPLETED), ("Dua", Requirement.PASSED), ("Tambahan", Requirement.OPTIONAL)],
            ["“Satu” (harus diselesaikan)", "“Dua” (harus lulus)"],
        ),
    ],
)
def test_mark_as_done_names_what_is_still_missing(client, requirements, expected):
    contents = [(item(title=title), requirement) for title, requirement in requirements]
    tree = course_with_h5p(contents, rule="mark_done")
    user = learner()
    enrol(user, tree.course)
    client.force_login(user)
    lesson = tree.lessons[0]
    response = client.post(reverse("lesson_mark_done", args=[lesson.pk]), follow=True)
    shown = " ".join(messages_of(response))
    assert "Materi ditandai selesai." not in shown
    assert "belum tuntas" in shown
    for line in expected:
        assert line in shown
    assert "Tambahan" not in shown  # the optional item is not asked for


def test_mark_as_done_after_the_h5p_item_completes_the_lesson(client):
    content = item(title="Kuis Nilai Dasar")
    tree = course_with_h5p([(content, Requirement.COMPLETED)], rule="mark_done")
    user = learner()
    enrol(user, tree.course)
    client.force_login(user)
    services.lesson_open(user=user, lesson=tree.lessons[0])
    post(client, content, statement(user, content, "completed"))
    response = client.post(reverse("lesson_mark_done", args=[tree.lessons[0].pk]), follow=True)
    shown = " ".join(messages_of(response))
    assert "belum tuntas" not in shown and "Selamat" in shown


# --- Kursus Saya -------------------------------------------------------------------------------


def test_a_learner_who_finished_their_only_course_sees_it_as_completed(client):
    user = learner()
    tree = build_course(title="Etika Birokrasi", lessons_per_module=1, jp_value=6)
    enrol(user, tree.course)
    services.lesson_mark_done(user=user, lesson=tree.lessons[0])
    client.force_login(user)
    response = client.get(reverse("dashboard"))
    text = text_of(response)
    assert "Anda belum mengikuti kursus apa pun" not in text
    assert "semua kursus yang Anda ikuti sudah selesai" in text
    completed = text[text.index("Kursus yang selesai") :]
    assert "Etika Birokrasi" in completed and "Selesai pada" in completed and "6 JP tercatat" in completed
    assert 'id="selesai"' in response.content.decode()


def test_a_learner_with_no_course_is_pointed_at_the_catalogue(client):
    client.force_login(learner())
    text = text_of(client.get(reverse("dashboard")))
    assert "Anda belum mengikuti kursus apa pun" in text


def test_the_course_page_says_completed_once_with_the_date_and_jp(client):
    user = learner()
    tree = build_course(title="Etika Birokrasi", lessons_per_module=1, jp_value=6)
    enrol(user, tree.course)
    services.lesson_mark_done(user=user, lesson=tree.lessons[0])
    client.force_login(user)
    text = text_of(client.get(tree.course.url))
    assert "Selesai Selesai" not in text
    assert "Kursus selesai" in text
    assert re.search(
        r"Anda menyelesaikan kursus ini pada \d+ \w+ \d{4}\. 6 JP tercatat untuk Anda pada tahun \d{4}\.", text
    )


# --- assigned-only courses ----------------------------------------------------------------------


def test_an_assigned_only_course_says_who_assigns_it_and_whom_to_ask(client):
    teacher = trainer()
    tree = build_course(title="Kursus Penugasan", enrolment_mode="assigned")
    tree.course.trainers.add(teacher)
    tree.course.save_revision().publish()
    client.force_login(learner())
    response = client.get(tree.course.url)
    text = text_of(response)
    assert "Cara mengikuti" in text
    assert "pengajar kursus atau admin BPSDM yang mendaftarkan peserta" in text
    assert f"hubungi pengajar: {teacher.display_name}" in text
    assert 'action="' + reverse("course_enrol", args=[tree.course.pk]) not in response.content.decode()
    catalogue = text_of(client.get(tree.course.get_parent().url))
    assert "Ditugaskan pengajar" in catalogue


def test_an_assigned_only_course_without_trainers_points_to_the_supervisor(client):
    tree = build_course(title="Kursus Penugasan", enrolment_mode="assigned")
    client.force_login(learner())
    text = text_of(client.get(tree.course.url))
    assert "mintalah atasan langsung mengusulkan Anda ke BPSDM" in text


# --- header, icons, favicon ---------------------------------------------------------------------


def test_the_menu_has_one_entry_for_the_learner_s_own_page(client):
    build_course()
    client.force_login(learner())
    html = client.get(reverse("dashboard")).content.decode()
    nav = html[html.index('class="site-nav"') : html.index("</nav>", html.index('class="site-nav"'))]
    links = re.findall(r'href="([^"]+)"', nav)
    assert links.count(reverse("dashboard")) == 1 and not [link for link in links if "#kursus-saya" in link]
    assert "Dasbor" not in nav and "Kursus Saya" in nav
    assert 'aria-current="page"' in nav


def test_every_page_links_a_favicon_that_is_served_from_static(client):
    tree = build_course()
    for url in ["/", reverse("login"), tree.course.url]:
        html = client.get(url, follow=True).content.decode()
        icons = re.findall(r'<link rel="icon" href="([^"]+)"', html)
        assert icons, url
    for name in ["lms/img/favicon.svg", "lms/img/favicon-32.png", "lms/img/apple-touch-icon.png"]:
        assert finders.find(name), name


def test_outline_marks_are_inline_svg_not_glyphs(client):
    user = learner()
    tree = build_course(modules=2, lessons_per_module=3, sequential_modules=True)
    enrol(user, tree.course)
    services.lesson_mark_done(user=user, lesson=tree.lessons[0])
    services.lesson_open(user=user, lesson=tree.lessons[1])
    client.force_login(user)
    html = client.get(tree.course.url).content.decode()
    for name in ["lock", "done", "progress", "todo"]:
        assert f'class="icon icon-{name}"' in html, name
    for glyph in ["&#128274;", "\U0001f512", "&#10003;", "&#9680;", "&#9675;"]:
        assert glyph not in html


# --- the lesson's position ----------------------------------------------------------------------


def test_a_lesson_shows_its_position_within_its_module(client):
    user = learner()
    tree = build_course(modules=2, lessons_per_module=3)
    enrol(user, tree.course)
    client.force_login(user)
    assert "Modul 1 · Materi 1 dari 3" in text_of(client.get(tree.lessons[0].url))
    assert "Modul 2 · Materi 2 dari 3" in text_of(client.get(tree.lessons[4].url))


def test_quizzes_in_a_module_are_not_counted_as_lessons(client):
    from tests.quizzes.factories import quiz_page, true_false

    user = learner()
    tree = build_course(modules=1, lessons_per_module=2)
    quiz_page(tree.modules[0], [true_false()], title="Kuis Modul")
    enrol(user, tree.course)
    client.force_login(user)
    assert "Materi 2 dari 2" in text_of(client.get(tree.lessons[1].url))


# --- the catalogue on a phone -------------------------------------------------------------------


def test_the_catalogue_folds_its_filters_unless_one_is_set(client):
    index = build_course().course.get_parent()
    html = client.get(index.url).content.decode()
    assert '<details class="filter-details">' in html
    assert 'id="catalogue-q"' in html[: html.index('<details class="filter-details"')]  # search stays in view
    html = client.get(index.url, {"jenis": "teknis"}).content.decode()
    assert '<details class="filter-details" open>' in html
