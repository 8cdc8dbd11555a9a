"""The Indonesian catalogue gives a word with two meanings two translations (message contexts)."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, pgettext

pytestmark = pytest.mark.django_db


def test_position_as_order_and_position_as_job_title_differ():
    with translation.override("id"):
        assert gettext("position") == "urutan"  # an item's place in an ordering question
        assert pgettext("job title", "position") == "jabatan"
        assert gettext("deadline") != gettext("Time limit")
        assert gettext("Employment") != gettext("Personnel")
        assert gettext("mark") == gettext("Marks").lower() == "skor"
        assert pgettext("share of the course done", "Complete") != gettext("Completed")


def test_the_jp_export_header_says_jabatan(client, world):
    client.force_login(world.admin)
    response = client.get(reverse("reports:jp"), {"export": "csv"})
    header = next(csv.reader(io.StringIO(b"".join(response.streaming_content).decode().lstrip("\ufeff"))))
    assert "jabatan" in header and "urutan" not in header
