"""Learner pages stay light for slow phone connections: HTML+CSS+JS under 100 KB compressed."""

import gzip
import re

import pytest
from django.contrib.staticfiles import finders

from people.roles import PESERTA
from tests.factories import ASNProfileFactory, UserFactory

BUDGET_BYTES = 100 * 1024
ASSET_RE = re.compile(r'<(?:link[^>]+href|script[^>]+src)="(/static/[^"]+)"')


def compressed_weight(html: str) -> tuple[int, list[str]]:
    """gzip size of the page plus every same-site stylesheet and script it loads."""
    total = len(gzip.compress(html.encode()))
    assets = ASSET_RE.findall(html)
    for url in assets:
        path = finders.find(url.removeprefix("/static/").split("?")[0])
        assert path, f"asset {url} not found"
        with open(path, "rb") as handle:
            total += len(gzip.compress(handle.read()))
    return total, assets


def test_no_page_loads_anything_from_another_host(client, db):
    html = client.get("/masuk/").content.decode()
    assert not re.search(r'(src|href)="(https?:)?//', html)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/masuk/", "/dasbor/"])
def test_learner_pages_are_under_the_budget(client, url):
    if url != "/masuk/":  # a signed-in person is sent on from the sign-in page
        client.force_login(ASNProfileFactory(user=UserFactory(roles=[PESERTA])).user)
    response = client.get(url)
    assert response.status_code == 200
    weight, assets = compressed_weight(response.content.decode())
    assert assets, "the page should load the site stylesheet"
    assert weight < BUDGET_BYTES, f"{url} weighs {weight} bytes compressed"
