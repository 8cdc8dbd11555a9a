"""The xAPI endpoint: validation, permissions, verb mapping (incl. container children), duplicates, queries."""

import json
import uuid

import pytest
from django.test import Client

from h5p.models import H5PResult, H5PStatement, Requirement
from people.roles import PENGAJAR, PESERTA
from tests.factories import UserFactory
from tests.h5p.factories import course_with_h5p, enrol, item
from tests.h5p.xapi_statements import CONSUMED, post, statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def content():
    return item(title="Kuis ASN")


@pytest.fixture
def tree(content):
    return course_with_h5p([(content, Requirement.COMPLETED)])


@pytest.fixture
def learner(tree):
    user = UserFactory(username="peserta-xapi", roles=[PESERTA])
    enrol(user, tree.course)
    return user


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


def result_of(user, content):
    return H5PResult.objects.filter(user=user, content=content).first()


def test_a_top_level_answer_is_stored_and_summarised(learner_client, learner, content):
    response = post(learner_client, content, statement(learner, content, "answered", score=(3, 4), success=False))
    assert response.status_code == 200
    assert response.json()["summary"]["completed"] is True
    result = result_of(learner, content)
    assert (result.attempts, result.latest_raw, result.latest_max, result.best_scaled) == (1, 3, 4, 0.75)
    assert result.success is False and result.completed_at is not None
    row = H5PStatement.objects.get(user=learner)
    assert row.verb == "answered" and row.is_top_level and row.statement["result"]["score"]["raw"] == 3


def test_questions_inside_a_container_do_not_finish_or_complete_it(learner_client, learner, content):
    for question in ("q1", "q2"):
        assert post(learner_client, content, statement(learner, content, "answered", sub=question)).status_code == 200
    assert H5PStatement.objects.filter(user=learner, is_top_level=False).count() == 2
    assert result_of(learner, content) is None, "sub-questions must not complete the container"
    post(learner_client, content, statement(learner, content, "completed", score=(2, 2)))
    result = result_of(learner, content)
    assert result.attempts == 1 and result.completed_at is not None and result.best_raw == 2


def test_a_sub_content_statement_without_parent_context_is_still_not_the_whole_activity(
    learner_client, learner, content
):
    data = statement(learner, content, "completed", sub="q1")
    del data["context"]["contextActivities"]["parent"]
    assert post(learner_client, content, data).status_code == 200
    assert result_of(learner, content) is None


@pytest.mark.parametrize(
    ("verb", "success", "expected"),
    [
        ("passed", None, True),
        ("mastered", None, True),
        ("failed", None, False),
        ("completed", True, True),
        ("completed", None, None),
    ],
)
def test_finishing_verbs_complete_and_decide_success(learner_client, learner, content, verb, success, expected):
    post(learner_client, content, statement(learner, content, verb, success=success))
    result = result_of(learner, content)
    assert result.attempts == 1 and result.completed_at is not None
    assert result.success is expected


def test_content_without_a_score_completes_on_consumed(learner_client, learner, content):
    data = statement(learner, content, "consumed", verb_iri=CONSUMED, score=None, success=None, completion=None)
    assert post(learner_client, content, data).status_code == 200
    result = result_of(learner, content)
    assert result.completed_at is not None and result.attempts == 0 and result.best_raw is None


def test_consumed_with_a_score_does_not_complete(learner_client, learner, content):
    data = statement(learner, content, "consumed", verb_iri=CONSUMED, score=(0, 5), success=None)
    post(learner_client, content, data)
    assert result_of(learner, content) is None


def test_a_completion_false_answer_counts_as_an_attempt_but_does_not_complete(learner_client, learner, content):
    post(
        learner_client, content, statement(learner, content, "answered", completion=False, score=(0, 1), success=False)
    )
    result = result_of(learner, content)
    assert result.attempts == 1 and result.completed_at is None


def test_other_verbs_are_not_recorded(learner_client, learner, content):
    response = post(learner_client, content, statement(learner, content, "interacted", score=None))
    assert response.status_code == 200 and response.json()["stored"] is False
    assert not H5PStatement.objects.exists()


def test_the_same_statement_twice_is_stored_once(learner_client, learner, content):
    data = statement(learner, content, "answered", statement_id=uuid.uuid4())
    first = post(learner_client, content, data)
    second = post(learner_client, content, data)
    assert first.json()["stored"] is True and second.json()["stored"] is False
    assert H5PStatement.objects.count() == 1
    assert result_of(learner, content).attempts == 1


