"""seed_demo's H5P part: the project's own package placed in demo lessons, idempotent."""

import os

import pytest
from django.core.management import call_command

from h5p.models import H5PContent, H5PPlacement, H5PResult, H5PStatement
from tests.h5p.factories import home_page


def h5p_state():
    return (
        sorted(H5PContent.objects.values_list("title", "version")),
        sorted(H5PPlacement.objects.values_list("content__title", "lesson__slug", "requirement")),
        H5PStatement.objects.count(),
        sorted(H5PResult.objects.values_list("user_id", "attempts")),
    )


@pytest.mark.django_db(transaction=True)
def test_seed_demo_places_h5p_content_and_running_it_twice_changes_nothing():
    home_page()  # an earlier transactional test may have flushed the migrations' home page
    with open(os.devnull, "w") as devnull:
        call_command("seed_demo", stdout=devnull)
        first = h5p_state()
        call_command("seed_demo", stdout=devnull)
    second = h5p_state()
    assert first == second
    assert [row[1] for row in first[1]] == ["berakhlak", "standar-pelayanan"]
    assert first[2] >= 1, "some demo learners have browser-reported results for the trainer view"
