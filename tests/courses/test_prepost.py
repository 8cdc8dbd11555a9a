"""Pre-test and post-test in the course outline: the pre-test first and, when the course says so, taken
before the modules open; the post-test last and open only once every module is complete."""

import re
from decimal import Decimal

import pytest

from courses import completion, services
from courses.models import CoursePage
from quizzes import services as quiz_services
from quizzes.models import QuizPage
from tests.courses.factories import build_course, enrol, learner, take
from tests.quizzes.factories import quiz_page, true_false

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def course_with_tests(*, pretest_before_modules=True, modules=2, post_first=False, **fields):
    """A course whose pre-test and post-test pages sit AFTER the modules in the tree (as a trainer adds
    them: a new child page goes last), or the post-test before everything with ``post_first``."""
    tree = build_course(modules=modules, lessons_per_module=1, pretest_before_modules=pretest_before_modules, **fields)
    course = tree.course
    pass_mark = {"pass_mark": Decimal("60")}
    if post_first:
        post = quiz_page(course, [true_false()], title="Post-test", quiz_role="posttest", **pass_mark)
        pre = quiz_page(course, [true_false()], title="Pre-test", quiz_role="pretest", required=False, **pass_mark)
    else:
        pre = quiz_page(course, [true_false()], title="Pre-test", quiz_role="pretest", required=False, **pass_mark)
        post = quiz_page(course, [true_false()], title="Post-test", quiz_role="posttest", **pass_mark)
    course.refresh_from_db()
    return tree, pre, post


def outline_for(user, course):
    course = CoursePage.objects.get(pk=course.pk)
    return completion.course_outline(course, user_id=user.pk)


@pytest.mark.parametrize("post_first", [False, True])
def test_the_outline_lists_the_pre_test_first_and_the_post_test_last(post_first):
    tree, pre, post = course_with_tests(post_first=post_first)
    user = learner()
    enrol(user, tree.course)
    outline = outline_for(user, tree.course)
    titles = [entry.title for entry in outline.entries]
    assert titles == ["Pre-test", "Modul 1", "Modul 2", "Post-test"]
    # The flat item list (previous/next, "Lanjutkan") follows the same order.
    assert [item.title for item in outline.items] == ["Pre-test", "Materi 1.1", "Materi 2.1", "Post-test"]
    assert outline.next_item.page_id == pre.pk  # where a new learner starts


def test_the_course_page_shows_that_order_with_lock_messages(client):
    tree, pre, post = course_with_tests()
    user = learner()
    enrol(user, tree.course)
    client.force_login(user)
    response = client.get(tree.course.url)
    text = text_of(response)
    assert text.index("Pre-test") < text.index("Modul 1") < text.index("Modul 2") < text.rindex("Post-test")
    assert "Kerjakan pre-test “Pre-test” terlebih dahulu" in text
    assert "Post-test terbuka" not in text  # the pre-test gate is what the learner must hear first
    html = response.content.decode()
    assert f'href="{pre.url}"' in html and f'href="{tree.lessons[0].url}"' not in html
    assert f'href="{post.url}"' not in html
    assert 'class="icon icon-lock"' in html and "&#128274;" not in html  # an SVG, not a missing glyph


def test_nothing_but_the_pre_test_opens_before_it_is_submitted(client):
    tree, pre, post = course_with_tests()
    user = learner()
    enrol(user, tree.course)
    with pytest.raises(services.LessonAccessError):
        services.lesson_open(user=user, lesson=tree.lessons[0])
    with pytest.raises(quiz_services.QuizError):
        quiz_services.attempt_start(quiz=post, user=user)
    client.force_login(user)
    response = client.get(tree.lessons[0].url)
    assert response.status_code == 403
    assert "Materi ini terkunci. Kerjakan pre-test “Pre-test” terlebih dahulu" in text_of(response)

    # Submitting the pre-test opens the modules, whatever the grade (it measures what they knew).
    take(pre, user, right=False)
    outline = outline_for(user, tree.course)
    assert not any(module.locked for module in outline.modules)
    assert services.lesson_open(user=user, lesson=tree.lessons[0]).pk
    assert client.get(tree.lessons[0].url).status_code == 200


