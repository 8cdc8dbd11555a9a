"""Completion follows the grades: a required quiz counts only when passed, and when a later attempt or a
regrade takes a pass away the enrolment reopens and its JP credit is reversed by a ledger entry (never
deleted); a later pass completes it again with a new credit. Reports and the SIASN export follow."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from courses import services
from courses.models import Enrolment, JPCredit, JPEntryKind, ProgressStatus
from courses.selectors import dashboard, jp_earned
from quizzes import services as quiz_services
from quizzes.models import QuizResult
from reports import selectors as report_selectors
from reports.scoping import Scope
from tests.courses.factories import build_course, enrol, learner, take
from tests.quizzes.factories import quiz_page, true_false

pytestmark = pytest.mark.django_db

EVERYONE = Scope(everything=True)


def course_with_post_test(*, grading_method="highest", required=True, jp_value=4):
    tree = build_course(modules=1, lessons_per_module=1, jp_value=jp_value)
    question = true_false(correct=True)
    post = quiz_page(
        tree.course,
        [question],
        title="Post-test",
        quiz_role="posttest",
        pass_mark=Decimal("70"),
        grading_method=grading_method,
        required=required,
    )
    user = learner()
    enrol(user, tree.course)
    services.lesson_mark_done(user=user, lesson=tree.lessons[0])
    return tree, post, question, user


def state(user, course):
    enrolment = Enrolment.objects.get(user=user, course=course)
    ledger = list(JPCredit.objects.filter(user=user, course_ref=course.pk).order_by("pk").values_list("kind", "jp"))
    return enrolment, ledger


def siasn_users(course):
    today = timezone.localdate()
    rows = report_selectors.siasn_rows(
        scope=EVERYONE, start=today - datetime.timedelta(days=1), end=today + datetime.timedelta(days=1)
    )
    return {(row.user_id, row.credited_jp) for row in rows.filter(course_id=course.pk)}


def regrade_with_key(question, quiz, *, correct: bool):
    """The trainer corrects the answer key, then regrades every attempt."""
    question.correct_true = correct
    question.save()
    quiz_services.quiz_regrade(quiz=quiz, dry_run=False)


def test_a_failed_required_post_test_keeps_the_course_open_and_credits_nothing(client):
    tree, post, _question, user = course_with_post_test()
    take(post, user, right=False)  # 0 %, pass mark 70 %
    enrolment, ledger = state(user, tree.course)
    assert enrolment.completed_at is None and enrolment.percent == 50
    assert enrolment.progress_status == ProgressStatus.IN_PROGRESS
    assert ledger == []
    assert siasn_users(tree.course) == set()
    client.force_login(user)
    html = client.get(tree.course.url).content.decode()
    assert "Kursus selesai" not in html and "Nilai Anda: 0, belum lulus" in html


def test_a_regrade_that_turns_a_pass_into_a_fail_reopens_and_reverses_the_credit():
    tree, post, question, user = course_with_post_test()
    take(post, user, right=True)
    enrolment, ledger = state(user, tree.course)
    assert enrolment.completed_at is not None and ledger == [(JPEntryKind.CREDIT, 4)]
    assert siasn_users(tree.course) == {(user.pk, 4)}
    assert jp_earned(user=user) == 4

    regrade_with_key(question, post, correct=False)  # the learner's "true" is now wrong
    assert not QuizResult.objects.get(quiz=post, user=user).passed
    enrolment, ledger = state(user, tree.course)
    assert enrolment.completed_at is None and enrolment.percent == 50
    assert enrolment.progress_status == ProgressStatus.IN_PROGRESS
    # Nothing deleted: the credit stays, marked reversed, and a reversal entry cancels it in the same year.
    assert ledger == [(JPEntryKind.CREDIT, 4), (JPEntryKind.REVERSAL, -4)]
    credit, reversal = JPCredit.objects.filter(user=user).order_by("pk")
    assert credit.reversed_at is not None and reversal.reverses_id == credit.pk and reversal.year == credit.year
    assert "Post-test" in reversal.reason
    assert jp_earned(user=user) == 0
    assert siasn_users(tree.course) == set()  # the export no longer lists it

    # A regrade the other way (the key restored) completes the course again: a new credit.
    regrade_with_key(question, post, correct=True)
    enrolment, ledger = state(user, tree.course)
    assert enrolment.completed_at is not None and enrolment.percent == 100
    assert ledger == [(JPEntryKind.CREDIT, 4), (JPEntryKind.REVERSAL, -4), (JPEntryKind.CREDIT, 4)]
    assert jp_earned(user=user) == 4
    assert siasn_users(tree.course) == {(user.pk, 4)}


def test_a_later_better_attempt_completes_the_course():
    tree, post, _question, user = course_with_post_test()
    take(post, user, right=False)
    take(post, user, right=True)  # remedial retake; grading method "highest"
    enrolment, ledger = state(user, tree.course)
    assert enrolment.completed_at is not None and ledger == [(JPEntryKind.CREDIT, 4)]
    assert siasn_users(tree.course) == {(user.pk, 4)}


def test_a_later_worse_attempt_under_last_attempt_grading_reopens_the_course():
    tree, post, _question, user = course_with_post_test(grading_method="last")
    take(post, user, right=True)
    assert state(user, tree.course)[0].completed_at is not None
    take(post, user, right=False)  # the last attempt is the grade: no longer passed
    enrolment, ledger = state(user, tree.course)
    assert enrolment.completed_at is None
    assert ledger == [(JPEntryKind.CREDIT, 4), (JPEntryKind.REVERSAL, -4)]
    data = dashboard(user=user)
    assert [entry.enrolment.course_id for entry in data.in_progress] == [tree.course.pk]
    assert data.completed == [] and data.jp_earned == 0


def test_a_later_worse_attempt_under_highest_grading_changes_nothing():
    tree, post, _question, user = course_with_post_test()
    take(post, user, right=True)
    take(post, user, right=False)
    enrolment, ledger = state(user, tree.course)
    assert enrolment.completed_at is not None and ledger == [(JPEntryKind.CREDIT, 4)]


def test_an_optional_quiz_failed_after_completion_does_not_reopen():
    tree, post, _question, user = course_with_post_test(required=False)
    assert state(user, tree.course)[0].completed_at is not None  # the lesson was all that was required
    take(post, user, right=False)
    enrolment, ledger = state(user, tree.course)
    assert enrolment.completed_at is not None and ledger == [(JPEntryKind.CREDIT, 4)]


def test_a_lesson_added_after_completion_does_not_take_the_completion_back():
    from courses.models import LessonPage

    tree, post, _question, user = course_with_post_test()
    take(post, user, right=True)
    tree.modules[0].add_child(instance=LessonPage(title="Materi baru", slug="materi-baru"))
    services.course_enrolments_refresh(course=tree.course)
    services.enrolment_refresh(user=user, course=tree.course)
    enrolment, ledger = state(user, tree.course)
    assert enrolment.completed_at is not None and ledger == [(JPEntryKind.CREDIT, 4)]


def test_refreshing_twice_writes_no_second_reversal_or_credit():
    tree, post, question, user = course_with_post_test()
    take(post, user, right=True)
    regrade_with_key(question, post, correct=False)
    services.enrolment_refresh(user=user, course=tree.course)
    services.enrolment_refresh(user=user, course=tree.course)
    assert state(user, tree.course)[1] == [(JPEntryKind.CREDIT, 4), (JPEntryKind.REVERSAL, -4)]


def test_reports_count_only_the_jp_the_person_holds():
    tree, post, question, user = course_with_post_test()
    take(post, user, right=True)
    regrade_with_key(question, post, correct=False)
    year = timezone.localdate().year
    profile = report_selectors.jp_compliance(scope=EVERYONE, year=year).get(user=user)
    assert profile.jp == 0
    zero = report_selectors.jp_compliance(scope=EVERYONE, year=year, band=report_selectors.JPBand.ZERO)
    assert zero.filter(user=user).exists()  # a reversed credit is no credit
    report = report_selectors.person(scope=EVERYONE, user_id=user.pk)
    assert [(row["total"], row["courses"]) for row in report.jp_by_year] == [(0, 0)]
    assert JPCredit.objects.filter(user=user, year=year).aggregate(total=Sum("jp"))["total"] == 0


def test_the_person_report_page_no_longer_says_completed_after_a_failing_regrade(client):
    from tests.factories import UserFactory

    tree, post, question, user = course_with_post_test()
    take(post, user, right=True)
    regrade_with_key(question, post, correct=False)
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.get(reverse("reports:person", args=[user.pk]))
    assert response.status_code == 200
    text = " ".join(response.content.decode().split())
    assert "100 %" not in text and "100%" not in text
