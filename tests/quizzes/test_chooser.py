"""The quiz editor's question chooser (search, filters by category/type/tag, several questions at once
through Wagtail's MultipleChooserPanel) and the item analysis screen (type labels, negative discrimination
flagged and explained)."""

import re

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.permissions import grant_course_page_permissions
from people.roles import PENGAJAR
from quizzes import services
from tests.factories import UserFactory
from tests.quizzes.factories import (
    CategoryFactory,
    course_with_module,
    enrolled_learner,
    ethics_bank,
    make_question,
    quiz_page,
)

pytestmark = pytest.mark.django_db

CHOOSE = "wagtailsnippetchoosers_quizzes_question:choose"
RESULTS = "wagtailsnippetchoosers_quizzes_question:choose_results"
CHOSEN_MULTIPLE = "wagtailsnippetchoosers_quizzes_question:chosen_multiple"


@pytest.fixture
def bank():
    bank = ethics_bank()
    bank["service"] = service = CategoryFactory(name="Pelayanan")
    bank["sop"] = make_question(
        "essay", name="Standar pelayanan", text="<p>Jelaskan standar pelayanan.</p>", category=service
    )
    return bank


def names_in(html: str, bank) -> set[str]:
    return {key for key in ("nilai", "gratifikasi", "sop") if bank[key].name in html}


def results(client, **params):
    response = client.get(reverse(RESULTS), params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_chooser_searches_and_filters_by_category_type_and_tag(client, bank):
    client.force_login(UserFactory(roles=[PENGAJAR]))
    assert names_in(results(client), bank) == {"nilai", "gratifikasi", "sop"}
    assert names_in(results(client, q="hadiah"), bank) == {"gratifikasi"}  # the question text is searched
    assert names_in(results(client, q="standar"), bank) == {"sop"}  # and the name, any case
    assert names_in(results(client, category=bank["ethics"].pk), bank) == {"nilai", "gratifikasi"}  # subtree
    assert names_in(results(client, category=bank["integrity"].pk), bank) == {"gratifikasi"}
    assert names_in(results(client, qtype="essay"), bank) == {"sop"}
    from taggit.models import Tag

    kpk = Tag.objects.get(name="kpk")
    assert names_in(results(client, tag=kpk.pk), bank) == {"gratifikasi"}
    combined = results(client, category=bank["ethics"].pk, qtype="single", q="nilai")
    assert names_in(combined, bank) == {"nilai"}
    assert names_in(results(client, qtype="matching"), bank) == set()


def test_the_chooser_lists_type_category_tags_and_text_and_offers_the_filters(client, bank):
    client.force_login(UserFactory(roles=[PENGAJAR]))
    response = client.get(reverse(CHOOSE))
    assert response.status_code == 200
    html = response.json()["html"]
    for control in ('name="q"', 'name="category"', 'name="qtype"', 'name="tag"'):
        assert control in html
    assert "data-chooser-modal-search-filter" in html  # Wagtail's script reloads results on change
    row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*Gratifikasi(?:(?!</tr>).)*</tr>", html, flags=re.S).group(0)
    assert "Benar/salah" in row and "Integritas" in row and "asn, kpk" in row
    assert "Menerima hadiah" in row
    assert "truefalse" not in row  # the label, not the code (the code is only an <option> value)


def test_multiple_selection_uses_wagtails_own_mode(client, bank):
    client.force_login(UserFactory(roles=[PENGAJAR]))
    html = client.get(reverse(CHOOSE), {"multiple": 1}).json()["html"]
    assert html.count("data-multiple-choice-select") == 3  # a checkbox per question
    assert reverse(CHOSEN_MULTIPLE) in html  # "Confirm selection" posts the ticked ones there
    chosen = client.get(reverse(CHOSEN_MULTIPLE), {"id": [bank["nilai"].pk, bank["sop"].pk]})
    items = chosen.json()["result"]
    assert sorted(item["id"] for item in items) == sorted([str(bank["nilai"].pk), str(bank["sop"].pk)])
    # Filtering in multiple mode keeps the mode (the checkboxes) in the refreshed results.
    filtered = results(client, multiple=1, qtype="essay")
    assert filtered.count("data-multiple-choice-select") == 1


def test_the_quiz_editor_adds_questions_through_the_multiple_chooser(client, bank):
    course, module = course_with_module()
    grant_course_page_permissions()
    quiz = quiz_page(module, [bank["nilai"]])
    trainer = UserFactory(roles=[PENGAJAR])
    course.trainers.add(trainer)
    course.save()
    client.force_login(trainer)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[quiz.pk])).content.decode()
    assert "quiz_questions-OPEN_MODAL" in html and "quiz_questions-CHOOSER_WIDGET" in html


