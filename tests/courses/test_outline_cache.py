"""The cached outline structure: every page change shows at the next request, in any process, and
learners' own states are never shared."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from courses import completion, outline_structure, selectors, services
from courses.models import CoursePage, LessonPage
from tests.courses.factories import build_course, enrol, learner

pytestmark = pytest.mark.django_db


@pytest.fixture
def course_and_learner(client):
    user = learner()
    tree = build_course(title="Kursus Cache", modules=2, lessons_per_module=3)
    enrol(user, tree.course)
    client.force_login(user)
    return tree, user


def fresh(page):
    return type(page).objects.get(pk=page.pk)


def as_other_worker(change):
    """Run ``change`` while another worker's copies of every structure read so far survive it: the
    process memo and the shared cache are put back as they were before the change."""
    memo_before = dict(outline_structure._structure_memo)
    shared_before = {key: cache.get(key) for key in memo_before}
    change()
    outline_structure._structure_memo.clear()
    outline_structure._structure_memo.update(memo_before)
    cache.set_many({key: value for key, value in shared_before.items() if value is not None})


def as_fresh_worker():
    outline_structure._structure_memo.clear()
    cache.clear()


def course_page(client, tree) -> str:
    response = client.get(fresh(tree.course).url)
    assert response.status_code == 200
    return response.content.decode()


def lesson_page(client, lesson) -> str:
    response = client.get(fresh(lesson).url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_structure_is_read_once_per_version(course_and_learner):
    tree, _user = course_and_learner
    completion.course_outline(fresh(tree.course), use_cache=True)
    with CaptureQueriesContext(connection) as queries:
        outline = completion.course_outline(fresh(tree.course), use_cache=True)
    assert len(queries) == 1  # the course row only: the structure came from the cache
    assert [item.title for item in outline.items] == [lesson.title for lesson in tree.lessons]


@pytest.mark.parametrize("worker", ["same process", "other process with a stale copy", "fresh process"])
def test_an_unpublished_lesson_disappears_at_the_next_request(client, course_and_learner, worker):
    tree, _user = course_and_learner
    assert "Materi 1.2" in course_page(client, tree)
    assert 'href="' + tree.lessons[1].url + '"' in lesson_page(client, tree.lessons[0])  # "next"

    def change():
        fresh(tree.lessons[1]).unpublish()

    as_other_worker(change) if worker.startswith("other") else change()
    if worker == "fresh process":
        as_fresh_worker()
    assert "Materi 1.2" not in course_page(client, tree)
    page = lesson_page(client, tree.lessons[0])
    assert tree.lessons[1].url not in page
    assert 'href="' + tree.lessons[2].url + '"' in page  # "next" skips the unpublished lesson


@pytest.mark.parametrize("worker", ["same process", "other process with a stale copy", "fresh process"])
def test_a_published_lesson_and_a_new_title_show_at_the_next_request(client, course_and_learner, worker):
    tree, _user = course_and_learner
    module = fresh(tree.modules[0])
    draft = LessonPage(title="Materi Baru", slug="materi-baru", live=False)
    module.add_child(instance=draft)
    draft.save_revision()
    assert "Materi Baru" not in course_page(client, tree)
    lesson_page(client, tree.lessons[2])

    def change():
        fresh(draft).get_latest_revision().publish()
        renamed = fresh(tree.lessons[0])
        renamed.title = "Materi Pembuka"
        renamed.save_revision().publish()

    as_other_worker(change) if worker.startswith("other") else change()
    if worker == "fresh process":
        as_fresh_worker()
    page = course_page(client, tree)
    assert "Materi Baru" in page
    assert "Materi Pembuka" in page and "Materi 1.1<" not in page
    assert 'href="' + fresh(draft).url + '"' in lesson_page(client, tree.lessons[2])  # new "next"


@pytest.mark.parametrize("worker", ["same process", "other process with a stale copy", "fresh process"])
def test_a_moved_lesson_shows_in_its_new_place_at_the_next_request(client, course_and_learner, worker):
    tree, _user = course_and_learner
    lesson = fresh(tree.lessons[2])
    lesson.slug = "materi-pindahan"  # module 2 has its own "materi-3"
    lesson.save_revision().publish()
    lesson_page(client, tree.lessons[2])
    course_page(client, tree)

    def change():
        fresh(tree.lessons[2]).move(fresh(tree.modules[1]), pos="last-child")

    as_other_worker(change) if worker.startswith("other") else change()
    if worker == "fresh process":
        as_fresh_worker()
    outline = completion.course_outline(fresh(tree.course), use_cache=True)
    assert [item.title for item in outline.modules[1].items][-1] == "Materi 1.3"
    moved = fresh(tree.lessons[2])
    page = lesson_page(client, tree.lessons[5])  # Materi 2.3, now followed by the moved lesson
    assert 'href="' + moved.url + '"' in page
    assert moved.url in course_page(client, tree)


@pytest.mark.parametrize("worker", ["same process", "other process with a stale copy", "fresh process"])
def test_a_deleted_lesson_disappears_at_the_next_request(client, course_and_learner, worker):
    tree, _user = course_and_learner
    assert "Materi 2.2" in course_page(client, tree)
    lesson_page(client, tree.lessons[4])

    def change():
        Page.objects.get(pk=tree.lessons[4].pk).delete()

    as_other_worker(change) if worker.startswith("other") else change()
    if worker == "fresh process":
        as_fresh_worker()
    assert "Materi 2.2" not in course_page(client, tree)
    assert 'href="' + tree.lessons[5].url + '"' in lesson_page(client, tree.lessons[3])


def test_an_unpublished_module_hides_its_lessons_at_the_next_request(client, course_and_learner):
    tree, _user = course_and_learner
    assert "Materi 2.1" in course_page(client, tree)
    as_other_worker(lambda: fresh(tree.modules[1]).unpublish())
    page = course_page(client, tree)
    assert "Materi 2.1" not in page and "Materi 1.1" in page


def test_a_draft_revision_does_not_change_the_outline_version(course_and_learner):
    tree, _user = course_and_learner
    before = fresh(tree.course).outline_version
    lesson = fresh(tree.lessons[0])
    lesson.title = "Judul Draf"
    lesson.save_revision()
    assert fresh(tree.course).outline_version == before
    lesson.get_latest_revision().publish()
    assert fresh(tree.course).outline_version != before


def test_a_change_gives_a_version_never_used_before(course_and_learner):
    tree, _user = course_and_learner
    seen = {fresh(tree.course).outline_version}
    for _ in range(3):
        fresh(tree.lessons[0]).unpublish()
        seen.add(fresh(tree.course).outline_version)
        fresh(tree.lessons[0]).save_revision().publish()
        seen.add(fresh(tree.course).outline_version)
    # An old revision of the course carries an old version; publishing it still gives a new one.
    course = fresh(tree.course)
    old_revision = course.save_revision()
    fresh(tree.lessons[1]).unpublish()
    seen.add(fresh(tree.course).outline_version)
    old_revision.publish()
    seen.add(fresh(tree.course).outline_version)
    assert len(seen) == 9


def test_a_learner_never_sees_another_learners_states(client, course_and_learner):
    tree, first = course_and_learner
    second = learner()
    enrol(second, tree.course)
    for lesson in tree.lessons[:4]:
        services.lesson_mark_done(user=first, lesson=lesson)
    services.lesson_open(user=second, lesson=tree.lessons[0])

    first_page = course_page(client, tree)
    first_lesson = lesson_page(client, tree.lessons[0])
    client.force_login(second)
    second_page = course_page(client, tree)
    second_lesson = lesson_page(client, tree.lessons[0])
    assert first_page.count("state-done") == 4 and first_page.count("state-in_progress") == 0
    assert second_page.count("state-done") == 0 and second_page.count("state-in_progress") == 1
    # Lesson 1.1: done for the first learner (no "mark as done" form), open for the second.
    assert 'class="mark-done"' not in first_lesson
    assert 'class="mark-done"' in second_lesson


def test_sequential_locks_follow_each_learners_own_progress(client, course_and_learner):
    tree, first = course_and_learner
    CoursePage.objects.filter(pk=tree.course.pk).update(sequential_modules=True)
    second = learner()
    enrol(second, tree.course)
    for lesson in tree.lessons[:3]:
        services.lesson_mark_done(user=first, lesson=lesson)
    assert client.get(fresh(tree.lessons[3]).url).status_code == 200
    client.force_login(second)
    assert client.get(fresh(tree.lessons[3]).url).status_code == 403


def test_a_view_restriction_on_the_course_still_guards_its_lessons(client, course_and_learner):
    """Course pages read view restrictions in one query of their own (``ViewRestrictionsInOneQueryMixin``)."""
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    tree, _user = course_and_learner
    assert client.get(fresh(tree.lessons[0]).url).status_code == 200
    restriction = PageViewRestriction.objects.create(
        page=fresh(tree.course), restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.create(name="Hanya Pengajar Khusus")])
    assert list(fresh(tree.lessons[0]).get_view_restrictions()) == [restriction]
    for page in (tree.lessons[0], tree.course):  # Wagtail sends a learner outside the group to sign in
        response = client.get(fresh(page).url)
        assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("through", ["lesson page", "access rule"])
def test_the_learners_own_resume_position_and_video_share(client, course_and_learner, through):
    from courses.models import LessonProgress

    tree, user = course_and_learner
    other = learner()
    enrol(other, tree.course)
    for learner_user, position, fraction in ((user, 42.5, 0.3), (other, 7.0, 0.9)):
        services.lesson_open(user=learner_user, lesson=tree.lessons[1])
        LessonProgress.objects.filter(user=learner_user, lesson=tree.lessons[1]).update(
            last_position_seconds=position, video_fraction=fraction
        )
    if through == "lesson page":
        assert 'data-resume="42.50"' in lesson_page(client, tree.lessons[1])
    else:
        progress = selectors.lesson_access(user=user, lesson=fresh(tree.lessons[1])).progress
        assert (progress.last_position_seconds, progress.video_fraction) == (42.5, 0.3)
    progress = selectors.lesson_access(user=user, lesson=fresh(tree.lessons[1])).progress
    assert (progress.last_position_seconds, progress.video_fraction, progress.completed_at) == (42.5, 0.3, None)