def test_an_attempt_started_but_not_submitted_does_not_open_the_modules():
    tree, pre, _post = course_with_tests()
    user = learner()
    enrol(user, tree.course)
    quiz_services.attempt_start(quiz=pre, user=user)
    assert all(module.locked for module in outline_for(user, tree.course).modules)


def test_without_the_course_setting_the_modules_are_open_before_the_pre_test():
    tree, _pre, post = course_with_tests(pretest_before_modules=False)
    user = learner()
    enrol(user, tree.course)
    outline = outline_for(user, tree.course)
    assert [entry.title for entry in outline.entries][0] == "Pre-test"  # still listed first
    assert not any(module.locked for module in outline.modules)
    assert services.lesson_open(user=user, lesson=tree.lessons[0]).pk
    assert outline.item(post.pk).locked  # the post-test still waits for the modules


def test_the_post_test_opens_only_when_every_module_is_complete(client):
    tree, pre, post = course_with_tests(pretest_before_modules=False)
    user = learner()
    enrol(user, tree.course)
    client.force_login(user)
    item = outline_for(user, tree.course).item(post.pk)
    assert item.locked and item.lock_reason == completion.LOCK_MODULES
    page = text_of(client.get(post.url))
    assert "Post-test terbuka setelah semua modul selesai." in page
    with pytest.raises(quiz_services.QuizError):
        quiz_services.attempt_start(quiz=post, user=user)

    services.lesson_mark_done(user=user, lesson=tree.lessons[0])
    assert outline_for(user, tree.course).item(post.pk).locked  # one module of two: still locked
    services.lesson_mark_done(user=user, lesson=tree.lessons[1])
    assert not outline_for(user, tree.course).item(post.pk).locked
    take(post, user, right=True)
    assert outline_for(user, tree.course).is_complete


def test_a_module_quiz_not_passed_keeps_the_post_test_locked():
    tree, _pre, post = course_with_tests(pretest_before_modules=False, modules=1)
    module_quiz = quiz_page(tree.modules[0], [true_false()], title="Kuis Modul", pass_mark=Decimal("60"))
    user = learner()
    enrol(user, tree.course)
    services.lesson_mark_done(user=user, lesson=tree.lessons[0])
    take(module_quiz, user, right=False)
    assert outline_for(user, tree.course).item(post.pk).locked
    take(module_quiz, user, right=True)
    assert not outline_for(user, tree.course).item(post.pk).locked


def test_a_quiz_with_the_pre_test_role_inside_a_module_is_an_ordinary_item():
    tree = build_course(modules=2, lessons_per_module=1)
    inside = quiz_page(tree.modules[1], [true_false()], title="Tes Awal Modul 2", quiz_role="pretest")
    user = learner()
    enrol(user, tree.course)
    outline = outline_for(user, tree.course)
    assert [item.title for item in outline.items] == ["Materi 1.1", "Materi 2.1", "Tes Awal Modul 2"]
    assert not any(module.locked for module in outline.modules)
    assert outline.item(inside.pk).role == ""


def test_changing_a_quiz_role_reorders_the_cached_outline():
    tree = build_course(modules=1, lessons_per_module=1)
    quiz = quiz_page(tree.course, [true_false()], title="Tes")
    course = CoursePage.objects.get(pk=tree.course.pk)
    assert [e.title for e in completion.course_outline(course, use_cache=True).entries] == ["Modul 1", "Tes"]
    quiz = QuizPage.objects.get(pk=quiz.pk)
    quiz.quiz_role = "pretest"
    quiz.save_revision().publish()
    course = CoursePage.objects.get(pk=tree.course.pk)
    assert [e.title for e in completion.course_outline(course, use_cache=True).entries] == ["Tes", "Modul 1"]


def test_the_course_setting_is_on_for_new_courses_and_in_the_editor():
    field = CoursePage._meta.get_field("pretest_before_modules")
    assert field.default is True
    assert "pretest_before_modules" in CoursePage.get_edit_handler().get_form_options()["fields"]
