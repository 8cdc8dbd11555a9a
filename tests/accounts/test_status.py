"""Activation status in the people admin: a column and a filter, so a unit can chase who never signed in."""

import pytest
from django.urls import reverse
from django.utils import timezone

from people.roles import ADMIN_BPSDM
from tests.factories import ASNProfileFactory, UserFactory

pytestmark = pytest.mark.django_db
LISTING = "wagtailsnippets_people_asnprofile:list"


@pytest.fixture
def people():
    waiting = ASNProfileFactory(full_name="Belum Pernah")
    waiting.user.set_unusable_password()
    waiting.user.activated_at = None
    waiting.user.save()
    active = ASNProfileFactory(full_name="Sudah Masuk")
    active.user.activated_at = timezone.now()
    active.user.last_login = timezone.now()
    active.user.save()
    return waiting, active


def test_the_listing_shows_each_persons_status_and_filters_on_it(client, people):
    client.force_login(UserFactory(roles=[ADMIN_BPSDM], activated_at=timezone.now()))
    page = client.get(reverse(LISTING)).content.decode()
    assert "Belum aktivasi" in page and "terakhir masuk" in page
    not_yet = client.get(reverse(LISTING), {"activated": "false"}).content.decode()
    assert "Belum Pernah" in not_yet and "Sudah Masuk" not in not_yet
    done = client.get(reverse(LISTING), {"activated": "true"}).content.decode()
    assert "Sudah Masuk" in done and "Belum Pernah" not in done


@pytest.mark.parametrize("rows", [5, 30])
def test_the_status_column_costs_no_query_per_row(client, rows, django_assert_max_num_queries):
    for _ in range(rows):
        ASNProfileFactory()
    client.force_login(UserFactory(roles=[ADMIN_BPSDM], activated_at=timezone.now()))
    client.get(reverse(LISTING))
    with django_assert_max_num_queries(30):
        assert client.get(reverse(LISTING)).status_code == 200