def test_chooser_queries_do_not_grow_with_the_number_of_questions(client, bank):
    client.force_login(UserFactory(roles=[PENGAJAR]))
    client.get(reverse(RESULTS))  # warm per-process caches
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(RESULTS))
    for index in range(30):
        make_question("single", [{"text": "A", "credit": 100}], category=bank["service"], tags=[f"t{index}"])
    with CaptureQueriesContext(connection) as many:
        client.get(reverse(RESULTS))
    assert len(many) == len(few), [query["sql"] for query in many.captured_queries]


# --- item analysis -------------------------------------------------------------------------------


def test_item_analysis_shows_type_labels_and_flags_negative_discrimination(client):
    course, module = course_with_module()
    grant_course_page_permissions()
    questions = [make_question("truefalse", correct_true=True, name=f"Soal kuat {n}") for n in (1, 2, 3)]
    questions.append(make_question("truefalse", correct_true=True, name="Soal terbalik"))
    quiz = quiz_page(module, questions, shuffle_questions=False)
    # Strong learners get the first three right and the last wrong; weak ones the reverse.
    # Discrimination: about +55, +42, +55 and −94.
    strong, middle, weak = ("1", "1", "1", "0"), ("1", "1", "0", "0"), ("0", "0", "0", "1")
    for answers in (strong, strong, strong, middle, ("1", "0", "0", "1"), weak, weak):
        learner = enrolled_learner(course)
        attempt = services.attempt_start(quiz=quiz, user=learner)
        post = QueryDict(mutable=True)
        for number, value in enumerate(answers, start=1):
            post[f"q{number}"] = value
        services.attempt_save(attempt_id=attempt.pk, user=learner, seq=1, post=post, slot_numbers=[1, 2, 3, 4])
        services.attempt_submit(attempt_id=attempt.pk, user=learner)
    trainer = UserFactory(roles=[PENGAJAR])
    course.trainers.add(trainer)
    course.save()
    client.force_login(trainer)
    html = client.get(reverse("quizzes_admin:statistics", args=[quiz.pk])).content.decode()
    assert "truefalse" not in html and "Benar/salah" in html
    rows = dict(re.findall(r"<tr[^>]*><td>([^<]+)</td>(.*?)</tr>", html, flags=re.S))
    assert "periksa soal ini" in rows["Soal terbalik"]  # flagged
    for name in ("Soal kuat 1", "Soal kuat 2", "Soal kuat 3"):
        assert "periksa soal ini" not in rows[name]
    assert 'id="negative-discrimination"' in html
    assert "1 soal memiliki indeks daya beda negatif" in html
    assert "kunci jawaban yang salah" in html  # what it usually means, in the UI
    assert "di bawah 0 bekerja terbalik" in html  # and what the index means, for every question


def test_item_stats_label_and_flag():
    from quizzes.statistics import ItemStats

    item = ItemStats("k", "n", "ordering", 3, 1.0, 50.0, 10.0, -12.5)
    from quizzes.models import QuestionType

    assert item.negative_discrimination and item.type_label == QuestionType.ORDERING.label
    assert not ItemStats("k", "n", "essay", 3, 1.0, 50.0, 10.0, 0.0).negative_discrimination
    assert not ItemStats("k", "n", "essay", 3, 1.0, 50.0, 10.0, None).negative_discrimination
    assert ItemStats("k", "n", "legacy", 1, 1.0, None, None, None).type_label == "legacy"
