"""Trainer and supervisor screens: the question bank through the admin's views, import/export upload,
results with the unit filter and supervisors' unit scope, attempt detail, item analysis, regrade,
essay grading, gains, and the quiz page's place in the page tree."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.test.utils import WagtailPageTestCase

from courses.models import CoursePage, LessonPage, ModulePage
from courses.permissions import grant_course_page_permissions
from people.roles import PENGAJAR, PESERTA, SUPERVISOR
from quizzes import services
from quizzes.models import Attempt, AttemptState, Question, QuestionCategory, QuizPage, QuizResult
from tests.factories import ASNProfileFactory, UnitFactory, UserFactory
from tests.quizzes.factories import (
    CategoryFactory,
    course_with_module,
    enrolled_learner,
    essay,
    quiz_page,
    single_choice,
    true_false,
)
from tests.quizzes.test_formats import GIFT_FILE

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer():
    user = UserFactory(roles=[PENGAJAR])
    return user


@pytest.fixture
def world(trainer):
    course, module = course_with_module()
    course.trainers.add(trainer)  # a trainer sees and changes the courses that name them
    course.save()
    grant_course_page_permissions()
    quiz = quiz_page(module, [true_false(), single_choice()])
    province = UnitFactory(name="Provinsi")
    health = UnitFactory(name="Dinas Kesehatan", parent=province)
    education = UnitFactory(name="Dinas Pendidikan", parent=province)
    nurse = enrolled_learner(course, unit=UnitFactory(name="Puskesmas", parent=health))
    teacher = enrolled_learner(course, unit=education)
    for learner, value in ((nurse, "1"), (teacher, "0")):
        attempt = services.attempt_start(quiz=quiz, user=learner)
        from django.http import QueryDict

        data = QueryDict(mutable=True)
        data["q1"] = value
        services.attempt_save(attempt_id=attempt.pk, user=learner, seq=1, post=data, slot_numbers=[1])
        services.attempt_submit(attempt_id=attempt.pk, user=learner)
    supervisor_profile = ASNProfileFactory(user=UserFactory(roles=[SUPERVISOR, PESERTA]), unit=health)
    supervisor_profile.supervised_units.add(health)
    return {
        "course": course,
        "module": module,
        "quiz": quiz,
        "health": health,
        "nurse": nurse,
        "teacher": teacher,
        "supervisor": supervisor_profile.user,
    }


def test_trainer_creates_a_question_through_the_admin_and_an_incomplete_one_is_refused(client, trainer):
    category = CategoryFactory(name="Etika")
    client.force_login(trainer)
    url = reverse("wagtailsnippets_quizzes_question:add")
    assert client.get(url).status_code == 200
    data = {
        "category": category.pk,
        "qtype": "single",
        "name": "Nilai dasar",
        "tags": "etika, asn",
        "text": '{"blocks":[{"key":"a","text":"Nilai dasar ASN?","type":"unstyled","depth":0,"inlineStyleRanges":[],'
        '"entityRanges":[]}],"entityMap":{}}',
        "default_mark": "1",
        "shuffle_options": "on",
        "general_feedback": "",
        "correct_true": "on",
        "true_feedback": "",
        "false_feedback": "",
        "response_template": "",
        "grader_info": "",
        "options-TOTAL_FORMS": "2",
        "options-INITIAL_FORMS": "0",
        "options-MIN_NUM_FORMS": "0",
        "options-MAX_NUM_FORMS": "1000",
        "options-0-text": "BerAKHLAK",
        "options-0-credit": "0",
        "options-0-feedback": "",
        "options-0-match_text": "",
        "options-0-tolerance": "0",
        "options-0-ORDER": "1",
        "options-1-text": "Lainnya",
        "options-1-credit": "0",
        "options-1-feedback": "",
        "options-1-match_text": "",
        "options-1-tolerance": "0",
        "options-1-ORDER": "2",
    }
    refused = client.post(url, data)
    assert refused.status_code == 200 and not Question.objects.exists()
    assert "nilai penuh" in refused.content.decode()  # "One option must give full credit", in Indonesian
    data["options-0-credit"] = "100"
    created = client.post(url, data)
    assert created.status_code == 302, created.content.decode()[:2000]
    question = Question.objects.get()
    assert question.current_version.number == 1 and sorted(question.tags.names()) == ["asn", "etika"]
    listing = client.get(reverse("wagtailsnippets_quizzes_question:list") + f"?category={category.pk}&q=Nilai")
    assert "Nilai dasar" in listing.content.decode()


def test_trainer_creates_a_nested_category(client, trainer):
    parent = CategoryFactory(name="Pelayanan Publik")
    client.force_login(trainer)
    response = client.post(
        reverse("wagtailsnippets_quizzes_questioncategory:add"),
        {"parent": parent.pk, "name": "Standar Pelayanan", "description": ""},
    )
    assert response.status_code == 302
    assert QuestionCategory.objects.get(name="Standar Pelayanan").get_parent() == parent


def test_import_upload_shows_what_was_created_and_what_was_not(client, trainer):
    category = CategoryFactory(name="Impor")
    client.force_login(trainer)
    upload = SimpleUploadedFile("bank.gift", GIFT_FILE.encode(), content_type="text/plain")
    response = client.post(reverse("quizzes_admin:import"), {"file": upload, "category": category.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert "GIFT: 9 dibuat, 3 tidak diimpor" in html
    assert "Deskripsi saja" in html and "Jawaban tersemat (cloze) tidak didukung." in html
    assert Question.objects.count() == 9


def test_export_downloads_moodle_xml(client, trainer):
    category = CategoryFactory(name="Ekspor")
    true_false(category=category, name="Soal ekspor")
    client.force_login(trainer)
    response = client.get(reverse("quizzes_admin:export"), {"category": category.pk, "include_subcategories": "on"})
    assert response["Content-Type"].startswith("application/xml")
    assert b'<question type="truefalse">' in response.content and b"Soal ekspor" in response.content


def test_a_learner_cannot_open_the_admin_screens(client, world):
    client.force_login(world["nurse"])
    assert client.get(reverse("quizzes_admin:results", args=[world["quiz"].pk])).status_code in (302, 403)
    assert client.get(reverse("quizzes_admin:import")).status_code in (302, 403)


def test_trainer_sees_every_learner_and_filters_by_unit(client, trainer, world):
    client.force_login(trainer)
    url = reverse("quizzes_admin:results", args=[world["quiz"].pk])
    html = client.get(url).content.decode()
    assert world["nurse"].display_name in html and world["teacher"].display_name in html
    filtered = client.get(url, {"unit": world["health"].pk}).content.decode()
    assert world["nurse"].display_name in filtered and world["teacher"].display_name not in filtered
    assert client.get(reverse("quizzes_admin:index")).status_code == 200


def test_supervisor_sees_only_their_units(client, world):
    client.force_login(world["supervisor"])
    html = client.get(reverse("quizzes_admin:results", args=[world["quiz"].pk])).content.decode()
    assert world["nurse"].display_name in html and world["teacher"].display_name not in html
    teacher_attempt = Attempt.objects.get(user=world["teacher"])
    assert client.get(reverse("quizzes_admin:attempt", args=[teacher_attempt.pk])).status_code == 404
    nurse_attempt = Attempt.objects.get(user=world["nurse"])
    assert client.get(reverse("quizzes_admin:attempt", args=[nurse_attempt.pk])).status_code == 200
    # Statistics and regrade are for trainers who edit the quiz.
    assert client.get(reverse("quizzes_admin:statistics", args=[world["quiz"].pk])).status_code in (302, 403, 404)


def test_results_page_queries_do_not_grow_with_learners(client, trainer, world, django_assert_max_num_queries):
    client.force_login(trainer)
    url = reverse("quizzes_admin:results", args=[world["quiz"].pk])
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(10):
        learner = enrolled_learner(world["course"])
        services.attempt_submit(attempt_id=services.attempt_start(quiz=world["quiz"], user=learner).pk, user=learner)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_attempt_detail_statistics_and_regrade(client, trainer, world):
    client.force_login(trainer)
    attempt = Attempt.objects.get(user=world["nurse"])
    detail = client.get(reverse("quizzes_admin:attempt", args=[attempt.pk]))
    assert detail.status_code == 200 and "Soal 1" in detail.content.decode()
    stats = client.get(reverse("quizzes_admin:statistics", args=[world["quiz"].pk]))
    assert stats.status_code == 200 and "Indeks daya beda" in stats.content.decode()
    # Fix the true/false key; the dry run lists both attempts, applying it changes their grades.
    question = world["quiz"].quiz_questions.first().question
    question.correct_true = False
    question.save()
    dry = client.get(reverse("quizzes_admin:regrade", args=[world["quiz"].pk])).content.decode()
    assert world["nurse"].display_name in dry and world["teacher"].display_name in dry
    assert Attempt.objects.get(user=world["nurse"]).percent == 50
    client.post(reverse("quizzes_admin:regrade", args=[world["quiz"].pk]))
    assert Attempt.objects.get(user=world["nurse"]).percent == 0
    assert Attempt.objects.get(user=world["teacher"]).percent == 50


def test_essay_grading_queue_and_form(client, trainer, world):
    quiz = quiz_page(world["module"], [essay(default_mark=Decimal("5"))], title="Esai")
    learner = world["nurse"]
    attempt = services.attempt_start(quiz=quiz, user=learner)
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    data["q1"] = "Jawaban panjang"
    services.attempt_save(attempt_id=attempt.pk, user=learner, seq=1, post=data, slot_numbers=[1])
    services.attempt_submit(attempt_id=attempt.pk, user=learner)
    client.force_login(trainer)
    queue = client.get(reverse("quizzes_admin:grading_queue")).content.decode()
    slot = attempt.slots.get()
    assert reverse("quizzes_admin:grade_essay", args=[slot.pk]) in queue
    too_high = client.post(reverse("quizzes_admin:grade_essay", args=[slot.pk]), {"mark": "7", "comment": ""})
    assert too_high.status_code == 200 and "antara 0 dan" in too_high.content.decode()
    client.post(reverse("quizzes_admin:grade_essay", args=[slot.pk]), {"mark": "4", "comment": "Bagus"})
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.FINISHED and attempt.percent == 80
    assert QuizResult.objects.get(quiz=quiz, user=learner).passed


def test_gains_page_for_a_paired_post_test(client, trainer, world):
    course = world["course"]
    pre = quiz_page(course, [true_false()], quiz_role="pretest", title="Pre")
    post = quiz_page(course, [true_false()], quiz_role="posttest", paired_pretest=pre, title="Post")
    QuizResult.objects.create(quiz=pre, user=world["nurse"], first_percent=40, grade_percent=40)
    QuizResult.objects.create(quiz=post, user=world["nurse"], first_percent=70, grade_percent=70)
    client.force_login(trainer)
    html = client.get(reverse("quizzes_admin:gains", args=[post.pk])).content.decode()
    assert "0,500" in html  # normalised gain (70 − 40) / (100 − 40), Indonesian decimal comma
    assert client.get(reverse("quizzes_admin:gains", args=[world["quiz"].pk])).status_code == 404


class QuizPageTreeTests(WagtailPageTestCase):
    def test_quiz_pages_live_in_modules_or_directly_in_courses(self):
        self.assertAllowedParentPageTypes(QuizPage, {CoursePage, ModulePage})
        self.assertAllowedSubpageTypes(QuizPage, {})
        self.assertCanCreateAt(ModulePage, QuizPage)
        self.assertCanCreateAt(CoursePage, QuizPage)
        self.assertCanNotCreateAt(LessonPage, QuizPage)

    def test_quiz_page_is_renderable(self):
        course, module = course_with_module()
        quiz = quiz_page(module, [true_false()])
        self.assertPageIsRenderable(quiz)


def test_trainer_creates_a_quiz_page_in_a_module_through_the_admin(client, trainer):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

    course, module = course_with_module()
    course.trainers.add(trainer)
    course.save()
    grant_course_page_permissions()
    question = true_false()
    client.force_login(trainer)
    url = reverse("wagtailadmin_pages:add", args=["quizzes", "quizpage", module.pk])
    assert client.get(url).status_code == 200
    data = nested_form_data(
        {
            "title": "Kuis Modul 1",
            "slug": "kuis-modul-1",
            "intro": rich_text("<p>Kerjakan setelah materi.</p>"),
            "quiz_questions": inline_formset([{"question": question.pk, "mark": "2"}]),
            "random_draws": inline_formset([]),
            "quiz_role": "ordinary",
            "required": "on",
            "attempts_allowed": "2",
            "grading_method": "highest",
            "pass_mark": "70",
            "time_limit_minutes": "15",
            "shuffle_options": "on",
            "questions_per_page": "5",
            "navigation": "free",
            "review_correctness": "on",
            "review_feedback": "on",
            "review_timing": "immediately",
            "action-publish": "publish",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    quiz = QuizPage.objects.get(slug="kuis-modul-1")
    assert quiz.live and quiz.time_limit_minutes == 15
    assert [(link.question_id, link.mark) for link in quiz.quiz_questions.all()] == [(question.pk, Decimal("2"))]
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[quiz.pk]))
    assert edit.status_code == 200
    assert reverse("quizzes_admin:results", args=[quiz.pk]) in edit.content.decode()  # header button to results
