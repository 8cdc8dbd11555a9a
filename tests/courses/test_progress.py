"""Lesson progress and course completion: rules, heartbeats, resume, JP credited once, content changes."""

import threading
import uuid
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from courses import completion, services, watching
from courses.models import Enrolment, JPCredit, LessonPage, LessonProgress
from tests.courses.factories import build_course, enrol, learner, video_media

pytestmark = pytest.mark.django_db


class Clock:
    """A controllable ``timezone.now`` for heartbeat budgets."""

    def __init__(self, start: datetime):
        self.now = start

    def advance(self, seconds: float):
        self.now += timedelta(seconds=seconds)

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    fake = Clock(datetime(2026, 3, 2, 2, 0, tzinfo=UTC))
    with mock.patch("django.utils.timezone.now", fake):
        yield fake


def beat(client, lesson, *, view="11111111-1111-4111-8111-111111111111", **fields):
    data = {"view": view, **{key: str(value) for key, value in fields.items()}}
    response = client.post(reverse("lesson_heartbeat", args=[lesson.pk]), data)
    assert response.status_code == 200, response.content
    return response.json()


def progress_of(user, lesson) -> LessonProgress:
    return LessonProgress.objects.get(user=user, lesson=lesson)


def enrolment_of(user, course) -> Enrolment:
    return Enrolment.objects.get(user=user, course=course)


@pytest.fixture
def video_course():
    media = video_media(duration=100)
    return build_course(lessons_per_module=1, rule="video", video=media)


def test_mark_as_done_completes_lessons_then_the_course_and_credits_the_jp(client):
    tree = build_course(lessons_per_module=3, jp_value=6)
    user = learner()
    enrol(user, tree.course)
    client.force_login(user)
    page = client.get(tree.lessons[0].url).content.decode()
    assert "Tandai selesai" in page

    client.post(reverse("lesson_mark_done", args=[tree.lessons[0].pk]))
    enrolment = enrolment_of(user, tree.course)
    assert (enrolment.percent, enrolment.progress_status, enrolment.done_items) == (33, "in_progress", 1)
    assert not JPCredit.objects.exists()

    for lesson in tree.lessons[1:]:
        client.post(reverse("lesson_mark_done", args=[lesson.pk]))
    enrolment = enrolment_of(user, tree.course)
    assert (enrolment.percent, enrolment.progress_status) == (100, "completed")
    assert enrolment.completed_at is not None
    credit = JPCredit.objects.get(user=user)
    assert (credit.jp, credit.year, credit.course_title) == (6, timezone.localdate().year, tree.course.title)


def test_marking_done_twice_and_refreshing_again_credit_the_jp_only_once(client):
    tree = build_course(lessons_per_module=1)
    user = learner()
    enrol(user, tree.course)
    client.force_login(user)
    for _ in range(2):
        client.post(reverse("lesson_mark_done", args=[tree.lessons[0].pk]))
    first_completion = enrolment_of(user, tree.course).completed_at
    services.enrolment_refresh(user=user, course=tree.course)
    services.lesson_progress_refresh(user=user, lesson=tree.lessons[0])
    assert JPCredit.objects.filter(user=user).count() == 1
    assert enrolment_of(user, tree.course).completed_at == first_completion
    assert LessonProgress.objects.filter(user=user).count() == 1


def test_jp_is_credited_to_the_calendar_year_of_completion_in_jakarta(client):
    tree = build_course(lessons_per_module=1)
    user = learner()
    enrol(user, tree.course)
    new_year_in_jambi = datetime(2026, 12, 31, 17, 30, tzinfo=UTC)  # 1 January 2027, 00:30 WIB
    with mock.patch("django.utils.timezone.now", return_value=new_year_in_jambi):
        services.lesson_mark_done(user=user, lesson=tree.lessons[0])
    assert JPCredit.objects.get(user=user).year == 2027


def test_open_rule_completes_the_lesson_when_the_page_reports_it_was_opened(client):
    tree = build_course(lessons_per_module=2, rule="open")
    user = learner()
    enrol(user, tree.course)
    client.force_login(user)
    client.get(tree.lessons[0].url)
    assert not LessonProgress.objects.exists()  # a GET writes nothing; the page's script reports the visit
    result = beat(client, tree.lessons[0], active=0)
    assert result["completed"] is True
    assert enrolment_of(user, tree.course).percent == 50


