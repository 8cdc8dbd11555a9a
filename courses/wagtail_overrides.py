"""Where this project replaces Wagtail internals for speed: page routing and view-restriction lookups.

Each override gives the same answer as the Wagtail behaviour it replaces, in fewer queries;
``tests/courses/test_wagtail_overrides.py`` compares them with Wagtail's own on the same trees
(restricted, unpublished, nested), so a Wagtail upgrade that changes that behaviour fails loudly.

``route_from_home`` (``HomePage.route``) and ``route_below`` (``CourseIndexPage.route``)
    replace ``Page.route``, which walks the URL one tree level at a time with two queries per level
    (the child by slug, then its specific row) and lets the child route the rest. Here a lesson
    (catalogue/course/module/lesson) is one query by its ``url_path`` (``lesson_by_url_path``), a
    catalogue one, any other page two (the deepest existing URL prefix, then its specific row, which
    routes the rest as Wagtail would). ``Page.route`` answers 404 for a page that is not live (or one
    below a missing page); so do these, since they end in that page's own ``route``.

``ViewRestrictionsInOneQueryMixin`` (course, module and lesson pages)
    replaces ``Page.get_view_restrictions``: the ``PageViewRestriction`` rows of the page and its
    ancestors, an alias counting as its source page. Wagtail reads the ancestors, then the
    restrictions (two queries) on every page it serves; here one query, or none when the query that
    loaded the lesson already said no restriction applies (``view_restricted``).
"""

from __future__ import annotations

from django.db.models.expressions import RawSQL
from django.http import Http404
from wagtail.models import Page, PageViewRestriction


def _view_restriction_pages_sql(path_sql: str, depth: int) -> str:
    """SQL for the ids whose view restrictions apply to the page at ``path_sql`` (a column or a
    placeholder) of ``depth``: the page and its ancestors, an alias as its source page, as Wagtail does."""
    steplen = Page.steplen
    prefixes = ", ".join(f"SUBSTR({path_sql}, 1, {steplen * level})" for level in range(1, depth + 1))
    return f"SELECT COALESCE(a.alias_of_id, a.id) FROM {Page._meta.db_table} a WHERE a.path IN ({prefixes})"  # noqa: S608


def lesson_by_url_path(url_path: str, *, below_path: str, depth: int):
    """The lesson at ``url_path`` (of tree ``depth``, below the page at ``below_path``), or None; with
    ``view_restricted`` (whether any view restriction applies to it) so that serving it needs no query
    for that. Every lesson request runs this, from the home page or the catalogue: in SQL (a URL path
    names one page: no ORDER BY, nothing to compile) it costs half the ORM query and one query less."""
    # At call time: courses.models.pages imports this module (for the mixin) while it loads.
    from courses.models import LessonPage

    restriction_table = PageViewRestriction._meta.db_table
    sql = (
        f"SELECT p.*, l.*, EXISTS(SELECT 1 FROM {restriction_table} r WHERE r.page_id IN"  # noqa: S608
        f" ({_view_restriction_pages_sql('p.path', depth)})) AS view_restricted"
        f" FROM {Page._meta.db_table} p INNER JOIN {LessonPage._meta.db_table} l ON l.page_ptr_id = p.id"
        " WHERE p.url_path = %s AND p.path LIKE %s AND p.depth = %s"
    )
    return next(iter(LessonPage.objects.raw(sql, [url_path, below_path + "%", depth])), None)


def route_below(page, request, path_components: list[str], *, lesson_levels: int):
    """Route ``path_components`` below ``page`` by URL path instead of Wagtail's two queries per level:
    a lesson ``lesson_levels`` levels down (course/module/lesson below a catalogue), the most requested
    page, in one query; any other page by finding the deepest existing prefix in one query, then letting
    that page route the rest."""
    if len(path_components) == lesson_levels:
        lesson = lesson_by_url_path(
            page.url_path + "/".join(path_components) + "/", below_path=page.path, depth=page.depth + lesson_levels
        )
        if lesson is not None:
            return lesson.route(request, [])
    prefixes = [page.url_path + "/".join(path_components[:count]) + "/" for count in range(1, len(path_components) + 1)]
    found = {
        below.url_path: below
        for below in Page.objects.filter(url_path__in=prefixes, path__startswith=page.path, depth__gt=page.depth)
    }
    for count in range(len(prefixes), 0, -1):
        below = found.get(prefixes[count - 1])
        if below is not None:
            return below.specific.route(request, path_components[count:])
    raise Http404


def route_from_home(home, request, path_components: list[str]):
    """``HomePage.route``: every page below the home page is a catalogue's (``subpage_types``), so a
    catalogue is one query, a lesson (catalogue/course/module/lesson) one, any other page two; None
    when the path is empty (the home page itself: Wagtail's own ``route`` serves it)."""
    from courses.models import CourseIndexPage  # at call time, as above

    if len(path_components) == 1:
        catalogue = CourseIndexPage.objects.filter(
            path__startswith=home.path, depth=home.depth + 1, slug=path_components[0]
        ).first()
        if catalogue is not None:
            return catalogue.route(request, [])
    elif path_components:
        return route_below(home, request, path_components, lesson_levels=4)
    return None


def route_from_catalogue(catalogue, request, path_components: list[str]):
    """``CourseIndexPage.route`` below the catalogue: a lesson is course/module/lesson, three levels down."""
    return route_below(catalogue, request, path_components, lesson_levels=3)


class ViewRestrictionsInOneQueryMixin:
    """Wagtail's ``get_view_restrictions`` (the restrictions of this page and its ancestors) in one query
    instead of two, or in none when the query that loaded the page already said there are none
    (``view_restricted`` read with the lesson in ``lesson_by_url_path``): Wagtail serves every page
    through it."""

    view_restricted = None  # True/False when read with the page in the same request

    def get_view_restrictions(self):
        if self.view_restricted is not None and not self.view_restricted:
            return PageViewRestriction.objects.none()
        pages = RawSQL(_view_restriction_pages_sql("%s", self.depth), [self.path] * self.depth)  # noqa: S611
        return PageViewRestriction.objects.filter(page_id__in=pages)
