"""Every report page and export runs a fixed number of queries, whatever the number of people."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.models import ProgressStatus
from reports import summaries
from tests.reports.world import at, enrolment, person, result

pytestmark = pytest.mark.django_db

# The most queries each page may run (about six of them are the admin's own: session, user,
# permissions, menu), pinned for an Admin BPSDM and a supervisor. The overview, completion and the
# participant listings ask once whether the year's summary is fresh (reports.summaries).
PAGES = {
    # One more than before: one COUNT of the people in scope who have not activated their account
    # (live: activation is today's fact, not part of a year's precomputed summary).
    "overview": 14,
    "completion": 16,
    "completion-xlsx": 10,
    "participants": 14,
    # One more than before: the scope's units, read once to name units that share a name.
    "participants-csv": 9,
    "enrolments": 15,
    "enrolments-csv": 8,  # as participants-csv
    "jp": 12,
    "jp-csv": 8,  # as participants-csv
    "quizzes": 14,
    "quizzes-xlsx": 8,  # as participants-csv
    "siasn": 12,
    "siasn-csv": 7,
    # One more than before: the names of the units above the person's unit ("BKPSDM — Kab. Bungo").
    "person": 16,
}


def urls(world):
    c1 = world.courses["c1"].pk
    return {
        "overview": (reverse("reports:overview"), {}),
        "completion": (reverse("reports:completion"), {}),
        "completion-xlsx": (reverse("reports:completion"), {"export": "xlsx"}),
        "participants": (reverse("reports:participants", args=[c1]), {}),
        "participants-csv": (reverse("reports:participants", args=[c1]), {"export": "csv"}),
        "enrolments": (reverse("reports:enrolments"), {"status": "completed"}),
        "enrolments-csv": (reverse("reports:enrolments"), {"export": "csv"}),
        "jp": (reverse("reports:jp"), {"band": "not_reached"}),
        "jp-csv": (reverse("reports:jp"), {"export": "csv"}),
        "quizzes": (reverse("reports:quizzes"), {}),
        "quizzes-xlsx": (reverse("reports:quizzes"), {"export": "xlsx"}),
        "siasn": (reverse("reports:siasn"), {}),
        "siasn-csv": (reverse("reports:siasn"), {"export": "csv"}),
        "person": (reverse("reports:person", args=[world.people["a2"].pk]), {}),
    }


def count_queries(client, world) -> dict[str, int]:
    counts = {}
    for key, (url, query) in urls(world).items():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, query)
            if response.streaming:
                b"".join(response.streaming_content)
        assert response.status_code == 200, key
        counts[key] = len(captured.captured_queries)
    return counts


def grow(world, extra: int):
    """``extra`` more people in Bidang A1, each enrolled in c1 (half completed) with a quiz grade."""
    for number in range(extra):
        user = person(f"extra{number}", world.units["bidang_a1"])
        completed = at(world.year, 3, 1) if number % 2 else None
        status = ProgressStatus.COMPLETED if completed else ProgressStatus.IN_PROGRESS
        enrolment(user, world.courses["c1"], status=status, percent=100 if completed else 50, completed=completed)
        result(user, world.quizzes["q1"], world.courses["c1"], grade=50 + number % 50)


@pytest.mark.parametrize("summarised", [False, True], ids=["live", "summaries"])
@pytest.mark.parametrize("role", ["admin", "supervisor"])
def test_query_counts_are_flat_in_the_number_of_people(client, world, role, summarised):
    client.force_login(getattr(world, role))
    if summarised:
        summaries.refresh()
    small = count_queries(client, world)
    grow(world, 60)
    if summarised:
        summaries.refresh()
    large = count_queries(client, world)
    assert large == small
    for key, count in large.items():
        assert count <= PAGES[key], f"{key}: {count} queries, pinned at {PAGES[key]}"