def test_video_rule_counts_only_what_was_played_and_clamps_to_the_video_length(client, clock, video_course):
    user = learner()
    enrol(user, video_course.course)
    client.force_login(user)
    lesson = video_course.lessons[0]
    beat(client, lesson, active=0)

    clock.advance(30)
    # Played 0–30 s, then jumped to 95 s: the skipped part does not count.
    result = beat(client, lesson, active=30, position=95, duration=100, played="0-30")
    assert result == {"completed": False, "video_percent": 30, "time_spent_seconds": 30}
    assert progress_of(user, lesson).last_position_seconds == 95

    clock.advance(70)
    # A player cannot report beyond the end: 30–250 is cut to 30–100.
    result = beat(client, lesson, active=100, position=100, duration=100, played="0-30,30-250")
    progress = progress_of(user, lesson)
    assert progress.video_watched_seconds == 100 and progress.video_fraction == 1
    assert progress.watched_intervals == [[0, 100]]
    assert result["completed"] is True
    assert enrolment_of(user, video_course.course).progress_status == "completed"


def test_video_threshold_is_the_lessons_percentage(client, clock):
    tree = build_course(lessons_per_module=1, rule="video", video=video_media(duration=100))
    LessonPage.objects.filter(pk=tree.lessons[0].pk).update(video_threshold_percent=50)
    user = learner()
    enrol(user, tree.course)
    client.force_login(user)
    beat(client, tree.lessons[0])
    clock.advance(60)
    assert beat(client, tree.lessons[0], played="0-49", duration=100)["completed"] is False
    clock.advance(5)
    assert beat(client, tree.lessons[0], played="0-50", duration=100)["completed"] is True


def test_a_heartbeat_cannot_claim_more_playing_than_the_time_that_passed(client, clock, video_course):
    user = learner()
    enrol(user, video_course.course)
    client.force_login(user)
    lesson = video_course.lessons[0]
    beat(client, lesson)
    clock.advance(5)
    # 5 s later a doctored report claims the whole video: at most 2x speed plus slack is accepted.
    beat(client, lesson, played="0-100", duration=100, active=5)
    watched = progress_of(user, lesson).video_watched_seconds
    assert watched <= 5 * services.MAX_PLAYBACK_RATE + services.HEARTBEAT_SLACK_SECONDS
    assert progress_of(user, lesson).completed_at is None


def test_duplicate_heartbeats_change_nothing(client, clock, video_course):
    user = learner()
    enrol(user, video_course.course)
    client.force_login(user)
    lesson = video_course.lessons[0]
    beat(client, lesson)
    clock.advance(20)
    payload = {"active": 20, "position": 20, "duration": 100, "played": "0-20"}
    first = beat(client, lesson, **payload)
    state = progress_of(user, lesson)
    clock.advance(3)
    second = beat(client, lesson, **payload)  # a retry of the same report
    again = progress_of(user, lesson)
    assert first == second
    assert (again.time_spent_seconds, again.video_watched_seconds, again.watched_intervals) == (
        state.time_spent_seconds,
        state.video_watched_seconds,
        state.watched_intervals,
    )


def test_two_tabs_do_not_count_time_twice(client, clock):
    tree = build_course(lessons_per_module=1)
    user = learner()
    enrol(user, tree.course)
    client.force_login(user)
    lesson = tree.lessons[0]
    tab_a, tab_b = str(uuid.uuid4()), str(uuid.uuid4())
    beat(client, lesson, view=tab_a, active=0)
    for step in range(1, 5):
        clock.advance(30)
        beat(client, lesson, view=tab_a, active=30 * step)
        beat(client, lesson, view=tab_b, active=30 * step)
    # 120 s of wall-clock time: never more than that plus a little slack per report.
    assert progress_of(user, lesson).time_spent_seconds <= 120 + 8 * services.HEARTBEAT_SLACK_SECONDS


def test_resume_position_is_given_back_to_the_player(client, clock, video_course):
    user = learner()
    enrol(user, video_course.course)
    client.force_login(user)
    lesson = video_course.lessons[0]
    beat(client, lesson)
    clock.advance(45)
    beat(client, lesson, position=42.5, duration=100, played="0-42.5", active=45)
    page = client.get(lesson.url).content.decode()
    assert 'data-resume="42.50"' in page
    assert '<video class="lesson-video"' in page
    assert "42% video sudah ditonton" in " ".join(page.split()).replace("</span>", "")


def test_heartbeat_with_garbage_is_answered_calmly(client, video_course):
    user = learner()
    enrol(user, video_course.course)
    client.force_login(user)
    response = client.post(
        reverse("lesson_heartbeat", args=[video_course.lessons[0].pk]),
        {"view": "<script>", "active": "lots", "position": "nan", "duration": "-5", "played": "a-b,5-2,inf-9"},
    )
    assert response.status_code == 200
    progress = progress_of(user, video_course.lessons[0])
    assert progress.video_watched_seconds == 0 and progress.last_position_seconds == 0


