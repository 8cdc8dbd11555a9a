"""Staff changes to learners' records are in Wagtail's audit log (``wagtail.log_actions.log``): grading an
essay on the attempt, regrading on the quiz page; a learner's own saving and submitting is not logged."""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.http import QueryDict
from django.urls import reverse
from django.utils import translation
from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry, PageLogEntry

from people.roles import PENGAJAR
from quizzes import services
from quizzes.models import Attempt
from tests.factories import UserFactory
from tests.quizzes.factories import course_with_module, enrolled_learner, essay, quiz_page, true_false

pytestmark = pytest.mark.django_db


def _quiz_entries():
    return list(ModelLogEntry.objects.filter(action__startswith="quizzes.")) + list(
        PageLogEntry.objects.filter(action__startswith="quizzes.")
    )


@pytest.fixture
def sitting():
    """A trainer of the course, and a learner's submitted attempt at an essay and a true/false question."""
    course, module = course_with_module()
    trainer = UserFactory(roles=[PENGAJAR])
    course.trainers.add(trainer)
    course.save()
    quiz = quiz_page(module, [essay(default_mark=Decimal("5")), true_false()], questions_per_page=0)
    learner = enrolled_learner(course)
    attempt = services.attempt_start(quiz=quiz, user=learner)
    post = QueryDict(mutable=True)
    post["q1"], post["q2"] = "Jawaban panjang", "1"
    services.attempt_save(attempt_id=attempt.pk, user=learner, seq=1, post=post, slot_numbers=[1, 2])
    services.attempt_submit(attempt_id=attempt.pk, user=learner)
    services.attempt_submit(attempt_id=attempt.pk, user=learner)  # a double click
    return {"quiz": quiz, "trainer": trainer, "learner": learner, "attempt": Attempt.objects.get(pk=attempt.pk)}


def test_a_learner_starting_saving_and_submitting_writes_no_audit_entry(sitting):
    assert _quiz_entries() == []


def test_grading_an_essay_writes_one_entry_on_the_attempt_with_the_grader(sitting):
    attempt, trainer = sitting["attempt"], sitting["trainer"]
    slot = attempt.slots.get(number=1)
    services.essay_grade(slot_id=slot.pk, mark=Decimal("4"), comment="Bagus", grader=trainer)
    [entry] = _quiz_entries()
    assert entry.action == "quizzes.attempt.grade"
    assert entry.user_id == trainer.pk
    assert entry.content_type == ContentType.objects.get_for_model(Attempt)
    assert entry.object_id == str(attempt.pk)
    assert entry.data["question"] == 1 and Decimal(entry.data["mark"]) == 4 and entry.data["previous_mark"] is None
    with translation.override("id"):
        assert entry.message == "Soal 1 dinilai: 4.00000 nilai"


def test_a_refused_grade_writes_nothing(sitting):
    slot = sitting["attempt"].slots.get(number=1)
    with pytest.raises(services.QuizError):
        services.essay_grade(slot_id=slot.pk, mark=Decimal("9"), comment="", grader=sitting["trainer"])
    assert _quiz_entries() == []


def test_regrading_writes_one_entry_on_the_quiz_page_and_a_dry_run_none(sitting):
    quiz, trainer = sitting["quiz"], sitting["trainer"]
    question = quiz.quiz_questions.get(question__qtype="truefalse").question
    question.correct_true = False
    question.save()
    services.quiz_regrade(quiz=quiz, dry_run=True, user=trainer)
    assert _quiz_entries() == []
    services.quiz_regrade(quiz=quiz, dry_run=False, user=trainer)
    [entry] = _quiz_entries()
    assert isinstance(entry, PageLogEntry) and entry.page_id == quiz.pk
    assert entry.action == "quizzes.quiz.regrade" and entry.user_id == trainer.pk
    assert entry.data["attempts"] == [sitting["attempt"].pk]


def test_the_actions_have_indonesian_labels_and_show_in_the_site_history(client, sitting):
    with translation.override("id"):
        assert str(log_registry.get_action_label("quizzes.attempt.grade")) == "Nilai esai"
        assert str(log_registry.get_action_label("quizzes.quiz.regrade")) == "Menilai ulang kuis"
    slot = sitting["attempt"].slots.get(number=1)
    client.force_login(sitting["trainer"])
    client.post(reverse("quizzes_admin:grade_essay", args=[slot.pk]), {"mark": "3", "comment": ""})
    client.post(reverse("quizzes_admin:regrade", args=[sitting["quiz"].pk]))
    assert {entry.action for entry in _quiz_entries()} == {"quizzes.attempt.grade", "quizzes.quiz.regrade"}
    assert all(entry.user_id == sitting["trainer"].pk for entry in _quiz_entries())
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    history = client.get(reverse("wagtailadmin_reports:site_history")).content.decode()
    assert "Soal 1 dinilai: 3.00000 nilai" in history
