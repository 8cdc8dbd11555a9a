"""The precomputed report figures (reports.summaries): equal to the live figures, scoped, idempotent,
used only while fresh, and never needed for a page to work."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from courses.models import ProgressStatus
from lms import periodic
from reports import selectors, summaries
from reports.models import SummaryRun, UnitCourseGrade, UnitCourseSummary, UnitYearSummary
from reports.scoping import scope_for
from reports.views import GroupedPaginator
from tests.reports.world import at, enrolment, person

pytestmark = pytest.mark.django_db

ROLES = ["admin", "supervisor", "trainer"]


def overview_numbers(overview):
    def numbers(summary):
        return {name: getattr(summary, name) for name in summaries.UNIT_YEAR_COLUMNS} | {"name": summary.name}

    return numbers(overview.totals), [numbers(bar) for bar in overview.bars]


def completion_numbers(rows):
    return [
        {
            key: (
                round(float(value), 6) if key in {"average_progress", "average_grade"} and value is not None else value
            )
            for key, value in row.items()
        }
        for row in rows
    ]


def completion_variants(world):
    return [
        {},
        {"status": ProgressStatus.IN_PROGRESS},
        {"status": ProgressStatus.COMPLETED, "unit": world.units["opd_a"]},
        {"course": world.courses["c1"]},
        {"unit": world.units["kab"]},
        {"ordering": "-completion_rate"},
    ]


def live_and_summarised(callable_):
    """``callable_()`` before and after a refresh."""
    SummaryRun.objects.all().delete()
    live = callable_()
    summaries.refresh()
    return live, callable_()


@pytest.mark.parametrize("role", ROLES)
def test_overview_from_the_summaries_equals_the_live_overview(world, role):
    scope = scope_for(getattr(world, role))
    for year in (world.year, world.year - 1):
        for unit in (None, world.units["opd_a"], world.units["bidang_a1"]):
            live, summarised = live_and_summarised(
                lambda year=year, unit=unit: selectors.overview(scope=scope, year=year, unit=unit)
            )
            assert live.computed_at is None
            assert overview_numbers(summarised) == overview_numbers(live), (year, unit)
            # A trainer's course scope does not fit a per-unit row: always live.
            assert (summarised.computed_at is None) == (role == "trainer")


@pytest.mark.parametrize("role", ROLES)
def test_completion_from_the_summaries_equals_the_live_completion(world, role):
    scope = scope_for(getattr(world, role))
    for filters in completion_variants(world):
        live, summarised = live_and_summarised(
            lambda filters=filters: selectors.course_completion(scope=scope, year=world.year, **filters)
        )
        assert live.computed_at is None and summarised.computed_at is not None
        assert completion_numbers(summarised) == completion_numbers(live), filters


@pytest.mark.parametrize("role", ROLES)
def test_participant_count_from_the_summaries_equals_the_rows(world, role):
    scope = scope_for(getattr(world, role))
    assert selectors.participants_count(scope=scope, year=world.year) is None  # no summary yet
    summaries.refresh()
    for filters in completion_variants(world):
        filters = {key: value for key, value in filters.items() if key != "ordering"}
        rows = selectors.course_participants(scope=scope, year=world.year, **filters)
        count, computed_at = selectors.participants_count(scope=scope, year=world.year, **filters)
        assert count == rows.count(), filters
        assert computed_at is not None


def test_the_summaries_hold_the_hand_built_numbers_within_scope(world):
    summaries.refresh()
    supervisor = selectors.overview(scope=scope_for(world.supervisor), year=world.year)
    assert supervisor.computed_at is not None
    assert supervisor.totals.asn == 3 and (supervisor.totals.reached, supervisor.totals.close) == (1, 1)
    assert {bar.name: bar.asn for bar in supervisor.bars} == {"Dinas A": 1, "Bidang A1": 2}
    rows = {
        row["title"]: row for row in selectors.course_completion(scope=scope_for(world.supervisor), year=world.year)
    }
    assert rows["Kursus Satu"]["enrolled"] == 3 and rows["Kursus Dua"]["enrolled"] == 1
    trainer = selectors.course_completion(scope=scope_for(world.trainer), year=world.year)
    assert [(row["title"], row["enrolled"], float(row["average_grade"])) for row in trainer] == [
        ("Kursus Tiga", 2, pytest.approx(62.5))
    ]


def test_refresh_is_idempotent_and_replaces_the_rows(world):
    def tables():
        return (
            sorted(UnitYearSummary.objects.values_list("unit_id", "year", *summaries.UNIT_YEAR_COLUMNS)),
            sorted(
                UnitCourseSummary.objects.values_list("unit_id", "course_id", "year", *summaries.UNIT_COURSE_COLUMNS)
            ),
            sorted(UnitCourseGrade.objects.values_list("unit_id", "course_id", "grade_sum", "grade_count")),
        )

    first = summaries.refresh()
    before = tables()
    second = summaries.refresh()
    assert tables() == before
    assert {key: first[key] for key in ("unit_year", "unit_course", "grades", "years")} == {
        key: second[key] for key in ("unit_year", "unit_course", "grades", "years")
    }
    assert SummaryRun.objects.count() == len(selectors.year_choices())

    # A new learner shows after the next refresh, not before.
    newcomer = person("new", world.units["opd_b"], full_name="Nadia Baru")
    enrolment(
        newcomer, world.courses["c2"], status=ProgressStatus.COMPLETED, percent=100, completed=at(world.year, 2, 1)
    )
    admin = scope_for(world.admin)
    assert selectors.overview(scope=admin, year=world.year).totals.asn == 7
    summaries.refresh()
    assert selectors.overview(scope=admin, year=world.year).totals.asn == 8


def test_stale_summaries_or_other_thresholds_fall_back_to_live_figures(world, settings):
    summaries.refresh()
    admin = scope_for(world.admin)
    assert selectors.overview(scope=admin, year=world.year).computed_at is not None
    settings.LMS_ANNUAL_JP_TARGET = 16  # bands computed with 20 no longer apply
    live = selectors.overview(scope=admin, year=world.year)
    assert live.computed_at is None and live.totals.reached == 2
    assert selectors.course_completion(scope=admin, year=world.year).computed_at is not None  # no JP bands in it
    SummaryRun.objects.update(computed_at=timezone.now() - datetime.timedelta(seconds=summaries.FRESH_FOR + 1))
    assert selectors.course_completion(scope=admin, year=world.year).computed_at is None
    assert selectors.participants_count(scope=admin, year=world.year) is None


def test_pages_work_before_the_first_refresh_and_say_when_the_figures_were_computed(client, world):
    client.force_login(world.admin)
    pages = [reverse("reports:overview"), reverse("reports:completion"), reverse("reports:enrolments")]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200 and b"lms-data-as-of" not in response.content, url
    summaries.refresh()
    computed_at = timezone.localtime(SummaryRun.objects.get(year=world.year).computed_at)
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"lms-data-as-of" in response.content and computed_at.strftime("%H.%M").encode() in response.content
    # The table Wagtail refreshes when a filter changes carries the note too.
    response = client.get(reverse("reports:enrolments_results"), {"status": "completed"})
    assert response.status_code == 200 and b"lms-data-as-of" in response.content


def test_the_refresh_is_a_periodic_job():
    job = {job.name: job for job in periodic.jobs()}["reports.refresh_summaries"]
    assert job.every == summaries.REFRESH_EVERY and job.run is summaries.refresh


@pytest.mark.parametrize("descending", [False, True])
def test_quiz_results_paged_by_title_groups_are_the_plain_ordering_cut_in_pages(world, descending):
    rows = selectors.quiz_results(scope=scope_for(world.admin))
    title = "-quiz_title" if descending else "quiz_title"
    ordered = rows.order_by(title, "full_name", "pk")
    expected = [row.pk for row in ordered]
    groups = selectors.quiz_result_groups(
        selectors.quiz_results_base(scope=scope_for(world.admin), joined=False), descending=descending
    )
    assert [title for title, _ids, _rows in groups] == sorted({row.quiz_title for row in ordered}, reverse=descending)
    for per_page in (1, 2, 3, 50):
        paginator = GroupedPaginator(ordered, per_page, groups=groups, group_field="quiz_id")
        assert paginator.count == len(expected)
        seen = [row.pk for number in paginator.page_range for row in paginator.page(number).object_list]
        assert seen == expected, per_page


def test_home_panel_says_when_its_figures_were_computed(client, world):
    cache.clear()  # the panel keeps its figures a few minutes
    client.force_login(world.admin)
    assert b"lms-data-as-of" not in client.get(reverse("wagtailadmin_home")).content
    cache.clear()
    summaries.refresh()
    html = client.get(reverse("wagtailadmin_home")).content
    assert b'id="reports-panel-title"' in html and b"lms-data-as-of" in html


def test_a_count_behind_the_rows_still_shows_every_row_of_the_last_page(client, world):
    summaries.refresh()
    newcomer = person("late", world.units["opd_a"], full_name="Zainal Terakhir")  # last in name order
    enrolment(newcomer, world.courses["c1"], status=ProgressStatus.IN_PROGRESS, percent=10)
    client.force_login(world.admin)
    html = client.get(reverse("reports:enrolments")).content.decode()
    assert "Zainal Terakhir" in html  # 9 rows, though the summary counted 8
