"""``seed_scale``: the benchmark data set is valid, consistent with the platform's own rules, and repeatable."""

import io
from collections import Counter, defaultdict
from datetime import UTC, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from courses.models import CoursePage, Enrolment, EnrolmentStatus, JPCredit, LessonProgress, ProgressStatus
from courses.services import course_enrolments_refresh
from people import roles
from people.models import ASNProfile, UnitKerja, UnitKind
from people.nip import cross_check, parse_identity
from quizzes.models import Attempt, QuizPage, QuizResult, QuizRole
from scale.asn import PeoplePlanner
from scale.learning import LearningPlanner, course_plan
from scale.seed import seed_scale
from scale.units import unit_plan

SMALL = {"people": 120, "courses": 4, "enrolments_per_person": 3}


@pytest.fixture
def seeded(db):
    return seed_scale(**SMALL)


def _table_counts() -> dict[str, int]:
    models = [UnitKerja, ASNProfile, get_user_model(), CoursePage, Enrolment, LessonProgress, Attempt, QuizResult]
    return {model.__name__: model.objects.count() for model in [*models, JPCredit]}


# --- the organisation and the people --------------------------------------------------------------


def test_units_form_a_valid_tree_beside_the_existing_roots(db):
    existing = UnitKerja.add_root(code="15", name="Pemerintah Provinsi Jambi (demo)", kind=UnitKind.INSTANSI)
    existing.add_child(code="15.03", name="Dinas Kesehatan", kind=UnitKind.OPD)

    summary = seed_scale(**SMALL)

    assert summary.units == len(unit_plan()) == UnitKerja.objects.filter(code__startswith="SK-").count()
    assert 550 <= summary.units <= 700
    assert all(not problems for problems in UnitKerja.find_problems())
    roots = list(UnitKerja.get_root_nodes())
    assert roots[0] == existing  # new roots come after the ones already there
    assert len([root for root in roots if root.code.startswith("SK-")]) == 12
    province = UnitKerja.objects.get(code="SK-15")
    opd_names = [unit.name for unit in province.get_children()]
    assert opd_names == sorted(opd_names)  # node_order_by = ["name"]
    assert {"Sekretariat Daerah", "Inspektorat", "Dinas Pendidikan"} <= set(opd_names)
    assert province.get_descendants().count() == province.subtree().count() - 1 > 80
    kota_jambi = UnitKerja.objects.get(code="SK-1571")
    assert any(unit.name.startswith("Kecamatan ") for unit in kota_jambi.get_children())
    # treebeard keeps working on the bulk-inserted tree
    added = province.add_child(code="SK-15.99", name="Unit Baru", kind=UnitKind.OPD)
    assert added.get_parent() == province
    assert all(not problems for problems in UnitKerja.find_problems())


def test_every_identity_number_is_valid_and_matches_the_profile(seeded):
    profiles = list(ASNProfile.objects.all())
    assert len(profiles) == SMALL["people"] + 2  # + skala_supervisor and skala_pengajar
    for profile in profiles:
        number = parse_identity(profile.nip, employment_type=profile.employment_type)
        assert cross_check(number, birth_date=profile.birth_date, gender=profile.gender) == []
        if profile.employment_type == "PNS":
            assert profile.golongan and not profile.pppk_grade
        else:
            assert profile.pppk_grade and not profile.golongan
        assert profile.user.username == profile.nip or profile.user.username.startswith("skala_")
        assert profile.unit.code.startswith("SK-")
    assert {profile.employment_type for profile in profiles} == {"PNS", "PPPK"}
    assert len({profile.full_name for profile in profiles}) > len(profiles) * 0.8
    assert all(
        not user.has_usable_password()
        for user in get_user_model()
        .objects.filter(asn_profile__unit__code__startswith="SK-")
        .exclude(username__startswith="skala_")
    )


def test_benchmark_accounts_have_their_roles(seeded):
    user_model = get_user_model()
    admin = user_model.objects.get(username="skala_admin")
    supervisor = user_model.objects.get(username="skala_supervisor")
    trainer = user_model.objects.get(username="skala_pengajar")
    for user in (admin, supervisor, trainer):
        assert user.check_password("Jambi2026!")
    assert roles.has_role(admin, roles.ADMIN_BPSDM)
    assert roles.has_role(supervisor, roles.SUPERVISOR)
    assert roles.has_role(trainer, roles.PENGAJAR)

    supervised = list(supervisor.asn_profile.supervised_units.all())
    assert len(supervised) == 1
    largest = supervised[0]
    assert largest.get_parent().code == "SK-15" and largest.kind == UnitKind.OPD
    sizes = {
        opd.pk: ASNProfile.objects.filter(unit__in=opd.subtree()).exclude(user=supervisor).count()
        for opd in UnitKerja.objects.get(code="SK-15").get_children()
    }
    assert sizes[largest.pk] == max(sizes.values())

    courses = list(CoursePage.objects.order_by("path"))
    assert [list(course.trainers.all()) for course in courses[:3]] == [[trainer]] * 3
    assert all(not course.trainers.exists() for course in courses[3:])