def test_best_and_latest_scores_and_completed_at_set_once(learner_client, learner, content):
    post(learner_client, content, statement(learner, content, "answered", score=(0, 1), success=False))
    first_completed = result_of(learner, content).completed_at
    post(learner_client, content, statement(learner, content, "answered", score=(1, 1), success=True))
    post(learner_client, content, statement(learner, content, "answered", score=(0, 1), success=False))
    result = result_of(learner, content)
    assert (result.attempts, result.best_raw, result.latest_raw) == (3, 1, 0)
    assert result.success is True and result.latest_success is False and result.passed_at is not None
    assert result.completed_at == first_completed


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s.pop("id"), "id"),
        (lambda s: s.update(id="bukan-uuid"), "id"),
        (lambda s: s.pop("actor"), "aktor"),
        (lambda s: s.pop("verb"), "kata kerja"),
        (lambda s: s["verb"].update(id="answered"), "IRI"),
        (lambda s: s.pop("object"), "objek"),
        (lambda s: s["result"]["score"].update(raw=5), "result.score.raw"),
        (lambda s: s["result"]["score"].update(scaled=1.5), "scaled"),
        (lambda s: s["result"]["score"].update(raw="1"), "angka"),
        (lambda s: s["result"].update(success="ya"), "result.success"),
        (lambda s: s["result"].update(score=[1]), "result.score"),
        (lambda s: s.update(result="lulus"), "result"),
        (lambda s: s.update(context=[]), "context"),
    ],
)
def test_malformed_statements_get_400_and_change_nothing(learner_client, learner, content, change, message):
    data = statement(learner, content, "answered")
    change(data)
    response = post(learner_client, content, data)
    assert response.status_code == 400
    assert message in response.json()["message"]
    assert not H5PStatement.objects.exists() and not H5PResult.objects.exists()


def test_invalid_json_gets_400(learner_client, content):
    response = post(learner_client, content, b"{not json")
    assert response.status_code == 400 and "JSON" in response.json()["message"]


def test_a_statement_about_another_person_is_refused(learner_client, learner, content):
    someone = UserFactory(username="orang-lain")
    response = post(learner_client, content, statement(someone, content))
    assert response.status_code == 400 and "orang lain" in response.json()["message"]
    assert not H5PStatement.objects.exists()


def test_a_statement_about_another_item_is_refused(learner_client, learner, content, tree):
    other = item(title="Lain")
    response = post(learner_client, content, statement(learner, other))
    assert response.status_code == 400 and "aktivitas lain" in response.json()["message"]


def test_an_oversized_statement_gets_413(learner_client, learner, content):
    data = statement(learner, content)
    data["result"]["response"] = "x" * 40_000
    response = post(learner_client, content, data)
    assert response.status_code == 413
    assert not H5PStatement.objects.exists()


def test_a_learner_not_enrolled_gets_404_and_nothing_is_stored(client, content, tree):
    outsider = UserFactory(username="bukan-peserta", roles=[PESERTA])
    client.force_login(outsider)
    response = post(client, content, statement(outsider, content))
    assert response.status_code == 404
    assert not H5PStatement.objects.exists()


def test_an_item_not_placed_in_any_course_of_the_learner_gets_404(learner_client, learner):
    elsewhere = item(title="Di kursus lain")
    course_with_h5p([(elsewhere, Requirement.COMPLETED)], slug="kursus-lain", title="Kursus lain")
    assert post(learner_client, elsewhere, statement(learner, elsewhere)).status_code == 404


def test_a_withdrawn_learner_loses_access(learner_client, learner, content, tree):
    learner.enrolments.update(status="withdrawn")
    assert post(learner_client, content, statement(learner, content)).status_code == 404


def test_anonymous_posts_get_403(client, content, learner):
    response = post(client, content, statement(learner, content))
    assert response.status_code == 403
    assert not H5PStatement.objects.exists()


def test_csrf_is_enforced(learner, content):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(learner)
    assert post(browser, content, statement(learner, content)).status_code == 403
    token = browser.get(f"/h5p/{content.pk}/state/").json()["csrfToken"]
    assert post(browser, content, statement(learner, content), HTTP_X_CSRFTOKEN=token).status_code == 200


def test_get_is_not_allowed(learner_client, content):
    assert learner_client.get(f"/h5p/{content.pk}/xapi/").status_code == 405


