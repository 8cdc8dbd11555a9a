"""Reads of the quiz engine in a fixed number of queries: the quiz intro, the attempt page, the review,
and what the review options allow."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import EnrolmentStatus
from lms.scoping import scope_for
from quizzes import completion, grading, responses, services
from quizzes.models import Attempt, AttemptSlot, AttemptState, QuizOverride, QuizPage, QuizResult, ReviewTiming


def review_reveal(
    *, quiz: QuizPage | None, attempt: Attempt, override: QuizOverride | None = None, now=None
) -> responses.Reveal:
    """What the review of a submitted attempt may show, by the quiz's review options. Marks are shown
    once the attempt is submitted; the rest only when the timing allows (immediately / after close)."""
    if attempt.state == AttemptState.IN_PROGRESS:
        return responses.HIDDEN
    if quiz is None:  # the quiz page was deleted: the learner keeps their marks
        return responses.Reveal(marks=True)
    rules = services.rules_for(quiz=quiz, override=override)
    timing_ok = quiz.review_timing == ReviewTiming.IMMEDIATELY or quiz.is_closed(now=now, close_at=rules.close_at)
    return responses.Reveal(
        marks=True,
        correctness=timing_ok and quiz.review_correctness,
        feedback=timing_ok and quiz.review_feedback,
        right_answers=timing_ok and quiz.review_right_answers,
    )


def staff_review_reveal(*, attempt: Attempt, viewer, full: responses.Reveal) -> responses.Reveal:
    """What a staff screen (results, attempt detail) may show of an attempt.

    An attempt in progress shows no answer key, correctness, feedback or marks to anyone, Admin BPSDM
    included: the learner is still answering. A staff member looking at their *own* attempt (a Supervisor or
    Pengajar who is also a Peserta) gets exactly what their learner review allows, never more. Otherwise
    ``full`` (a trainer's or supervisor's view of someone else's submitted attempt)."""
    if attempt.state == AttemptState.IN_PROGRESS:
        return responses.HIDDEN
    if attempt.user_id == viewer.pk:
        override = QuizOverride.objects.filter(quiz_id=attempt.quiz_id, user_id=viewer.pk).first()
        return review_reveal(quiz=attempt.quiz, attempt=attempt, override=override)
    return full


@dataclass
class IntroState:
    can_start: bool
    reason: str
    open_attempt: Attempt | None
    attempts_left: int | None  # None = unlimited


def quiz_intro_context(*, quiz: QuizPage, user) -> dict:
    """The quiz page for a learner: the rules (their overrides applied), their attempts and grade."""
    context = {"quiz": quiz, "now": timezone.now()}
    if not user.is_authenticated:
        context.update(
            access=None, attempts=[], result=None, state=IntroState(False, _("Sign in to take this quiz."), None, None)
        )
        return context
    access = completion.quiz_access(user=user, quiz=quiz)
    override = QuizOverride.objects.filter(quiz=quiz, user=user).first()
    rules = services.rules_for(quiz=quiz, override=override)
    attempts = list(Attempt.objects.filter(quiz=quiz, user=user).order_by("number"))
    now = timezone.now()
    open_attempt = next((attempt for attempt in attempts if attempt.state == AttemptState.IN_PROGRESS), None)
    result = QuizResult.objects.filter(quiz=quiz, user=user).first()
    left = None
    if rules.attempts_allowed:
        left = max(0, rules.attempts_allowed - len(attempts))
    reason = ""
    if not access.allowed:
        reason = (
            _("Enrol in the course to take this quiz.")
            if access.enrolment is None or access.enrolment.status != EnrolmentStatus.ACTIVE
            else access.lock_message or _("Finish the previous module first.")
        )
    elif open_attempt is None:
        if quiz.open_at and now < quiz.open_at:
            reason = _("This quiz is not open yet.")
        elif rules.close_at and now >= rules.close_at:
            reason = _("This quiz is closed.")
        elif left == 0:
            reason = _("You have used all your attempts at this quiz.")
    for attempt in attempts:
        attempt.reveal = review_reveal(quiz=quiz, attempt=attempt, override=override, now=now)
    context.update(
        access=access,
        rules=rules,
        attempts=attempts,
        result=result,
        state=IntroState(can_start=not reason, reason=reason, open_attempt=open_attempt, attempts_left=left),
    )
    return context


@dataclass
class NavItem:
    number: int
    page: int
    answered: bool


def attempt_slots(attempt: Attempt) -> list[AttemptSlot]:
    """Every question of an attempt with its version: one query."""
    return list(AttemptSlot.objects.filter(attempt=attempt).select_related("version").order_by("number"))


def attempt_page(*, attempt: Attempt, page: int) -> dict:
    """The questions of one page of an attempt (learner's view: no answer key) and the navigation."""
    slots = attempt_slots(attempt)
    nav = []
    questions = []
    for slot in slots:
        data = slot.version.data
        nav.append(NavItem(slot.number, slot.page, grading.is_answered(data, slot.response)))
        if slot.page == page:
            questions.append(
                responses.present(
                    number=slot.number,
                    data=data,
                    layout=slot.layout,
                    response=slot.response,
                    prefix=f"q{slot.number}",
                    max_mark=slot.max_mark,
                )
            )
    return {"questions": questions, "nav": nav, "page": page, "answered": sum(1 for item in nav if item.answered)}


def slot_review(slot: AttemptSlot, *, reveal: responses.Reveal) -> dict:
    """One answered question as a review shows it (learner review, staff attempt detail, essay grading)."""
    return responses.present(
        number=slot.number,
        data=slot.version.data,
        layout=slot.layout,
        response=slot.response,
        prefix=f"q{slot.number}",
        reveal=reveal,
        mark=slot.mark,
        max_mark=slot.max_mark,
        needs_grading=slot.needs_grading,
        grader_comment=slot.grader_comment,
    )


def attempt_review(*, attempt: Attempt, reveal: responses.Reveal) -> list[dict]:
    return [slot_review(slot, reveal=reveal) for slot in attempt_slots(attempt)]


# --- trainers and supervisors --------------------------------------------------------------------


def results_scope(*, user, quiz: QuizPage):
    """Who may see results of this quiz, as a filter on learners: ``None`` = everyone (Admin BPSDM and the
    trainers of the quiz's course), a list of unit paths = those units' subtrees (supervisors), ``False`` =
    nobody. The rule is ``lms.scoping.Scope``'s, as on every staff screen."""
    if not user.is_authenticated or not (user.is_superuser or user.has_perm("quizzes.view_quiz_results")):
        return False
    scope = scope_for(user)
    if scope.manages_page(quiz):
        return None
    return list(scope.unit_paths) or False


def _unit_filter(paths):
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(user__asn_profile__unit__path__startswith=path)
    return condition


def quiz_results(*, quiz: QuizPage, scope, unit=None):
    """Every learner's grade for a quiz (one row each), with unit, optionally below ``unit``. One query."""
    results = (
        QuizResult.objects.filter(quiz=quiz)
        .select_related("user__asn_profile__unit")
        .order_by("user__asn_profile__full_name", "user__username")
    )
    if scope:
        results = results.filter(_unit_filter(scope))
    if unit is not None:
        results = results.filter(user__asn_profile__unit__path__startswith=unit.path)
    return results


def attempts_for_results(*, quiz: QuizPage, user_ids) -> dict[int, list[Attempt]]:
    """The attempts of the listed learners, grouped by learner. One query."""
    grouped: dict[int, list[Attempt]] = {}
    for attempt in Attempt.objects.filter(quiz=quiz, user_id__in=user_ids).order_by("number"):
        grouped.setdefault(attempt.user_id, []).append(attempt)
    return grouped


def grading_queue(*, user, quiz: QuizPage | None = None):
    """Essays waiting for a trainer, oldest submission first, in the quizzes of the trainer's courses."""
    slots = (
        AttemptSlot.objects.filter(needs_grading=True, attempt__state=AttemptState.NEEDS_GRADING)
        .select_related("attempt__user__asn_profile", "attempt__quiz")
        .order_by("attempt__submitted_at", "number")
    )
    if quiz is not None:
        slots = slots.filter(attempt__quiz=quiz)
    slots = slots.exclude(attempt__user=user)  # nobody grades their own essay
    # Grading changes a course's data: the trainers of the quiz's course (and Admin BPSDM) only.
    return slots.filter(scope_for(user).pages(path_field="attempt__quiz__path"))


@dataclass
class GainRow:
    user: object
    pre: object
    post: object

    @property
    def gain(self):
        return self.post - self.pre

    @property
    def normalised_gain(self):
        """(post − pre) / (100 − pre); undefined for a perfect pre-test."""
        if self.pre >= 100:
            return None
        return (self.post - self.pre) / (100 - self.pre)


@dataclass
class GainReport:
    rows: list
    average_normalised_gain: object  # mean of the learners' normalised gains
    class_normalised_gain: object  # (mean post − mean pre) / (100 − mean pre), Hake's ⟨g⟩
    mean_pre: object
    mean_post: object


def prepost_gains(*, posttest: QuizPage, scope=None) -> GainReport | None:
    """Each learner with a grade on both the pre-test and the post-test, and the course's gains. Two queries.

    The pre-test counts its first graded attempt (the baseline); the post-test the learner's grade."""
    if posttest.paired_pretest_id is None:
        return None
    pre = QuizResult.objects.filter(quiz_id=posttest.paired_pretest_id, first_percent__isnull=False)
    post = QuizResult.objects.filter(quiz=posttest, grade_percent__isnull=False).select_related("user__asn_profile")
    if scope:
        pre, post = pre.filter(_unit_filter(scope)), post.filter(_unit_filter(scope))
    baseline = dict(pre.values_list("user_id", "first_percent"))
    rows = [
        GainRow(user=result.user, pre=baseline[result.user_id], post=result.grade_percent)
        for result in post
        if result.user_id in baseline
    ]
    rows.sort(key=lambda row: getattr(getattr(row.user, "asn_profile", None), "full_name", row.user.username))
    gains = [row.normalised_gain for row in rows if row.normalised_gain is not None]
    average = (sum(gains, Decimal("0")) / len(gains)).quantize(Decimal("0.001")) if gains else None
    mean_pre = sum((row.pre for row in rows), Decimal("0")) / len(rows) if rows else None
    mean_post = sum((row.post for row in rows), Decimal("0")) / len(rows) if rows else None
    class_gain = None
    if rows and mean_pre < 100:
        class_gain = ((mean_post - mean_pre) / (100 - mean_pre)).quantize(Decimal("0.001"))
    return GainReport(
        rows=rows,
        average_normalised_gain=average,
        class_normalised_gain=class_gain,
        mean_pre=mean_pre,
        mean_post=mean_post,
    )
