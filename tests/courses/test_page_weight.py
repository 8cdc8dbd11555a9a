"""Learner pages stay small for phones on slow connections: HTML + CSS + JS under 100 KB compressed."""

import gzip
import re

import pytest
from django.urls import reverse

from tests.courses.factories import build_course, enrol, learner, video_media

pytestmark = pytest.mark.django_db

BUDGET_BYTES = 100 * 1024


def compressed_weight(client, url) -> int:
    response = client.get(url)
    assert response.status_code == 200
    html = response.content
    total = len(gzip.compress(html))
    assets = re.findall(rb'<link rel="stylesheet" href="([^"]+)"', html) + re.findall(
        rb'<script[^>]+src="([^"]+)"', html
    )
    assert assets, "expected the page's own CSS and JS"
    for asset in assets:
        asset_response = client.get(asset.decode())
        assert asset_response.status_code == 200, asset
        body = b"".join(asset_response.streaming_content) if asset_response.streaming else asset_response.content
        total += len(gzip.compress(body))
    return total


def test_learner_pages_weigh_less_than_100_kb_compressed(client):
    tree = build_course(modules=5, lessons_per_module=10, rule="video", video=video_media(duration=60))
    user = learner()
    enrol(user, tree.course)
    client.force_login(user)
    for url in [tree.course.get_parent().url, tree.course.url, tree.lessons[10].url, reverse("dashboard")]:
        assert compressed_weight(client, url) < BUDGET_BYTES, url
