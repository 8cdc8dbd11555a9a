"""Every report's numbers against the hand-built world in tests/reports/world.py."""

from decimal import Decimal

import pytest

from reports import selectors
from reports.scoping import scope_for

pytestmark = pytest.mark.django_db


def test_overview_for_admin_counts_the_whole_province(world):
    overview = selectors.overview(scope=scope_for(world.admin), year=world.year)
    totals = overview.totals
    assert totals.asn == 7  # six learners and the supervisor's own profile
    assert (totals.reached, totals.close, totals.zero, totals.below) == (1, 1, 3, 2)
    assert totals.jp_total == 20 + 16 + 4 + 8
    # Active in Y: everything except a2's course completed last year.
    assert totals.enrolments == 8
    assert totals.enrolled_people == 5
    assert totals.completed == 6
    assert totals.in_progress == 1
    assert totals.average_progress == round((6 * 100 + 50 + 0) / 8)
    bars = {bar.name: bar for bar in overview.bars}
    assert set(bars) == {"Pemerintah Provinsi Jambi", "Kab. Kerinci"}
    assert (bars["Pemerintah Provinsi Jambi"].asn, bars["Kab. Kerinci"].asn) == (5, 2)
    assert bars["Kab. Kerinci"].zero == 1 and bars["Kab. Kerinci"].completed == 1


def test_overview_for_a_supervisor_splits_their_unit_one_level_down(world):
    overview = selectors.overview(scope=scope_for(world.supervisor), year=world.year)
    assert overview.totals.asn == 3
    assert (overview.totals.reached, overview.totals.close, overview.totals.zero) == (1, 1, 1)
    assert overview.totals.enrolments == 5 and overview.totals.completed == 4
    assert overview.totals.average_progress == 90
    bars = {bar.name: bar.asn for bar in overview.bars}
    assert bars == {"Dinas A": 1, "Bidang A1": 2}  # a1 sits in Dinas A itself


def test_overview_of_last_year_and_of_a_chosen_unit(world):
    last_year = selectors.overview(scope=scope_for(world.admin), year=world.year - 1)
    assert last_year.totals.jp_total == 8 and last_year.totals.reached == 0 and last_year.totals.zero == 6
    focused = selectors.overview(scope=scope_for(world.admin), year=world.year, unit=world.units["kab"])
    assert focused.totals.asn == 2 and [bar.name for bar in focused.bars] == ["Dinas K"]


def test_overview_for_a_trainer_counts_only_their_courses(world):
    overview = selectors.overview(scope=scope_for(world.trainer), year=world.year)
    assert overview.totals.asn == 2  # a2 and b1 took c3
    assert overview.totals.jp_total == 8  # 4 JP of c3 each, nothing from other courses
    assert overview.totals.enrolments == 2


def test_completion_by_course(world):
    scope = scope_for(world.admin)
    rows = selectors.course_completion(scope=scope, year=world.year)
    assert [row["title"] for row in rows] == ["Kursus Dua", "Kursus Satu", "Kursus Tiga"]
    by_rate = selectors.course_completion(scope=scope, year=world.year, ordering="-completion_rate")
    assert [row["title"] for row in by_rate][-1] == "Kursus Satu"
    assert [row["title"] for row in selectors.course_completion(scope=scope, year=world.year, search="tig")] == [
        "Kursus Tiga"
    ]
    by_title = {row["title"]: row for row in rows}
    one = by_title["Kursus Satu"]
    assert (one["enrolled"], one["not_started"], one["in_progress"], one["completed"]) == (4, 1, 1, 2)
    assert one["completion_rate"] == pytest.approx(50.0)
    assert float(one["average_progress"]) == pytest.approx(62.5)
    assert float(one["average_grade"]) == pytest.approx(60.0)
    assert (by_title["Kursus Dua"]["enrolled"], by_title["Kursus Dua"]["completed"]) == (2, 2)
    assert float(by_title["Kursus Tiga"]["average_grade"]) == pytest.approx(62.5)


def test_completion_by_course_is_scoped_and_filtered(world):
    supervisor = scope_for(world.supervisor)
    rows = {row["title"]: row for row in selectors.course_completion(scope=supervisor, year=world.year)}
    assert rows["Kursus Satu"]["enrolled"] == 3 and rows["Kursus Satu"]["completion_rate"] == pytest.approx(200 / 3)
    assert rows["Kursus Dua"]["enrolled"] == 1  # a2's c2 was completed last year
    trainer = {row["title"] for row in selectors.course_completion(scope=scope_for(world.trainer), year=world.year)}
    assert trainer == {"Kursus Tiga"}
    in_progress = selectors.course_completion(scope=scope_for(world.admin), year=world.year, status="in_progress")
    assert [(row["title"], row["enrolled"]) for row in in_progress] == [("Kursus Satu", 1)]
    kab = selectors.course_completion(scope=scope_for(world.admin), year=world.year, unit=world.units["kab"])
    assert [(row["title"], row["completed"]) for row in kab] == [("Kursus Dua", 1)]


