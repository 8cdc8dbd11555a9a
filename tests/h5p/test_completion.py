"""H5P completion feeds lesson and course completion; placements follow publishing; the endpoint's queries are pinned."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import Enrolment, JPCredit, LessonProgress
from courses.services import lesson_open
from h5p.models import H5PPlacement, Requirement
from people.roles import PESERTA
from tests.factories import UserFactory
from tests.h5p.factories import course_with_h5p, enrol, item
from tests.h5p.xapi_statements import post, statement

pytestmark = pytest.mark.django_db


def learner_in(tree, client, username="peserta-h5p"):
    user = UserFactory(username=username, roles=[PESERTA])
    enrol(user, tree.course)
    client.force_login(user)
    return user


def lesson_done(user, lesson) -> bool:
    return LessonProgress.objects.filter(user=user, lesson=lesson, completed_at__isnull=False).exists()


def test_completing_the_required_item_completes_the_lesson_and_the_course(client):
    content = item()
    tree = course_with_h5p([(content, Requirement.COMPLETED)], rule="open")
    user = learner_in(tree, client)
    lesson = tree.lessons[0]
    lesson_open(user=user, lesson=lesson)
    assert not lesson_done(user, lesson), "an opened lesson waits for its H5P item"
    assert Enrolment.objects.get(user=user).percent == 0

    response = post(client, content, statement(user, content, "completed", score=(1, 1)))
    assert response.json()["completionChanged"] is True
    assert lesson_done(user, lesson)
    enrolment = Enrolment.objects.get(user=user)
    assert enrolment.percent == 100 and enrolment.completed_at is not None
    assert JPCredit.objects.filter(user=user).count() == 1


def test_the_lesson_completes_even_if_the_page_never_reported_the_visit(client):
    content = item()
    tree = course_with_h5p([(content, Requirement.COMPLETED)], rule="open")
    user = learner_in(tree, client)
    post(client, content, statement(user, content, "completed"))
    assert lesson_done(user, tree.lessons[0])


def test_a_passed_requirement_needs_a_pass(client):
    content = item()
    tree = course_with_h5p([(content, Requirement.PASSED)], rule="open")
    user = learner_in(tree, client)
    lesson_open(user=user, lesson=tree.lessons[0])
    post(client, content, statement(user, content, "completed", score=(0, 1), success=False))
    assert not lesson_done(user, tree.lessons[0]), "completed but failed does not pass"
    post(client, content, statement(user, content, "completed", score=(1, 1), success=True))
    assert lesson_done(user, tree.lessons[0])


def test_every_required_item_of_the_lesson_must_be_done(client):
    first, second, optional = item(title="Satu"), item(title="Dua"), item(title="Tambahan")
    tree = course_with_h5p(
        [(first, Requirement.COMPLETED), (second, Requirement.COMPLETED), (optional, Requirement.OPTIONAL)], rule="open"
    )
    user = learner_in(tree, client)
    lesson_open(user=user, lesson=tree.lessons[0])
    post(client, first, statement(user, first, "completed"))
    assert not lesson_done(user, tree.lessons[0])
    post(client, second, statement(user, second, "completed"))
    assert lesson_done(user, tree.lessons[0]), "the optional item does not hold the lesson back"


def test_a_lesson_with_only_optional_items_completes_by_its_own_rule(client):
    content = item()
    tree = course_with_h5p([(content, Requirement.OPTIONAL)], rule="open")
    user = learner_in(tree, client)
    lesson_open(user=user, lesson=tree.lessons[0])
    assert lesson_done(user, tree.lessons[0])


def test_a_deleted_item_no_longer_holds_the_lesson_back(client):
    content = item()
    tree = course_with_h5p([(content, Requirement.COMPLETED)], rule="open")
    user = learner_in(tree, client)
    content.delete()
    lesson_open(user=user, lesson=tree.lessons[0])
    assert lesson_done(user, tree.lessons[0])


def test_placements_follow_publishing(client):
    content = item()
    tree = course_with_h5p([(content, Requirement.PASSED)])
    lesson = tree.lessons[0]
    placement = H5PPlacement.objects.get(content=content)
    assert (placement.lesson_id, placement.course_id, placement.requirement) == (lesson.pk, tree.course.pk, "passed")
    user = learner_in(tree, client)
    assert client.get(f"/h5p/{content.pk}/state/").status_code == 200
    lesson.unpublish()
    assert not H5PPlacement.objects.exists()
    assert client.get(f"/h5p/{content.pk}/state/").status_code == 404, "an unpublished lesson no longer grants access"
    lesson.save_revision().publish()
    assert H5PPlacement.objects.filter(content=content, lesson=lesson).exists()
    assert user


@pytest.mark.django_db(transaction=True)
def test_statement_endpoint_query_count_is_pinned(client):
    """At most 6 (it is 4 or 5): session, user, the item with access check and summary row, the
    statement INSERT, the summary write. Only a change of completion or pass opens a transaction,
    for the lesson and course refresh of the courses app."""
    content = item()
    tree = course_with_h5p([(content, Requirement.COMPLETED)], rule="open")
    user = learner_in(tree, client)
    lesson_open(user=user, lesson=tree.lessons[0])

    def count(data) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert post(client, content, data).status_code == 200
        return len(queries)

    question = count(statement(user, content, "answered", sub="q1"))
    first = count(statement(user, content, "completed", score=(0, 1), success=False))  # completes the lesson
    passing = count(statement(user, content, "answered", score=(1, 1), success=True))  # now passed too
    retried = statement(user, content, "answered", score=(0, 1), success=False)
    attempt = count(retried)
    duplicate = count(retried)
    other_verb = count(statement(user, content, "interacted", score=None))
    # With Redis (REDIS_URL) sessions are cached_db and the session read is not a query.
    session = 0 if "cache" in settings.SESSION_ENGINE else 1
    assert (question, attempt, duplicate, other_verb) == (3 + session, 4 + session, 3 + session, 2 + session)
    # A change of completion or pass adds the courses app's lesson and course refresh.
    assert first <= 30 and passing <= 30, (first, passing)
