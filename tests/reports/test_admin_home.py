"""The admin home page per role: what waits for a trainer, no page search for a supervisor, in
Indonesian; report listings with their title and open filters."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.http import QueryDict
from django.urls import reverse
from wagtail.models import GroupPagePermission

from courses.models import Enrolment, EnrolmentStatus
from people.roles import PENGAJAR
from quizzes import services
from tests.factories import UserFactory
from tests.quizzes.factories import course_with_module, enrolled_learner, essay, quiz_page

pytestmark = pytest.mark.django_db


def _submit_essay(quiz, learner):
    attempt = services.attempt_start(quiz=quiz, user=learner)
    data = QueryDict(mutable=True)
    data["q1"] = "Jawaban panjang"
    services.attempt_save(attempt_id=attempt.pk, user=learner, seq=1, post=data, slot_numbers=[1])
    services.attempt_submit(attempt_id=attempt.pk, user=learner)


def _request(course, user):
    return Enrolment.objects.create(
        user=user, course=course, course_title=course.title, status=EnrolmentStatus.REQUESTED
    )


def _numbers(page: str) -> dict[str, int]:
    return {
        label: int(count) for label, count in re.findall(r"(Esai untuk dinilai|Permintaan pendaftaran) \((\d+)\)", page)
    }


@pytest.fixture
def courses():
    mine, mine_module = course_with_module(title="Kursus Saya")
    other, other_module = course_with_module(title="Kursus Lain")
    trainer = UserFactory(username="pengajar_home", roles=[PENGAJAR])
    mine.trainers.add(trainer)
    mine.save()
    # Rights on their own course's pages only (as trainers get them on the courses that name them).
    group = Group.objects.create(name="Pengajar Kursus Saya")
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(group=group, page=mine, permission=Permission.objects.get(codename=codename))
    trainer.groups.add(group)
    return {"mine": (mine, mine_module), "other": (other, other_module), "trainer": trainer}


def test_the_trainer_home_counts_what_waits_in_their_own_courses(client, courses):
    mine, mine_module = courses["mine"]
    other, other_module = courses["other"]
    trainer = courses["trainer"]
    my_quiz = quiz_page(mine_module, [essay(default_mark=Decimal("5"))], title="Esai Saya")
    other_quiz = quiz_page(other_module, [essay(default_mark=Decimal("5"))], title="Esai Lain")
    for _ in range(2):
        _submit_essay(my_quiz, enrolled_learner(mine))
    _submit_essay(other_quiz, enrolled_learner(other))
    for _ in range(3):
        _request(mine, UserFactory())
    _request(other, UserFactory())

    client.force_login(trainer)
    numbers = _numbers(client.get(reverse("wagtailadmin_home")).content.decode())
    assert numbers == {"Esai untuk dinilai": 2, "Permintaan pendaftaran": 3}, "only what the trainer's course holds"


def test_the_trainer_panel_runs_a_fixed_number_of_queries(courses, rf, django_assert_num_queries):
    from reports.wagtail_hooks import TrainerTasksPanel

    mine, mine_module = courses["mine"]
    trainer = courses["trainer"]
    quiz = quiz_page(mine_module, [essay(default_mark=Decimal("5"))], title="Esai")
    _submit_essay(quiz, enrolled_learner(mine))
    trainer.has_perm("quizzes.grade_attempts")  # permissions cached on the user, as in a request
    with django_assert_num_queries(2):
        TrainerTasksPanel(trainer).get_context_data({})
    for _ in range(4):
        _submit_essay(quiz, enrolled_learner(mine))
        _request(mine, UserFactory())
    with django_assert_num_queries(2):
        tasks = TrainerTasksPanel(trainer).get_context_data({})["tasks"]
    assert [str(label) for label, _url in tasks] == ["Esai untuk dinilai (5)", "Permintaan pendaftaran (4)"]


def test_a_supervisor_home_has_no_page_search_and_a_trainer_home_has_it(client, world, courses):
    client.force_login(world.supervisor)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'role="search"' not in page.split("<main", 1)[-1]
    assert "Cari di semua halaman" not in page
    assert "Pembelajaran tahun" in page, "the supervisor still has the reports panel"

    client.force_login(world.admin)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Cari di semua halaman…" in page


def test_the_wagtail_admin_speaks_indonesian(client, world):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert re.search(r"\d+ Halaman", home) and not re.search(r"\d+ Pages", home)
    assert "Search all pages" not in home
    pages = client.get(reverse("wagtailadmin_explore_root")).content.decode()
    assert "Tanggal diperbarui" in pages and "Date updated" not in pages
    h5p = client.get("/admin/h5p/results/").content.decode()
    assert "Saring menurut" in h5p and "Filter by" not in h5p


@pytest.mark.parametrize(
    "name", ["reports:completion", "reports:enrolments", "reports:jp", "reports:quizzes", "reports:siasn"]
)
def test_report_listings_show_their_title_and_open_filters(client, world, name):
    client.force_login(world.admin)
    page = client.get(reverse(name)).content.decode()
    assert re.search(r'<h1 class="w-h2 lms-report-title">[^<]+</h1>', page)
    assert '<form method="get" class="lms-filters"' in page
    assert 'id="filters-drilldown"' not in page, "no filters hidden behind the header icon"
    assert '<div class="lms-report-listing">' in page


def test_the_overview_and_person_pages_keep_their_title_in_the_page(client, world):
    client.force_login(world.admin)
    overview = client.get(reverse("reports:overview")).content.decode()
    assert '<h1 class="w-h2 lms-report-title">Laporan: ringkasan</h1>' in overview
    person = client.get(reverse("reports:person", args=[world.people["a1"].pk])).content.decode()
    assert '<h1 class="w-h2 lms-report-title">Ahmad Satu</h1>' in person
