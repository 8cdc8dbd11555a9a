"""Reports on people: 20 JP compliance, quiz results, one person's record and the SIASN rows."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from wagtail.models import Page

from certificates.models import Certificate, CertificateStatus
from courses.models import CoursePage, Enrolment, JPCredit, JPEntryKind
from h5p.models import H5PPlacement, H5PResult
from people.models import ASNProfile, UnitKerja
from quizzes.models import Attempt, QuizResult
from reports.scoping import Scope
from reports.selectors.common import (
    Activation,
    JPBand,
    in_scope,
    in_unit,
    jp_band_filter,
    jp_target,
    people,
    person_columns,
    wib_midnight,
)

# --- 20 JP compliance ---------------------------------------------------------------------------


def jp_compliance(
    *, scope: Scope, year: int, unit: UnitKerja | None = None, band: str = "", activation: str = ""
) -> QuerySet[ASNProfile]:
    """Every ASN in scope with the JP credited to them in ``year`` (trainers: in their courses) and
    their account's ``activated_at`` and ``last_login`` (``Activation``: only those in ``activation``).

    The JP total is a correlated subquery on the (user, year) index rather than a join and GROUP BY
    over every profile: ordered by unit and name, PostgreSQL computes it for the rows of one page."""
    credits = JPCredit.objects.filter(scope.rows(course_field="course_ref"), user_id=OuterRef("user_id"), year=year)
    credited = credits.values("user_id").annotate(total=Sum("jp")).values("total")
    rows = (
        people(scope=scope, unit=unit)
        .select_related("unit")
        .annotate(
            jp=Coalesce(Subquery(credited), Value(0)),
            activated_at=F("user__activated_at"),
            last_login=F("user__last_login"),
        )
    )
    if activation:
        rows = rows.filter(Activation.filter(activation))
    if band == JPBand.ZERO:
        # An anti-join finds the people without a live credit without summing anyone's JP (every credit
        # carries at least 1 JP and a reversed one is cancelled by its reversal, so "no live credit" is "0 JP").
        rows = rows.filter(~Exists(credits.filter(kind=JPEntryKind.CREDIT, reversed_at__isnull=True)))
    elif band:
        rows = rows.filter(jp_band_filter(band))
    return rows


# --- quiz results -------------------------------------------------------------------------------


def quiz_results_base(
    *,
    scope: Scope,
    unit: UnitKerja | None = None,
    quiz=None,
    course=None,
    passed=None,
    role: str = "",
    joined: bool = True,
) -> QuerySet:
    """The quiz results of ``quiz_results`` without the display columns. ``joined`` as in
    ``enrolments``: joined to the profile and unit for listing them in name order, semi-joined (one
    hash of the people in scope) for counting them."""
    rows = in_scope(QuizResult.objects.filter(quiz__isnull=False), scope=scope, unit=unit, joined=joined)
    if quiz is not None:
        rows = rows.filter(quiz_id=quiz.pk)
    if course is not None:
        rows = rows.filter(course_id=course.pk)
    if passed is not None:
        rows = rows.filter(passed=passed)
    if role:
        rows = rows.filter(quiz__quiz_role=role)
    return rows


def quiz_results(**filters):
    """Per quiz and ASN: grade, attempts, pass/fail, and for a post-test the paired pre-test's first
    grade and the gain."""
    pretest = QuizResult.objects.filter(
        user_id=OuterRef("user_id"), quiz_id=OuterRef("quiz__paired_pretest_id")
    ).values("first_percent")[:1]
    return quiz_results_base(**filters).annotate(
        **person_columns(),
        quiz_title=F("quiz__title"),
        quiz_role=F("quiz__quiz_role"),
        course_title=Subquery(CoursePage.objects.filter(pk=OuterRef("course_id")).values("title")[:1]),
        pretest_percent=Subquery(pretest),
    )


def quiz_result_groups(rows: QuerySet, *, descending: bool = False) -> list[tuple[str, list[int], int]]:
    """The quizzes of ``rows`` grouped by title in the database's title order: (title, quiz ids, rows).
    One statement: the results counted per integer quiz id (the ORM's query), then joined to the few
    dozen quiz pages for their titles, so the titles are not joined to every result; the database
    sorts the titles, so the order is the listing's own (same collation)."""
    try:
        counted_sql, params = rows.values("quiz_id").annotate(total=Count("pk")).order_by().query.sql_with_params()
    except EmptyResultSet:
        return []
    pages = connection.ops.quote_name(Page._meta.db_table)
    direction = "DESC" if descending else "ASC"
    sql = (
        f"SELECT counted.quiz_id, page.title, counted.total FROM ({counted_sql}) counted "  # noqa: S608
        f"INNER JOIN {pages} page ON page.id = counted.quiz_id ORDER BY page.title {direction}, counted.quiz_id"
    )
    groups: list[tuple[str, list[int], int]] = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for quiz_id, title, total in cursor.fetchall():
            if groups and groups[-1][0] == title:
                groups[-1] = (title, [*groups[-1][1], quiz_id], groups[-1][2] + total)
            else:
                groups.append((title, [quiz_id], total))
    return groups


# --- one person ---------------------------------------------------------------------------------


@dataclass
class PersonReport:
    profile: ASNProfile
    enrolments: list
    quiz_results: list
    attempts_by_quiz: dict
    h5p_results: list
    jp_by_year: list
    target: int


def person(*, scope: Scope, user_id: int) -> PersonReport | None:
    """Everything the scope may see about one ASN, or ``None`` (the view answers 404). Six queries."""
    profile = people(scope=scope).filter(user_id=user_id).select_related("user", "unit", "supervisor").first()
    if profile is None:
        return None
    enrolment_rows = list(
        Enrolment.objects.filter(scope.rows(course_field="course_id"), user_id=user_id)
        .select_related("course")
        .order_by("-enrolled_at", "course_title")
    )
    results = list(
        QuizResult.objects.filter(scope.rows(course_field="course_id"), user_id=user_id)
        .select_related("quiz")
        .order_by("course_id", "quiz__path")
    )
    attempts: dict[int | None, list] = defaultdict(list)
    for attempt in Attempt.objects.filter(scope.rows(course_field="course_id"), user_id=user_id).order_by("number"):
        attempts[attempt.quiz_id].append(attempt)
    h5p_scope = scope.rows(course_field=None)
    if scope.course_ids and not scope.everything:
        h5p_scope |= Q(content_id__in=H5PPlacement.objects.filter(course_id__in=scope.course_ids).values("content_id"))
    h5p_rows = list(H5PResult.objects.filter(h5p_scope, user_id=user_id).order_by("content_title"))
    jp_rows = list(
        JPCredit.objects.filter(scope.rows(course_field="course_ref"), user_id=user_id)
        .values("year")
        .annotate(total=Sum("jp"), courses=Count("pk", filter=Q(kind=JPEntryKind.CREDIT, reversed_at__isnull=True)))
        .order_by("-year")
    )
    for row in jp_rows:
        row["reached"] = row["total"] >= jp_target()
        row["missing"] = max(0, jp_target() - row["total"])
    return PersonReport(
        profile=profile,
        enrolments=enrolment_rows,
        quiz_results=results,
        attempts_by_quiz=dict(attempts),
        h5p_results=h5p_rows,
        jp_by_year=jp_rows,
        target=jp_target(),
    )


# --- SIASN riwayat kursus -----------------------------------------------------------------------


def siasn_rows(*, scope: Scope, start: datetime.date, end: datetime.date, unit: UnitKerja | None = None):
    """One row per course completed between ``start`` and ``end`` (inclusive) per ASN in scope."""
    begin, finish = wib_midnight(start), wib_midnight(end + datetime.timedelta(days=1))
    rows = Enrolment.objects.filter(
        scope.rows(course_field="course_id"),
        in_unit(unit),
        completed_at__gte=begin,
        completed_at__lt=finish,
    ).annotate(
        **person_columns(),
        competency_kind=F("course__competency_kind"),
        training_mode=F("course__training_mode"),
        jp_value=F("course__jp_value"),
        credited_jp=Subquery(
            JPCredit.live_credits()
            .filter(user_id=OuterRef("user_id"), course_ref=OuterRef("course_id"))
            .values("jp")[:1]
        ),
        # SIASN's nomorSertipikat: the valid certificate of this completion (certificates/).
        certificate_number=Subquery(
            Certificate.objects.filter(
                enrolment_ref=OuterRef("pk"), completed_at=OuterRef("completed_at"), status=CertificateStatus.VALID
            ).values("number")[:1]
        ),
    )
    return rows
