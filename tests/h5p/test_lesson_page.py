"""The H5P block in a lesson page: lazy player markup, flat query count, light page."""

import gzip

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from h5p.models import Requirement
from people.roles import PESERTA
from tests.factories import UserFactory
from tests.h5p.factories import course_with_h5p, enrol, item

pytestmark = pytest.mark.django_db


def lesson_page(client, count: int, slug: str):
    contents = [item(title=f"Kuis {number}") for number in range(count)]
    tree = course_with_h5p([(content, Requirement.COMPLETED) for content in contents], slug=slug, title=slug)
    user = UserFactory(username=f"peserta-{slug}", roles=[PESERTA])
    enrol(user, tree.course)
    client.force_login(user)
    client.get(tree.lessons[0].url)  # first visit creates the progress row
    with CaptureQueriesContext(connection) as queries:
        response = client.get(tree.lessons[0].url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_the_block_renders_a_lazy_player_without_loading_it(client):
    html, _queries = lesson_page(client, 1, "satu")
    assert html.count("data-h5p-player") == 1
    block = html.split("data-h5p-player")[1].split("</section>")[0]
    assert "<script src=" not in block and "<iframe" not in block, "the player frame is made on first view"
    assert "main.bundle.js" not in html, "the H5P bundle loads inside the sandboxed frame, never in the lesson page"
    assert 'type="module"' in html and "h5p/js/h5p-player.js" in html
    # A learner is told what the lesson needs, not the jargon of how scores travel.
    assert "peramban" not in block
    assert "Selesaikan untuk menyelesaikan materi ini." in html


def test_lesson_queries_stay_flat_with_more_h5p_blocks(client):
    _html, one = lesson_page(client, 1, "satu-blok")
    html, five = lesson_page(client, 5, "lima-blok")
    assert html.count("data-h5p-player") == 5
    assert five == one, (one, five)


def test_h5p_blocks_add_little_to_the_lesson_page(client):
    html, _queries = lesson_page(client, 3, "tiga-blok")
    # The player bundle loads only when a block scrolls into view; the page itself stays small.
    assert len(gzip.compress(html.encode())) < 12_000