# --- courses and learner data ----------------------------------------------------------------------


def test_courses_are_live_wagtail_trees_with_pre_and_post_tests(seeded):
    courses = list(CoursePage.objects.live().order_by("path"))
    assert len(courses) == SMALL["courses"] == seeded.courses
    assert len({course.title for course in courses}) == len(courses)
    for position, course in enumerate(courses):
        assert 2 <= course.jp_value <= 24 and course.category is not None
        quizzes = {quiz.quiz_role: quiz for quiz in QuizPage.objects.descendant_of(course)}
        if position % 4 == 3:
            pre, post = quizzes[QuizRole.PRETEST], quizzes[QuizRole.POSTTEST]
            assert post.paired_pretest == pre and post.required and not pre.required
            assert pre.get_parent().pk == post.get_parent().pk == course.pk
            post.full_clean()
        else:
            assert set(quizzes) == {QuizRole.ORDINARY}


def test_enrolment_summaries_are_what_the_platform_computes(seeded):
    enrolments = list(Enrolment.objects.select_related("course"))
    expected = SMALL["people"] * SMALL["enrolments_per_person"] * 0.98
    assert expected * 0.9 <= len(enrolments) == seeded.enrolments <= SMALL["people"] * SMALL["enrolments_per_person"]
    credits = {(credit.user_id, credit.course_ref): credit for credit in JPCredit.objects.all()}
    this_year = timezone.localdate().year
    for enrolment in enrolments:
        course = enrolment.course
        assert enrolment.course_title == course.title
        assert enrolment.required_items == (8 if QuizPage.objects.descendant_of(course).count() == 3 else 7)
        completed = enrolment.progress_status == ProgressStatus.COMPLETED
        assert completed == (enrolment.completed_at is not None)
        if completed:
            assert enrolment.status == EnrolmentStatus.ACTIVE
            assert (enrolment.done_items, enrolment.percent) == (enrolment.required_items, 100)
            credit = credits.pop((enrolment.user_id, course.pk))
            assert credit.jp == course.jp_value and credit.credited_at == enrolment.completed_at
            assert credit.year == timezone.localtime(enrolment.completed_at).year in (this_year - 1, this_year)
            assert enrolment.started_at <= enrolment.completed_at <= timezone.now()
            assert enrolment.last_activity_at == enrolment.completed_at
            last_pass = QuizResult.objects.filter(user_id=enrolment.user_id, course_id=course.pk, passed=True)
            # The pass that completed the course (the platform writes the two a few milliseconds apart).
            assert abs(max(result.passed_at for result in last_pass) - enrolment.completed_at) < timedelta(
                milliseconds=1
            )
        else:
            assert enrolment.done_items < enrolment.required_items
            assert enrolment.percent == enrolment.done_items * 100 // enrolment.required_items
        if enrolment.progress_status == ProgressStatus.NOT_STARTED:
            assert enrolment.done_items == 0 and enrolment.started_at is None
        if enrolment.status == EnrolmentStatus.REQUESTED:
            assert enrolment.enrolled_at is None and enrolment.requested_at is not None
        else:
            assert enrolment.enrolled_at is not None
            assert enrolment.started_at is None or enrolment.enrolled_at <= enrolment.started_at
    assert credits == {}  # no credit without a completed enrolment
    statuses = Counter(enrolment.progress_status for enrolment in enrolments)
    assert all(statuses[status] > len(enrolments) * 0.1 for status in ProgressStatus.values)

    # The platform's own bulk recompute finds nothing to change in any course.
    for course in CoursePage.objects.all():
        active = Enrolment.objects.filter(course=course, status=EnrolmentStatus.ACTIVE).values_list(
            "user_id", flat=True
        )
        assert course_enrolments_refresh(course=course, user_ids=list(active)) == 0