def test_a_trainer_may_play_any_item(client, content):
    trainer = UserFactory(username="pengajar-xapi", roles=[PENGAJAR])
    client.force_login(trainer)
    assert post(client, content, statement(trainer, content)).status_code == 200


def test_deleting_the_item_keeps_the_learner_history(learner_client, learner, content):
    post(learner_client, content, statement(learner, content, "answered", score=(1, 1)))
    content.delete()
    result = H5PResult.objects.get(user=learner)
    assert result.content is None and result.content_title == "Kuis ASN" and result.best_raw == 1
    assert H5PStatement.objects.filter(user=learner, content__isnull=True).count() == 1


def test_response_reports_the_summary_for_the_page(learner_client, learner, content):
    answer = post(learner_client, content, statement(learner, content, "completed", score=(2, 3), success=False)).json()
    assert answer["summary"] == {
        "attempts": 1,
        "completed": True,
        "passed": False,
        "success": False,
        "best_raw": 2,
        "best_max": 3,
        "best_percent": 67,
    }
    assert json.dumps(answer)  # plain JSON for the page


def test_a_stale_read_never_loses_an_attempt(learner_client, learner, content):
    """Two tabs: one read the summary, the other wrote first; the compare-and-swap falls back to a lock."""
    from h5p import selectors, services, xapi

    post(learner_client, content, statement(learner, content, "answered", score=(0, 1), success=False))
    item_row, stale = selectors.item_with_result(user=learner, pk=content.pk)
    post(learner_client, content, statement(learner, content, "answered", score=(1, 1), success=True))
    late = statement(learner, content, "answered", score=(0, 1), success=False)
    parsed = xapi.parse_statement(
        json.dumps(late).encode(), activity_path=f"/h5p/{content.pk}/", user=learner, host="testserver"
    )
    services.statement_record(user=learner, item=item_row, statement=parsed, result=stale)
    result = result_of(learner, content)
    assert (result.attempts, result.best_raw, result.latest_raw, result.success) == (3, 1, 0, True)


def test_a_retry_folds_in_a_statement_whose_summary_write_was_lost(learner_client, learner, content):
    """A crash between the two writes left the statement stored but not counted: the retry counts it."""
    data = statement(learner, content, "completed", score=(1, 1))
    H5PStatement.objects.create(
        statement_id=data["id"],
        user=learner,
        content=content,
        verb="completed",
        verb_iri=data["verb"]["id"],
        object_iri=data["object"]["id"],
        is_top_level=True,
        statement=data,
    )
    response = post(learner_client, content, data)
    assert response.json()["stored"] is False and response.json()["summary"]["completed"] is True
    assert result_of(learner, content).attempts == 1
    post(learner_client, content, data)
    assert result_of(learner, content).attempts == 1


# ---------------------------------------------------------------------------------------------
# One run of a content type reports one attempt (issue 12: "Percobaan: 2" after one answer)


def top_level(learner, content, verb, score=(1, 1), success=True):
    return statement(learner, content, verb, score=score, success=success)


def test_answered_and_completed_of_one_check_count_one_attempt(learner_client, learner, content):
    post(learner_client, content, top_level(learner, content, "answered"))
    post(learner_client, content, top_level(learner, content, "completed"))
    assert result_of(learner, content).attempts == 1
    # Retry, check again: a new attempt, again reported twice.
    post(learner_client, content, top_level(learner, content, "answered", score=(0, 1), success=False))
    post(learner_client, content, top_level(learner, content, "completed", score=(0, 1), success=False))
    result = result_of(learner, content)
    assert (result.attempts, result.latest_raw, result.best_raw) == (2, 0, 1)


@pytest.mark.parametrize(
    "verbs",
    [
        ("answered", "completed"),
        ("completed", "answered"),
        ("answered", "passed", "completed"),
        ("failed", "completed"),
    ],
)
def test_several_finishing_verbs_of_one_run_are_one_attempt(learner_client, learner, content, verbs):
    success = "failed" not in verbs
    for verb in verbs:
        post(learner_client, content, top_level(learner, content, verb, score=(1, 2), success=success))
    assert result_of(learner, content).attempts == 1


def test_the_same_verb_again_or_another_score_is_a_new_attempt(learner_client, learner, content):
    post(learner_client, content, top_level(learner, content, "answered"))
    post(learner_client, content, top_level(learner, content, "answered"))
    assert result_of(learner, content).attempts == 2
    post(learner_client, content, top_level(learner, content, "completed", score=(0, 1), success=False))
    assert result_of(learner, content).attempts == 3


