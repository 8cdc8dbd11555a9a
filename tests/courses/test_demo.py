"""Demo courses from seed_demo: real-looking Indonesian courses, a shipped video, learners at varied progress."""

import os

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtailmedia.models import Media

from courses.models import CoursePage, Enrolment, JPCredit, LessonPage, LessonProgress

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(CoursePage.objects.values_list("title", flat=True)),
        LessonPage.objects.count(),
        Media.objects.count(),
        sorted(Enrolment.objects.values_list("user_id", "course_id", "status", "percent")),
        LessonProgress.objects.count(),
        JPCredit.objects.count(),
    )


def test_seed_demo_builds_the_courses_once(client):
    with open(os.devnull, "w") as devnull:
        call_command("seed_demo", stdout=devnull)
        first = snapshot()
        call_command("seed_demo", stdout=devnull)
    assert snapshot() == first

    titles = first[0]
    assert {"Pelayanan Publik Prima", "Manajemen ASN dan Etika Birokrasi"} <= set(titles)
    video_lesson = LessonPage.objects.get(completion_rule="video")
    assert video_lesson.tracked_video() is not None
    statuses = {percent for _user, _course, _status, percent in first[3]}
    assert {0, 100} <= statuses and statuses - {0, 100}  # some not started, some done, some in between
    assert Enrolment.objects.filter(status="requested").exists()  # the trainers' queue has work
    assert JPCredit.objects.exists()

    client.force_login(get_user_model().objects.get(username="peserta"))
    response = client.get("/dasbor/")
    assert "Pelayanan Publik Prima" in response.content.decode()
    media_response = client.get(video_lesson.tracked_video().url, HTTP_RANGE="bytes=0-99")
    assert media_response.status_code == 206
