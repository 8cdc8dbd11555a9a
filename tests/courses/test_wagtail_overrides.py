"""Our routing and view-restriction overrides (courses/wagtail_overrides.py) answer as Wagtail's own do.

Each case runs Wagtail's ``Page.route`` / ``Page.get_view_restrictions`` and ours on the same tree; if
a Wagtail upgrade changes what those return, these fail and the overrides need another look.
"""

import pytest
from django.http import Http404
from django.test import RequestFactory
from wagtail.models import Page, PageViewRestriction

from courses.models import LessonPage, ModulePage
from courses.wagtail_overrides import lesson_by_url_path
from tests.courses.factories import build_course, catalogue, home_page

pytestmark = pytest.mark.django_db


def routed(route, page, components):
    try:
        result = route(page, RequestFactory().get("/"), components)
    except Http404:
        return None
    return (result.page.pk, type(result.page), tuple(result.args), dict(result.kwargs))


@pytest.fixture
def tree():
    tree = build_course(modules=2, lessons_per_module=2)
    hidden_module = tree.modules[1]
    hidden_module.unpublish()
    draft = LessonPage(title="Draf", slug="draf", live=False)
    tree.modules[0].add_child(instance=draft)
    restricted = build_course(title="Kursus Tertutup", modules=1, lessons_per_module=1)
    PageViewRestriction.objects.create(page=restricted.modules[0], restriction_type="login")
    PageViewRestriction.objects.create(page=restricted.course, restriction_type="password", password="rahasia")
    return tree, restricted, draft


def paths_to_try(tree, restricted, draft):
    home, index = home_page(), catalogue()
    pages = [index, tree.course, *tree.modules, *tree.lessons, draft, restricted.course, *restricted.lessons]
    paths = [page.url_path[len(home.url_path) :].strip("/").split("/") for page in pages]
    return [
        *paths,
        [],
        ["tidak-ada"],
        [index.slug, "tidak-ada"],
        [*paths[2], "tidak-ada"],  # below a course's module, a page that does not exist
        [*paths[3], "lebih", "dalam"],  # below a lesson
    ]


def test_home_and_catalogue_routing_match_wagtails(tree):
    home, index = home_page(), catalogue()
    for components in paths_to_try(*tree):
        ours = routed(type(home).route, home, components)
        wagtails = routed(Page.route, home, components)
        assert ours == wagtails, components
        if components and components[0] == index.slug:
            assert routed(type(index).route, index, components[1:]) == routed(Page.route, index, components[1:])
    # A draft lesson is routed by neither; a live lesson below an unpublished module is routed by both
    # (Wagtail checks only the last page's ``live``; the outline then hides it from learners).
    draft_components = tree[2].url_path[len(home.url_path) :].strip("/").split("/")
    assert routed(type(home).route, home, draft_components) is None
    hidden = tree[0].lessons[2]
    hidden_components = hidden.url_path[len(home.url_path) :].strip("/").split("/")
    assert routed(type(home).route, home, hidden_components) == routed(Page.route, home, hidden_components)


def restriction_ids(restrictions):
    return sorted(restrictions.values_list("pk", flat=True))


def test_view_restrictions_match_wagtails(tree):
    plain, restricted, draft = tree
    pages = [
        plain.course,
        *plain.modules,
        *plain.lessons,
        draft,
        restricted.course,
        *restricted.modules,
        *restricted.lessons,
    ]
    for page in pages:
        page = Page.objects.get(pk=page.pk).specific
        assert restriction_ids(page.get_view_restrictions()) == restriction_ids(Page.get_view_restrictions(page))
    assert restriction_ids(restricted.lessons[0].get_view_restrictions())  # the case is not empty


def test_the_lesson_query_knows_whether_a_restriction_applies(tree):
    plain, restricted, _draft = tree
    for lesson in [*plain.lessons, *restricted.lessons]:
        found = lesson_by_url_path(lesson.url_path, below_path=plain.course.path[: Page.steplen], depth=lesson.depth)
        assert found.pk == lesson.pk
        assert found.view_restricted == Page.get_view_restrictions(lesson).exists()
        assert restriction_ids(found.get_view_restrictions()) == restriction_ids(Page.get_view_restrictions(lesson))


def test_a_module_routes_as_wagtail_routes_it(tree):
    plain = tree[0]
    module = ModulePage.objects.get(pk=plain.modules[0].pk)
    lesson = plain.lessons[0]
    assert routed(type(module).route, module, [lesson.slug]) == routed(Page.route, module, [lesson.slug])
