"""Query budgets of the pages a learner opens: fixed, whatever the size of the course or the catalogue.

Budgets (signed-in learner, SQLite and PostgreSQL alike; they include the session, the user, Wagtail's
page routing, the header's permission check and the header's notification bell, one COUNT query of
the unread notifications, added by issue 16 to every pin below):
catalogue 16 with a search (15 without), course page 13, module page 13, lesson page 10 (9 once the lesson
body is cached: as many as the bare home page), dashboard 11,
progress heartbeat 5 (4 in practice). The course outline's structure is cached per ``outline_version``
(see ``courses/completion.py``), so once warm the outline costs no query of its own.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from courses import services
from tests.courses.factories import build_course, catalogue, enrol, learner, video_media

pytestmark = pytest.mark.django_db

CATALOGUE_QUERIES = 16  # +1 the bell (notifications.context_processors.bell)
COURSE_QUERIES = 13
MODULE_QUERIES = 13
LESSON_QUERIES = 10  # +1 the bell
DASHBOARD_QUERIES = 11  # +1 the bell
HEARTBEAT_QUERIES = 5


def count_queries(client, url, method="get", **data) -> int:
    getattr(client, method)(url, data)  # warm caches (site root paths, content types)
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def course_with_progress(user, *, lessons: int, title: str):
    """A course of ``lessons`` lessons in 5 modules, the learner enrolled and halfway through."""
    tree = build_course(title=title, modules=5, lessons_per_module=lessons // 5, video=video_media(duration=60))
    enrol(user, tree.course)
    for lesson in tree.lessons[: lessons // 2]:
        services.lesson_mark_done(user=user, lesson=lesson)
    services.lesson_open(user=user, lesson=tree.lessons[lessons // 2])
    return tree


@pytest.fixture
def small_and_large(client):
    user = learner()
    small = course_with_progress(user, lessons=5, title="Kursus Kecil")
    large = course_with_progress(user, lessons=50, title="Kursus Besar")
    client.force_login(user)
    return user, small, large


def test_course_page_queries_do_not_grow_with_lessons(client, small_and_large, django_assert_max_num_queries):
    _user, small, large = small_and_large
    counts = [count_queries(client, tree.course.url) for tree in (small, large)]
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(COURSE_QUERIES):
        client.get(large.course.url)


def test_module_page_queries_do_not_grow_with_lessons(client, small_and_large, django_assert_max_num_queries):
    _user, small, large = small_and_large
    counts = [count_queries(client, tree.modules[2].url) for tree in (small, large)]
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(MODULE_QUERIES):
        client.get(large.modules[2].url)


def test_lesson_page_queries_do_not_grow_with_lessons(client, small_and_large, django_assert_max_num_queries):
    _user, small, large = small_and_large
    counts = [count_queries(client, tree.lessons[3].url) for tree in (small, large)]
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(LESSON_QUERIES):
        client.get(large.lessons[30].url)


def test_dashboard_queries_do_not_grow_with_lessons_or_courses(client, django_assert_max_num_queries):
    user = learner()
    course_with_progress(user, lessons=5, title="Kursus Kecil")
    client.force_login(user)
    one_small = count_queries(client, reverse("dashboard"))
    for number in range(3):
        course_with_progress(user, lessons=50, title=f"Kursus Besar {number}")
    assert count_queries(client, reverse("dashboard")) == one_small
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        client.get(reverse("dashboard"))


def test_catalogue_queries_do_not_grow_with_courses(client, django_assert_max_num_queries):
    user = learner()
    client.force_login(user)
    index = catalogue()

    def add_courses(first, last):
        for number in range(first, last):
            cover = Image.objects.create(title=f"Sampul {number}", file=get_test_image_file())
            tree = build_course(title=f"Kursus {number:02d}", lessons_per_module=1, cover_image=cover, index=index)
            if number % 2:
                enrol(user, tree.course)

    search = {"q": "Kursus", "jenis": "teknis"}
    add_courses(0, 3)
    few = count_queries(client, index.url), count_queries(client, index.url, **search)
    add_courses(3, 15)
    assert (count_queries(client, index.url), count_queries(client, index.url, **search)) == few
    with django_assert_max_num_queries(CATALOGUE_QUERIES):
        client.get(index.url, search)


def test_heartbeat_runs_at_most_five_queries(client, small_and_large, django_assert_max_num_queries):
    _user, _small, large = small_and_large
    lesson = large.lessons[25]  # opened by the fixture: the summary row exists
    url = reverse("lesson_heartbeat", args=[lesson.pk])
    data = {
        "view": "11111111-1111-4111-8111-111111111111",
        "active": "15",
        "position": "12",
        "duration": "60",
        "played": "0-12",
    }
    with django_assert_max_num_queries(HEARTBEAT_QUERIES):
        response = client.post(url, data)
    assert response.status_code == 200