def test_locked_module_opens_after_the_previous_one_is_done(client):
    tree = build_course(modules=2, lessons_per_module=1, sequential_modules=True)
    user = learner()
    enrol(user, tree.course)
    client.force_login(user)
    locked = client.get(tree.lessons[1].url)
    assert locked.status_code == 403
    assert "Isi materi pelayanan publik." not in locked.content.decode()
    assert client.post(reverse("lesson_mark_done", args=[tree.lessons[1].pk])).status_code == 404

    client.post(reverse("lesson_mark_done", args=[tree.lessons[0].pk]))
    assert client.get(tree.lessons[1].url).status_code == 200


def test_course_page_shows_marks_and_progress_to_the_enrolled_learner(client):
    tree = build_course(modules=2, lessons_per_module=2)
    user = learner()
    enrol(user, tree.course)
    services.lesson_mark_done(user=user, lesson=tree.lessons[0])
    services.lesson_open(user=user, lesson=tree.lessons[1])
    client.force_login(user)
    html = client.get(tree.course.url).content.decode()
    assert 'aria-valuenow="25"' in html
    assert html.count("badge badge-ok") >= 1 and "Sedang berlangsung" in html
    assert f'href="{tree.lessons[1].url}"' in html  # "Lanjutkan" goes to the first unfinished lesson
    assert "Lanjutkan" in html


def test_lesson_page_links_previous_and_next_across_modules(client):
    tree = build_course(modules=2, lessons_per_module=1)
    user = learner()
    enrol(user, tree.course)
    client.force_login(user)
    first = client.get(tree.lessons[0].url).content.decode()
    second = client.get(tree.lessons[1].url).content.decode()
    assert f'rel="next" href="{tree.lessons[1].url}"' in first and 'rel="prev"' not in first
    assert f'rel="prev" href="{tree.lessons[0].url}"' in second


def test_deleting_a_lesson_keeps_history_and_recomputes_percentages(client, django_capture_on_commit_callbacks):
    tree = build_course(lessons_per_module=3)
    done, untouched, other = tree.lessons
    user = learner()
    enrol(user, tree.course)
    services.lesson_mark_done(user=user, lesson=done)
    services.lesson_mark_done(user=user, lesson=other)
    assert enrolment_of(user, tree.course).percent == 66

    with django_capture_on_commit_callbacks(execute=True):
        LessonPage.objects.get(pk=done.pk).delete()
    history = LessonProgress.objects.get(user=user, lesson_title="Materi 1.1")
    assert history.lesson_id is None and history.completed_at is not None
    enrolment = enrolment_of(user, tree.course)
    assert (enrolment.percent, enrolment.done_items, enrolment.required_items) == (50, 1, 2)

    client.force_login(user)
    assert client.get(reverse("dashboard")).status_code == 200
    assert client.get(tree.course.url).status_code == 200

    # Removing the last unfinished lesson completes the course (and credits the JP) for those who did the rest.
    with django_capture_on_commit_callbacks(execute=True):
        LessonPage.objects.get(pk=untouched.pk).delete()
    enrolment = enrolment_of(user, tree.course)
    assert enrolment.progress_status == "completed" and JPCredit.objects.filter(user=user).count() == 1


def test_deleting_the_whole_course_keeps_enrolment_and_jp_history(client, django_capture_on_commit_callbacks):
    tree = build_course(lessons_per_module=1, jp_value=3)
    user = learner()
    enrol(user, tree.course)
    services.lesson_mark_done(user=user, lesson=tree.lessons[0])
    with django_capture_on_commit_callbacks(execute=True):
        tree.course.delete()
    enrolment = Enrolment.objects.get(user=user)
    assert enrolment.course_id is None and enrolment.course_title == "Pelayanan Publik Prima"
    assert JPCredit.objects.get(user=user).jp == 3
    client.force_login(user)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert "Pelayanan Publik Prima" in response.content.decode()


def test_unpublishing_a_lesson_recomputes_against_the_current_required_lessons(django_capture_on_commit_callbacks):
    tree = build_course(lessons_per_module=2)
    user = learner()
    enrol(user, tree.course)
    services.lesson_mark_done(user=user, lesson=tree.lessons[0])
    assert enrolment_of(user, tree.course).percent == 50
    with django_capture_on_commit_callbacks(execute=True):
        LessonPage.objects.get(pk=tree.lessons[1].pk).unpublish()
    assert enrolment_of(user, tree.course).progress_status == "completed"


def test_a_completed_course_stays_completed_when_a_lesson_is_added(django_capture_on_commit_callbacks):
    tree = build_course(lessons_per_module=1)
    user = learner()
    enrol(user, tree.course)
    services.lesson_mark_done(user=user, lesson=tree.lessons[0])
    with django_capture_on_commit_callbacks(execute=True):
        extra = LessonPage(title="Materi tambahan", slug="tambahan")
        tree.modules[0].add_child(instance=extra)
        extra.save_revision().publish()
    enrolment = enrolment_of(user, tree.course)
    assert enrolment.progress_status == "completed" and enrolment.percent == 100
    assert JPCredit.objects.filter(user=user).count() == 1


