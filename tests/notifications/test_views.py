"""The bell in the learner header, the page of all notifications (/notifikasi/), marking read, the
email choices; each learner sees and changes only their own."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications import services
from notifications.kinds import Kind
from notifications.models import EmailPreference, Notification
from tests.courses.factories import learner

pytestmark = pytest.mark.django_db


def give(user, n, kind=Kind.ENROLMENT_APPROVED):
    return [
        services.notify(recipient=user, kind=kind, text=f"Pesan {user.pk}-{i}", link="/kursus/", key=f"t:{i}")[0]
        for i in range(n)
    ]


def test_the_bell_shows_the_unread_count_for_one_query(client):
    user = learner()
    give(user, 3)
    Notification.objects.filter(pk=Notification.objects.first().pk).update(read_at="2026-01-01T00:00Z")
    client.force_login(user)
    client.get(reverse("dashboard"))  # warm
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("dashboard")).content.decode()
    bell = [q["sql"] for q in queries if "notifications_notification" in q["sql"]]
    assert len(bell) == 1 and "COUNT" in bell[0].upper()
    assert 'class="bell-count">2<' in page
    assert reverse("notifications") in page


def test_no_count_without_unread_and_no_bell_for_visitors(client):
    user = learner()
    client.force_login(user)
    page = client.get(reverse("dashboard")).content.decode()
    assert "bell-count" not in page and 'class="bell"' in page
    anonymous = Client().get(reverse("course_catalogue")).content.decode()
    assert 'class="bell"' not in anonymous


def test_the_page_lists_only_ones_own_notifications_newest_first_in_indonesian(client):
    me, other = learner(), learner()
    give(me, 2)
    give(other, 1)
    client.force_login(me)
    response = client.get(reverse("notifications"))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.index(f"Pesan {me.pk}-1") < page.index(f"Pesan {me.pk}-0")
    assert f"Pesan {other.pk}-0" not in page
    assert "Tandai sudah dibaca" in page and "Notifikasi" in page
    assert "WIB" in page


def test_the_page_needs_signing_in(client):
    response = client.get(reverse("notifications"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_mark_one_and_all_read(client):
    user = learner()
    first, second, third = give(user, 3)
    client.force_login(user)
    assert client.post(reverse("notification_read", args=[first.pk])).status_code == 302
    assert set(Notification.objects.filter(read_at__isnull=True).values_list("pk", flat=True)) == {second.pk, third.pk}
    client.post(reverse("notifications_read_all"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_marking_someone_elses_notification_read_changes_nothing(client):
    me, other = learner(), learner()
    (theirs,) = give(other, 1)
    client.force_login(me)
    response = client.post(reverse("notification_read", args=[theirs.pk]))
    assert response.status_code == 302  # the same answer as for one's own: nothing told
    theirs.refresh_from_db()
    assert theirs.read_at is None
    client.post(reverse("notifications_read_all"))
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_read_is_a_post_with_csrf():
    user = learner()
    (mine,) = give(user, 1)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    assert strict.get(reverse("notification_read", args=[mine.pk])).status_code == 405
    assert strict.post(reverse("notification_read", args=[mine.pk])).status_code == 403
    assert strict.post(reverse("notifications_read_all")).status_code == 403
    mine.refresh_from_db()
    assert mine.read_at is None


def test_email_choices_are_saved_per_kind(client):
    user = learner()
    client.force_login(user)
    kept = [k.value for k in Kind if k != Kind.ESSAY_GRADED]
    client.post(reverse("notification_preferences"), {"email": kept})
    assert list(EmailPreference.objects.filter(user=user, email=False).values_list("kind", flat=True)) == [
        Kind.ESSAY_GRADED
    ]
    page = client.get(reverse("notifications")).content.decode()
    assert f'value="{Kind.ESSAY_GRADED}">' in page and f'value="{Kind.ESSAY_GRADED}" checked' not in page
    # Someone else's choices are untouched.
    assert not EmailPreference.objects.exclude(user=user).exists()