# ---------------------------------------------------------------------------------------------
# Hostile bodies (issue 11, Low 7 and 11)


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 30_000,
        b"[" * 30_000 + b"]" * 30_000,
        b'{"a":' * 10_000 + b"1" + b"}" * 10_000,
        b'{"id": "x", "object": ' + b"[" * 65 + b"]" * 65 + b"}",
    ],
    ids=["open-brackets", "balanced-brackets", "nested-objects", "depth-65-legal-size"],
)
def test_deeply_nested_json_is_refused_with_4xx(learner_client, learner, content, body):
    response = post(learner_client, content, body)
    assert 400 <= response.status_code < 500
    assert "message" in response.json()
    assert not H5PStatement.objects.exists() and not H5PResult.objects.exists()


def test_brackets_inside_strings_do_not_count_as_depth(learner_client, learner, content):
    data = statement(learner, content, "answered")
    data["result"]["response"] = "[" * 200 + '\\"{' * 50
    assert post(learner_client, content, data).status_code == 200


def test_a_statement_nested_64_deep_is_still_accepted(learner_client, learner, content):
    data = statement(learner, content, "answered")
    nested = {}
    for _ in range(58):  # + statement, object, definition, extensions, key levels = 64
        nested = {"n": nested}
    data["object"]["definition"]["extensions"]["http://example.org/x"] = nested
    assert post(learner_client, content, data).status_code == 200


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonp", ""],
)
def test_only_json_is_accepted(learner_client, learner, content, content_type):
    body = json.dumps(statement(learner, content, "answered"))
    response = learner_client.post(f"/h5p/{content.pk}/xapi/", body, content_type=content_type)
    assert response.status_code == 415 and "application/json" in response.json()["message"]
    assert not H5PStatement.objects.exists()


def test_json_with_a_charset_is_accepted(learner_client, learner, content):
    body = json.dumps(statement(learner, content, "answered"))
    response = learner_client.post(f"/h5p/{content.pk}/xapi/", body, content_type="application/json; charset=utf-8")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "score",
    [
        {"raw": -1, "max": 1},  # no minimum: scores start at 0
        {"raw": -0.5, "max": 1, "scaled": -0.5},
        {"raw": 0, "min": 1, "max": 3},
        {"raw": 4, "min": 0, "max": 3},
        {"raw": 1, "max": 1, "scaled": 1.01},
        {"raw": 0, "max": 1, "scaled": -1.5},
        {"raw": 1, "min": 2, "max": 1},
    ],
)
def test_impossible_scores_are_refused(learner_client, learner, content, score):
    data = statement(learner, content, "completed")
    data["result"]["score"] = score
    response = post(learner_client, content, data)
    assert response.status_code == 400 and "result.score" in response.json()["message"]
    assert not H5PResult.objects.exists()


def test_a_negative_score_with_a_negative_minimum_is_accepted(learner_client, learner, content):
    data = statement(learner, content, "completed")
    data["result"]["score"] = {"raw": -1, "min": -2, "max": 2}
    assert post(learner_client, content, data).status_code == 200


@pytest.mark.parametrize(
    "iri",
    [
        "http://evil.example/h5p/{pk}/",
        "https://evil.example/h5p/{pk}/",
        "http://testserver.evil.example/h5p/{pk}/",
        "http://testserver:8443/h5p/{pk}/",
        "http://user@evil.example/h5p/{pk}/",
        "ftp://testserver/h5p/{pk}/",
        "urn:h5p:{pk}",
        "http://testserver/h5p/{pk}/#x",
        "http://testserver/h5p/{pk}/?other=1",
        "http://testserver/h5p/{pk}",
    ],
)
def test_an_object_iri_not_of_this_content_on_this_host_is_refused(learner_client, learner, content, iri):
    data = statement(learner, content, "completed")
    data["object"]["id"] = iri.format(pk=content.pk)
    response = post(learner_client, content, data)
    assert response.status_code == 400
    assert not H5PStatement.objects.exists() and not H5PResult.objects.exists()


def test_the_host_is_compared_without_case(learner_client, learner, content):
    data = statement(learner, content, "completed")
    data["object"]["id"] = f"http://TestServer/h5p/{content.pk}/"
    assert post(learner_client, content, data).status_code == 200