def test_lesson_progress_follows_the_enrolments(seeded):
    rows = defaultdict(list)
    for progress in LessonProgress.objects.select_related("lesson"):
        assert progress.lesson_title == progress.lesson.title
        assert progress.started_at <= progress.last_seen_at
        assert progress.completed_at is None or progress.completed_at == progress.last_seen_at
        rows[(progress.user_id, CoursePage.objects.ancestor_of(progress.lesson).get().pk)].append(progress)
    for enrolment in Enrolment.objects.all():
        mine = rows.pop((enrolment.user_id, enrolment.course_id), [])
        open_rows = [row for row in mine if row.completed_at is None]
        if enrolment.progress_status == ProgressStatus.NOT_STARTED:
            assert mine == []
        elif enrolment.progress_status == ProgressStatus.IN_PROGRESS and enrolment.done_items < 6:
            assert len(open_rows) == 1 and len(mine) == enrolment.done_items + 1
        else:
            assert open_rows == [] and len(mine) == 6
    assert rows == {}


def test_quiz_results_agree_with_their_attempts(seeded):
    attempts = defaultdict(list)
    for attempt in Attempt.objects.order_by("number"):
        assert attempt.state == "finished" and attempt.started_at < attempt.submitted_at == attempt.graded_at
        assert attempt.percent == (attempt.raw_mark * 100 / attempt.max_mark).quantize(attempt.percent)
        assert attempt.passed == (attempt.percent >= 70)
        attempts[(attempt.user_id, attempt.quiz_id)].append(attempt)
    results = list(QuizResult.objects.select_related("quiz"))
    assert len(results) == len(attempts) == seeded.quiz_results > 0
    for result in results:
        mine = attempts[(result.user_id, result.quiz_id)]
        assert [attempt.number for attempt in mine] == list(range(1, len(mine) + 1)) and len(mine) <= 3
        assert result.attempts_started == result.attempts_finished == len(mine)
        assert result.grade_percent == max(attempt.percent for attempt in mine)
        assert result.first_percent == mine[0].percent
        assert result.passed == (result.grade_percent >= result.quiz.pass_mark)
        assert result.passed_at == (mine[-1].graded_at if result.passed else None)
        assert result.course_id == mine[0].course_id == CoursePage.objects.ancestor_of(result.quiz).get().pk
        assert all(earlier.submitted_at < later.started_at for earlier, later in zip(mine, mine[1:], strict=False))

    passed = {(result.user_id, result.quiz_id) for result in results if result.passed}
    gains = []
    for enrolment in Enrolment.objects.filter(completed_at__isnull=False):
        required = QuizPage.objects.descendant_of(enrolment.course).filter(required=True)
        assert all((enrolment.user_id, quiz.pk) in passed for quiz in required)
        post = required.filter(quiz_role=QuizRole.POSTTEST).first()
        if post is not None:
            pre = QuizResult.objects.filter(user_id=enrolment.user_id, quiz=post.paired_pretest).first()
            if pre is not None:
                gains.append(
                    QuizResult.objects.get(user_id=enrolment.user_id, quiz=post).grade_percent - pre.grade_percent
                )
    assert gains and all(gain > 0 for gain in gains)


# --- repeatability and cost ---------------------------------------------------------------------


def test_running_again_changes_nothing(seeded):
    before = _table_counts()
    out = io.StringIO()

    with translation.override("en"):
        again = seed_scale(**SMALL, stdout=out)

    assert again.already_present
    assert (again.units, again.people, again.courses, again.enrolments) == (
        seeded.units,
        seeded.people,
        seeded.courses,
        seeded.enrolments,
    )
    assert "already present" in out.getvalue()
    assert _table_counts() == before


def _run_and_roll_back(**options):
    """Seed inside a savepoint, read what it made (by values, not ids), then undo it."""
    with transaction.atomic():
        seed_scale(**options)
        nips = list(ASNProfile.objects.order_by("user_id").values_list("nip", flat=True))
        states = Counter(
            Enrolment.objects.values_list(
                "user__asn_profile__nip", "course_title", "status", "progress_status", "done_items", "completed_at"
            )
        )
        credits = Counter(JPCredit.objects.values_list("user__asn_profile__nip", "course_title", "jp", "year"))
        transaction.set_rollback(True)
    return nips, states, credits


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_data():
    first = _run_and_roll_back(**SMALL)
    assert not UnitKerja.objects.exists()
    second = _run_and_roll_back(**SMALL)
    other_seed = _run_and_roll_back(**SMALL, seed=16)

    assert first == second
    assert len(first[0]) == SMALL["people"] + 2
    assert set(first[0]).isdisjoint(other_seed[0])