def test_jp_compliance_per_person_and_bands(world):
    scope = scope_for(world.admin)
    jp = {row.full_name: row.jp for row in selectors.jp_compliance(scope=scope, year=world.year)}
    assert jp == {
        "Ahmad Satu": 20,
        "Aisyah Dua": 16,
        "Agus Tiga": 0,
        "Budi Empat": 4,
        "Kartini Lima": 8,
        "Kurniawan Enam": 0,
        "Kepala Dinas A": 0,
    }
    zero = {row.full_name for row in selectors.jp_compliance(scope=scope, year=world.year, band="zero")}
    assert zero == {"Agus Tiga", "Kurniawan Enam", "Kepala Dinas A"}
    assert selectors.jp_compliance(scope=scope, year=world.year, band="not_reached").count() == 6
    close = [row.full_name for row in selectors.jp_compliance(scope=scope, year=world.year, band="close")]
    assert close == ["Aisyah Dua"]
    last_year = {row.full_name: row.jp for row in selectors.jp_compliance(scope=scope, year=world.year - 1) if row.jp}
    assert last_year == {"Aisyah Dua": 8}


def test_jp_thresholds_follow_the_settings(world, settings):
    settings.LMS_ANNUAL_JP_TARGET = 16
    settings.LMS_JP_CLOSE_PERCENT = 50
    assert selectors.jp_close_from() == 8
    reached = {
        row.full_name for row in selectors.jp_compliance(scope=scope_for(world.admin), year=world.year, band="reached")
    }
    assert reached == {"Ahmad Satu", "Aisyah Dua"}
    assert selectors.JPBand.of(8) == selectors.JPBand.CLOSE and selectors.JPBand.of(7) == selectors.JPBand.BELOW


def test_quiz_results_with_pre_post_gain(world):
    rows = {(row.full_name, row.quiz_title): row for row in selectors.quiz_results(scope=scope_for(world.admin))}
    assert len(rows) == 7
    post = rows[("Aisyah Dua", "Post-test Tiga")]
    assert post.pretest_percent == Decimal("40") and post.grade_percent == Decimal("70")
    assert rows[("Budi Empat", "Post-test Tiga")].pretest_percent == Decimal("50")
    agus = rows[("Agus Tiga", "Kuis Satu")]
    assert (agus.attempts_finished, agus.passed, agus.course_title) == (2, False, "Kursus Satu")
    assert rows[("Aisyah Dua", "Kuis Satu")].passed is True  # exactly the pass mark
    trainer_rows = selectors.quiz_results(scope=scope_for(world.trainer))
    assert {row.quiz_title for row in trainer_rows} == {"Pre-test Tiga", "Post-test Tiga"}
    only_post = selectors.quiz_results(scope=scope_for(world.admin), quiz=world.quizzes["post"])
    assert sorted(row.full_name for row in only_post) == ["Aisyah Dua", "Budi Empat"]
    failed = selectors.quiz_results(scope=scope_for(world.supervisor), passed=False)
    assert {(row.full_name, row.quiz_title) for row in failed} == {
        ("Agus Tiga", "Kuis Satu"),
        ("Aisyah Dua", "Pre-test Tiga"),
    }


def test_person_report_shows_everything_in_scope(world):
    report = selectors.person(scope=scope_for(world.admin), user_id=world.people["a2"].pk)
    assert {row.course_title for row in report.enrolments} == {"Kursus Satu", "Kursus Dua", "Kursus Tiga"}
    assert [(row["year"], row["total"], row["reached"]) for row in report.jp_by_year] == [
        (world.year, 16, False),
        (world.year - 1, 8, False),
    ]
    assert len(report.quiz_results) == 3
    trainer_view = selectors.person(scope=scope_for(world.trainer), user_id=world.people["a2"].pk)
    assert [row.course_title for row in trainer_view.enrolments] == ["Kursus Tiga"]
    assert [row["total"] for row in trainer_view.jp_by_year] == [4]
    assert selectors.person(scope=scope_for(world.trainer), user_id=world.people["a1"].pk) is None
    assert selectors.person(scope=scope_for(world.supervisor), user_id=world.people["k1"].pk) is None


def test_siasn_rows_are_the_completions_in_the_period(world):
    import datetime

    start, end = datetime.date(world.year, 1, 1), datetime.date(world.year, 12, 31)
    rows = list(selectors.siasn_rows(scope=scope_for(world.admin), start=start, end=end))
    assert len(rows) == 6
    assert {(row.full_name, row.course_title) for row in rows if row.full_name == "Ahmad Satu"} == {
        ("Ahmad Satu", "Kursus Satu"),
        ("Ahmad Satu", "Kursus Dua"),
    }
    assert len(list(selectors.siasn_rows(scope=scope_for(world.supervisor), start=start, end=end))) == 4
    # The day a course was completed counts, the day after the period does not.
    assert (
        len(list(selectors.siasn_rows(scope=scope_for(world.admin), start=start, end=datetime.date(world.year, 1, 14))))
        == 0
    )
    assert (
        len(list(selectors.siasn_rows(scope=scope_for(world.admin), start=start, end=datetime.date(world.year, 1, 15))))
        == 6
    )


def test_participants_of_every_course_one_row_per_person_and_course(world):
    scope = scope_for(world.admin)
    rows = selectors.course_participants(scope=scope, year=world.year)
    assert rows.count() == 8  # every enrolment active this year
    mine = {(row.course_title, row.progress_status, row.quiz_grade) for row in rows if row.full_name == "Agus Tiga"}
    assert mine == {("Kursus Satu", "in_progress", Decimal("40"))}
    completed = selectors.course_participants(
        scope=scope, year=world.year, status="completed", unit=world.units["opd_a"]
    )
    assert sorted((row.full_name, row.course_title) for row in completed) == [
        ("Ahmad Satu", "Kursus Dua"),
        ("Ahmad Satu", "Kursus Satu"),
        ("Aisyah Dua", "Kursus Satu"),
        ("Aisyah Dua", "Kursus Tiga"),
    ]