def test_optional_lessons_do_not_count():
    tree = build_course(lessons_per_module=2)
    LessonPage.objects.filter(pk=tree.lessons[1].pk).update(required=False)
    user = learner()
    enrol(user, tree.course)
    services.lesson_mark_done(user=user, lesson=tree.lessons[0])
    assert enrolment_of(user, tree.course).progress_status == "completed"


@pytest.fixture
def lesson_requirement():
    """A lesson requirement another app (H5P) would register; removed afterwards."""
    satisfied = set()

    def requirement(*, user_id, lesson):
        return (user_id, lesson.pk) in satisfied

    completion.register_lesson_requirement(requirement)
    yield satisfied
    completion._lesson_requirements.remove(requirement)


def test_registered_lesson_requirement_holds_completion_back_until_met(lesson_requirement):
    tree = build_course(lessons_per_module=1)
    user = learner()
    enrol(user, tree.course)
    services.lesson_mark_done(user=user, lesson=tree.lessons[0])
    assert progress_of(user, tree.lessons[0]).completed_at is None
    assert enrolment_of(user, tree.course).progress_status == "in_progress"

    lesson_requirement.add((user.pk, tree.lessons[0].pk))  # e.g. the H5P item was completed
    services.lesson_progress_refresh(user=user, lesson=tree.lessons[0])
    assert progress_of(user, tree.lessons[0]).completed_at is not None
    assert enrolment_of(user, tree.course).progress_status == "completed"


def test_registered_item_provider_decides_required_items_and_their_state():
    """Another app's item type counts in the same rule (a stand-in provider over lessons)."""
    tree = build_course(lessons_per_module=3)
    user = learner()
    enrol(user, tree.course)
    done_ids = {tree.lessons[0].pk}

    class StandInProvider(completion.ItemProvider):
        page_model = LessonPage

        def required_ids(self, page_ids):
            return {pk for pk in page_ids if pk != tree.lessons[2].pk}

        def states(self, user_id, page_ids):
            return {pk: completion.DONE for pk in page_ids if pk in done_ids}

    original = completion.provider_for_model(LessonPage)
    completion.register_item_provider(StandInProvider())
    try:
        outline = completion.course_outline(tree.course, user_id=user.pk)
        assert (outline.required_count, outline.done_count, outline.percent) == (2, 1, 50)
        assert outline.next_item.page_id == tree.lessons[1].pk
    finally:
        completion.register_item_provider(original)


@settings(max_examples=60, deadline=None)
@given(
    existing=st.lists(st.tuples(st.floats(0, 120), st.floats(0, 60)), max_size=6),
    incoming=st.lists(st.tuples(st.floats(0, 120), st.floats(0, 60)), max_size=6),
    budget=st.floats(0, 200),
)
def test_watched_parts_merge_is_bounded_and_idempotent(existing, incoming, budget):
    duration = 100.0
    before = watching.normalise_intervals([(s, s + length) for s, length in existing], duration=duration)
    reported = [(s, s + length) for s, length in incoming]
    merged = watching.merge_watched(before, reported, duration=duration, budget=budget)
    covered_before = watching.covered_seconds(before)
    covered_after = watching.covered_seconds(merged)
    assert all(0 <= start < end <= duration for start, end in merged)
    assert covered_before - 0.05 <= covered_after <= min(duration, covered_before + budget) + 0.5
    # Sending the same report again adds nothing new.
    again = watching.merge_watched(merged, reported, duration=duration, budget=budget)
    assert watching.covered_seconds(again) <= covered_after + budget + 0.5
    assert watching.merge_watched(merged, [], duration=duration, budget=budget) == merged


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="needs a server database for parallel transactions")
def test_concurrent_duplicate_heartbeats_make_one_row_and_one_completion():
    tree = build_course(lessons_per_module=1, rule="open")
    user = learner()
    enrol(user, tree.course)
    lesson = LessonPage.objects.get(pk=tree.lessons[0].pk)
    barrier = threading.Barrier(6)
    errors = []

    def tab():
        from django.db import connections

        try:
            barrier.wait()
            services.lesson_heartbeat(
                user=user, lesson_id=lesson.pk, beat=services.Heartbeat(view_id="", active_seconds=5)
            )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=tab) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert LessonProgress.objects.filter(user=user, lesson=lesson).count() == 1
    assert progress_of(user, lesson).completed_at is not None
    assert enrolment_of(user, tree.course).progress_status == "completed"
    assert JPCredit.objects.filter(user=user).count() == 1