def test_the_plan_is_independent_of_how_people_are_chunked():
    today = timezone.localdate()
    units = unit_plan()
    whole = [person.nip for person in PeoplePlanner(seed=15, units=units, today=today).people(300)]
    planner = PeoplePlanner(seed=15, units=units, today=today)
    pieces = [person.nip for _chunk in range(3) for person in planner.people(100)]
    assert whole == pieces and len(set(whole)) == 300


def _count_queries(people: int) -> tuple[int, int, int]:
    """(queries other than INSERT, INSERT statements, rows written) for one seeding, rolled back."""
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        summary = seed_scale(people=people, courses=2, enrolments_per_person=3)
        transaction.set_rollback(True)
    inserts = sum(1 for query in captured.captured_queries if query["sql"].lstrip().upper().startswith("INSERT"))
    rows = summary.people * 3 + summary.enrolments + summary.lesson_progress + summary.attempts
    rows += summary.quiz_results + summary.jp_credits  # users, profiles and role memberships: 3 per person
    return len(captured.captured_queries) - inserts, inserts, rows


@pytest.mark.django_db
def test_queries_do_not_grow_with_people(django_assert_max_num_queries):
    others_small, inserts_small, rows_small = _count_queries(60)
    others_large, inserts_large, rows_large = _count_queries(240)

    # Lookups and page creation depend on the number of courses only.
    assert others_large == others_small
    # Inserts are batched: SQLite binds at most 999 values per statement (~60 rows of a wide table),
    # PostgreSQL takes 2,000 rows; either way four times the people is far from one statement per row.
    assert (inserts_large - inserts_small) * 50 <= rows_large - rows_small
    with transaction.atomic():
        with django_assert_max_num_queries(others_small + inserts_large):
            seed_scale(people=240, courses=2, enrolments_per_person=3)
        transaction.set_rollback(True)


def test_learning_plan_spreads_jp_and_dates_for_20_jp_reports():
    """Pure plan, no database: a few thousand people give every compliance band and both years."""
    today = timezone.localdate()
    now = timezone.now()
    courses = course_plan(40)
    planner = LearningPlanner(seed=15, courses=courses, enrolments_per_person=5, today=today, now=now)
    jp_this_year = Counter()
    years = Counter()
    statuses = Counter()
    new_year_night = 0
    people = 4000
    for person in range(people):
        jp_this_year[person] += 0
        for plan in planner.person(person):
            statuses[plan.progress_status] += 1
            if plan.completed_at is None:
                continue
            local = timezone.localtime(plan.completed_at)
            assert plan.completed_at <= now
            years[local.year] += 1
            if local.year == today.year:
                jp_this_year[person] += courses[plan.course].jp
            if (local.month, local.day) == (1, 1) and local.hour < 7:
                new_year_night += 1  # a report that takes the year in UTC would put these in last year
                assert plan.completed_at.astimezone(UTC).year == today.year - 1
    total = sum(statuses.values())
    assert 0.25 < statuses[ProgressStatus.COMPLETED] / total < 0.35
    assert 0.40 < statuses[ProgressStatus.IN_PROGRESS] / total < 0.50
    assert 0.20 < statuses[ProgressStatus.NOT_STARTED] / total < 0.30
    assert set(years) == {today.year - 1, today.year}
    bands = Counter(
        "20+" if jp >= 20 else "15-19" if jp >= 15 else "1-14" if jp else "0" for jp in jp_this_year.values()
    )
    assert bands["20+"] > people * 0.05
    assert bands["15-19"] > people * 0.02
    assert bands["0"] > people * 0.3
    if today.timetuple().tm_yday > 30:
        assert new_year_night > 0


# --- the command ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_command_prints_a_line_per_phase_and_a_summary(settings):
    settings.LANGUAGE_CODE = "en"  # the English source messages, whatever the translation holds
    out = io.StringIO()
    call_command("seed_scale", "--people", "40", "--courses", "2", "--enrolments-per-person", "2", stdout=out)
    lines = out.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines[:5]] == ["Units", "Accounts", "Courses", "People", "Learning"]
    assert all(" s." in line for line in lines[:5])
    assert "skala_admin" in lines[-1]
    assert ASNProfile.objects.count() == 42

    again = io.StringIO()
    call_command("seed_scale", "--people", "40", stdout=again)
    assert "already present" in again.getvalue()
