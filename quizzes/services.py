"""Writes of the quiz engine: start, save, submit, expire, grade essays, regrade, results.

Every function is one transaction; the attempt row is locked (``select_for_update``) for every change
to an attempt, and the learner's ``QuizResult`` row is locked while an attempt is started, so two tabs,
a double click or a retried request never create an extra attempt or grade one twice."""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from quizzes import completion, grading, qtypes, responses
from quizzes.models import (
    Attempt,
    AttemptSlot,
    AttemptState,
    GradingMethod,
    Navigation,
    Question,
    QuizOverride,
    QuizPage,
    QuizResult,
)

HUNDRED = Decimal("100")


def grace_period() -> timedelta:
    """Saves that left the browser just before the deadline still count if they arrive this late."""
    return timedelta(seconds=getattr(settings, "QUIZ_DEADLINE_GRACE_SECONDS", 10))


class QuizError(Exception):
    """A rule the learner ran into; the message is shown to them as it is (already translated)."""


# --- rules ---------------------------------------------------------------------------------------


@dataclass
class Rules:
    """The quiz's rules for one learner, overrides applied."""

    attempts_allowed: int  # 0 = unlimited
    close_at: datetime | None
    time_limit: timedelta | None

    @property
    def time_limit_minutes(self) -> int | None:
        return int(self.time_limit.total_seconds() // 60) if self.time_limit else None


def rules_for(*, quiz: QuizPage, override: QuizOverride | None) -> Rules:
    attempts = quiz.attempts_allowed
    if attempts and override is not None:
        attempts += override.extra_attempts
    close_at = quiz.close_at
    if override is not None and override.close_at:
        close_at = override.close_at
    minutes = quiz.time_limit_minutes
    if override is not None and override.time_limit_minutes:
        minutes = override.time_limit_minutes
    return Rules(
        attempts_allowed=attempts, close_at=close_at, time_limit=timedelta(minutes=minutes) if minutes else None
    )


def _override(quiz_id: int, user_id: int) -> QuizOverride | None:
    return QuizOverride.objects.filter(quiz_id=quiz_id, user_id=user_id).first()


def is_expired(attempt: Attempt, *, now: datetime | None = None) -> bool:
    """True once the deadline (plus the grace for requests in flight) has passed."""
    now = now or timezone.now()
    return attempt.deadline is not None and now > attempt.deadline + grace_period()


# --- start ---------------------------------------------------------------------------------------


def _draw_slots(*, quiz: QuizPage, rng: random.Random) -> list[tuple[Question, Decimal]]:
    """The questions of a new attempt: the chosen ones, then each random draw (no question twice)."""
    chosen = [
        (link.question, link.mark or link.question.default_mark)
        for link in quiz.quiz_questions.select_related("question__current_version").order_by("sort_order")
    ]
    used = {question.pk for question, _mark in chosen}
    drawn = []
    for draw in quiz.random_draws.select_related("category").order_by("sort_order"):
        candidates = [pk for pk in draw.candidates().values_list("pk", flat=True) if pk not in used]
        picked = rng.sample(candidates, min(draw.count, len(candidates)))
        used.update(picked)
        drawn.extend((pk, draw.mark) for pk in picked)
    if drawn:
        questions = Question.objects.select_related("current_version").in_bulk([pk for pk, _mark in drawn])
        chosen.extend((questions[pk], mark) for pk, mark in drawn)
    return chosen


@transaction.atomic
def attempt_start(*, quiz: QuizPage, user, now: datetime | None = None, seed: int | None = None) -> Attempt:
    """Start an attempt, or return the one already in progress (two tabs get the same attempt)."""
    now = now or timezone.now()
    course_id = completion.course_id_for(quiz)
    if not completion.may_take(user=user, quiz=quiz, course_id=course_id):
        raise QuizError(_("Enrol in the course to take this quiz."))
    # The learner's result row, locked: serialises starts per learner and quiz (two tabs, double clicks).
    result, _created = QuizResult.objects.select_for_update().get_or_create(
        quiz=quiz, user=user, defaults={"course_id": course_id}
    )

    current = Attempt.objects.filter(quiz=quiz, user=user, state=AttemptState.IN_PROGRESS).first()
    if current is not None:
        if not is_expired(current, now=now):
            return current
        _submit_locked(current, now=now, auto=True)

    override = _override(quiz.pk, user.pk)
    rules = rules_for(quiz=quiz, override=override)
    if quiz.open_at and now < quiz.open_at:
        raise QuizError(_("This quiz is not open yet."))
    if rules.close_at and now >= rules.close_at:
        raise QuizError(_("This quiz is closed."))
    started = Attempt.objects.filter(quiz=quiz, user=user).count()
    if rules.attempts_allowed and started >= rules.attempts_allowed:
        raise QuizError(_("You have used all your attempts at this quiz."))

    rng = random.Random(seed)  # noqa: S311 - shuffling questions, not secrets
    questions = _draw_slots(quiz=quiz, rng=rng)
    if not questions:
        raise QuizError(_("This quiz has no questions yet."))
    if quiz.shuffle_questions:
        rng.shuffle(questions)

    deadline = None
    if rules.time_limit:
        deadline = now + rules.time_limit
    if rules.close_at:
        deadline = min(deadline, rules.close_at) if deadline else rules.close_at
    per_page = quiz.questions_per_page or len(questions)
    page_count = (len(questions) + per_page - 1) // per_page
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                quiz=quiz,
                quiz_title=quiz.title,
                course_id=course_id,
                user=user,
                number=started + 1,
                started_at=now,
                deadline=deadline,
                page_count=page_count,
                sequential=quiz.navigation == Navigation.SEQUENTIAL,
                max_mark=sum((Decimal(mark) for _q, mark in questions), Decimal("0")),
            )
    except IntegrityError as exc:  # only reachable if the row lock was bypassed; never two attempts
        raise QuizError(_("An attempt was just started in another window. Reload the page.")) from exc
    slots = []
    for index, (question, mark) in enumerate(questions):
        version = question.current_version if question.current_version_id else question.record_version()
        slots.append(
            AttemptSlot(
                attempt=attempt,
                number=index + 1,
                page=index // per_page,
                question=question,
                version=version,
                max_mark=mark,
                layout=responses.build_layout(version.data, shuffle=quiz.shuffle_options, rng=rng),
                needs_grading=False,
            )
        )
    AttemptSlot.objects.bulk_create(slots)
    result.attempts_started = started + 1
    result.course_id = course_id
    result.save(update_fields=["attempts_started", "course_id", "updated_at"])
    if started == 0:
        completion.grade_changed(user_id=user.pk, course_id=course_id)  # the quiz is now "in progress"
    return attempt


# --- save ----------------------------------------------------------------------------------------


# Save sequence numbers are stored in a 32-bit integer column (PostgreSQL ``integer``).
MAX_SEQ = 2**31 - 1


class SaveStatus(StrEnum):
    """What became of a save; the value is what the page's script reads in the JSON answer."""

    SAVED = "saved"
    STALE = "stale"  # a replayed or out-of-order number: nothing saved, the server's answers are sent back
    AHEAD = "ahead"  # a number past the next one: refused (a broken or tampered request)
    CLOSED = "closed"  # the attempt was already submitted
    TIME_UP = "time_up"  # the deadline passed: the attempt was submitted with what was saved

    @property
    def submitted(self) -> bool:
        return self in (SaveStatus.CLOSED, SaveStatus.TIME_UP)


@dataclass
class SaveOutcome:
    status: SaveStatus
    last_seq: int
    saved: list[int] = field(default_factory=list)
    attempt: Attempt | None = None
    # "stale": what the server holds for the slots the refused request tried to save, as form fields
    # ({slot number: {field name: [values]}}), so the page can show it instead of the refused answer.
    answers: dict[int, dict[str, list[str]]] = field(default_factory=dict)


def _saved_answers(attempt_id: int, slot_numbers: list[int]) -> dict[int, dict[str, list[str]]]:
    slots = AttemptSlot.objects.filter(attempt_id=attempt_id, number__in=slot_numbers[:500]).select_related("version")
    return {
        slot.number: responses.form_values(slot.version.data, slot.layout, slot.response, f"q{slot.number}")
        for slot in slots
    }


def attempt_save(
    *,
    attempt_id: int,
    user,
    seq: int,
    post,
    slot_numbers: list[int],
    now: datetime | None = None,
    page: int | None = None,
) -> SaveOutcome:
    """Save the responses for ``slot_numbers`` read from ``post``. Applied only if ``seq`` is the number right
    after the last accepted save: a replayed or out-of-order request changes nothing ("stale"), and a number
    further ahead is refused ("ahead"), so no request can push the counter towards ``MAX_SEQ`` and leave the
    attempt unsavable; the page's script only ever sends the next number (and resends it after a failure).

    The hot path of a quiz sitting: one conditional UPDATE both claims the sequence number and takes the
    attempt's row lock (concurrent saves of one attempt queue behind it and then find their number used),
    one read of the slots, one write. Only a refused save reads the attempt to say why."""
    now = now or timezone.now()
    if not 1 <= seq <= MAX_SEQ:
        raise ValueError(f"save sequence number out of range: {seq}")
    with transaction.atomic():
        claimed = (
            Attempt.objects.filter(pk=attempt_id, user=user, state=AttemptState.IN_PROGRESS, last_seq=seq - 1)
            .filter(Q(deadline__isnull=True) | Q(deadline__gte=now - grace_period()))
            .update(last_seq=seq)
        )
        if not claimed:
            attempt = Attempt.objects.select_for_update().get(pk=attempt_id, user=user)
            if attempt.state != AttemptState.IN_PROGRESS:
                return SaveOutcome(SaveStatus.CLOSED, attempt.last_seq, attempt=attempt)
            if is_expired(attempt, now=now):
                _submit_locked(attempt, now=now, auto=True)
                return SaveOutcome(SaveStatus.TIME_UP, attempt.last_seq, attempt=attempt)
            if seq > attempt.last_seq:
                return SaveOutcome(SaveStatus.AHEAD, attempt.last_seq, attempt=attempt)
            return SaveOutcome(
                SaveStatus.STALE, attempt.last_seq, attempt=attempt, answers=_saved_answers(attempt_id, slot_numbers)
            )
        slots = list(
            AttemptSlot.objects.filter(attempt_id=attempt_id, number__in=slot_numbers[:500]).select_related(
                "version", "attempt"
            )
        )
        changed = []
        for slot in slots:
            if slot.attempt.sequential and slot.page < slot.attempt.furthest_page:
                continue  # forward-only: earlier pages are closed
            response = responses.parse(slot.version.data, slot.layout, post, f"q{slot.number}")
            if response != slot.response:
                slot.response = response
                slot.answered_at = now
                changed.append(slot)
        if len(changed) == 1:
            AttemptSlot.objects.filter(pk=changed[0].pk).update(response=changed[0].response, answered_at=now)
        elif changed:
            AttemptSlot.objects.bulk_update(changed, ["response", "answered_at"])
        if page is not None:
            Attempt.objects.filter(pk=attempt_id, furthest_page__lt=page, page_count__gt=page).update(
                furthest_page=page
            )
        return SaveOutcome(SaveStatus.SAVED, seq, saved=[slot.number for slot in slots], attempt=Attempt(pk=attempt_id))


# --- submit and grade ----------------------------------------------------------------------------


def _grade_slots(slots: list[AttemptSlot]) -> None:
    for slot in slots:
        if slot.graded_by_id and qtypes.for_data(slot.version.data).needs_manual_grading:
            continue  # a person's mark stays
        fraction = grading.grade(slot.version.data, slot.response)
        slot.mark = grading.mark_for(fraction, slot.max_mark)
        slot.needs_grading = fraction is None


def _totals(attempt: Attempt, slots: list[AttemptSlot], pass_mark: Decimal | None) -> None:
    """Attempt marks from its slots; final (FINISHED) only when no slot waits for a person."""
    attempt.max_mark = sum((Decimal(slot.max_mark) for slot in slots), Decimal("0"))
    attempt.raw_mark = sum((slot.mark or Decimal("0") for slot in slots), Decimal("0"))
    pending = any(slot.needs_grading for slot in slots)
    attempt.percent = (
        (attempt.raw_mark * HUNDRED / attempt.max_mark).quantize(Decimal("0.01")) if attempt.max_mark else Decimal("0")
    )
    attempt.percent = min(HUNDRED, max(Decimal("0"), attempt.percent))
    if pending:
        attempt.state = AttemptState.NEEDS_GRADING
        attempt.passed = None
        attempt.graded_at = None
    else:
        attempt.state = AttemptState.FINISHED
        attempt.passed = pass_mark is not None and attempt.percent >= pass_mark
        attempt.graded_at = attempt.graded_at or timezone.now()


def _submit_locked(attempt: Attempt, *, now: datetime, auto: bool) -> Attempt:
    """Grade and close an attempt whose row the caller has locked. Slots: one read, one bulk write."""
    slots = list(attempt.slots.select_related("version").order_by("number"))
    _grade_slots(slots)
    AttemptSlot.objects.bulk_update(slots, ["mark", "needs_grading"])
    quiz = attempt.quiz
    attempt.submitted_at = min(now, attempt.deadline) if (auto and attempt.deadline) else now
    attempt.auto_submitted = auto
    _totals(attempt, slots, quiz.pass_mark if quiz else None)
    attempt.save(
        update_fields=[
            "state",
            "submitted_at",
            "auto_submitted",
            "raw_mark",
            "max_mark",
            "percent",
            "passed",
            "graded_at",
        ]
    )
    if quiz is not None:
        result_refresh(quiz=quiz, user_id=attempt.user_id)
    return attempt


@transaction.atomic
def attempt_submit(*, attempt_id: int, user, now: datetime | None = None) -> Attempt:
    """Submit once: a double click or a retried request finds the attempt closed and changes nothing."""
    now = now or timezone.now()
    attempt = Attempt.objects.select_for_update(of=("self",)).select_related("quiz").get(pk=attempt_id, user=user)
    if attempt.state != AttemptState.IN_PROGRESS:
        return attempt
    return _submit_locked(attempt, now=now, auto=is_expired(attempt, now=now))


def attempt_expire_if_due(*, attempt: Attempt, now: datetime | None = None) -> Attempt:
    """Submit an attempt whose time is up (called on every request that touches it)."""
    now = now or timezone.now()
    if attempt.state != AttemptState.IN_PROGRESS or not is_expired(attempt, now=now):
        return attempt
    with transaction.atomic():
        locked = Attempt.objects.select_for_update(of=("self",)).select_related("quiz").get(pk=attempt.pk)
        if locked.state == AttemptState.IN_PROGRESS:
            _submit_locked(locked, now=now, auto=True)
        return locked


def expired_attempts_close(*, quiz: QuizPage, user, now: datetime | None = None) -> None:
    """Submit the learner's attempt at this quiz if its time is up (one indexed query when there is none)."""
    now = now or timezone.now()
    for attempt in Attempt.objects.filter(
        quiz=quiz, user=user, state=AttemptState.IN_PROGRESS, deadline__lt=now - grace_period()
    ):
        attempt_expire_if_due(attempt=attempt, now=now)


def close_expired_attempts(*, now: datetime | None = None, limit: int = 10_000) -> int:
    """Submit every attempt whose deadline has passed, with what was saved (abandoned attempts)."""
    now = now or timezone.now()
    due = list(
        Attempt.objects.filter(state=AttemptState.IN_PROGRESS, deadline__lt=now - grace_period())
        .order_by("deadline")
        .values_list("pk", flat=True)[:limit]
    )
    closed = 0
    for attempt_id in due:
        with transaction.atomic():
            attempt = Attempt.objects.select_for_update(of=("self",)).select_related("quiz").get(pk=attempt_id)
            if attempt.state == AttemptState.IN_PROGRESS and is_expired(attempt, now=now):
                _submit_locked(attempt, now=now, auto=True)
                closed += 1
    return closed


# --- results -------------------------------------------------------------------------------------


def grade_by_method(method: str, percents: list[Decimal]) -> Decimal | None:
    """The learner's grade from their finished attempts' percents (in attempt order)."""
    if not percents:
        return None
    if method == GradingMethod.HIGHEST:
        return max(percents)
    if method == GradingMethod.FIRST:
        return percents[0]
    if method == GradingMethod.LAST:
        return percents[-1]
    return (sum(percents, Decimal("0")) / len(percents)).quantize(Decimal("0.01"))


def result_refresh(*, quiz: QuizPage, user_id: int) -> QuizResult:
    """Recompute the learner's grade for a quiz and, when it changed, the course enrolment (same transaction)."""
    course_id = completion.course_id_for(quiz)
    result, _created = QuizResult.objects.select_for_update().get_or_create(
        quiz=quiz, user_id=user_id, defaults={"course_id": course_id}
    )
    rows = list(
        Attempt.objects.filter(quiz=quiz, user_id=user_id)
        .order_by("number")
        .values_list("state", "percent", "graded_at")
    )
    finished = [(percent, graded_at) for state, percent, graded_at in rows if state == AttemptState.FINISHED]
    before = (result.grade_percent, result.passed)
    result.attempts_started = len(rows)
    result.attempts_finished = len(finished)
    result.grade_percent = grade_by_method(quiz.grading_method, [percent for percent, _at in finished])
    result.first_percent = finished[0][0] if finished else None
    result.passed = result.grade_percent is not None and result.grade_percent >= quiz.pass_mark
    if result.passed and result.passed_at is None:
        result.passed_at = max(at for _p, at in finished if at) if any(at for _p, at in finished) else timezone.now()
    elif not result.passed:
        result.passed_at = None
    result.course_id = course_id
    result.save()
    if before != (result.grade_percent, result.passed):
        completion.grade_changed(user_id=user_id, course_id=course_id)
    return result


# --- trainers: essays, regrade -------------------------------------------------------------------


@transaction.atomic
def essay_grade(*, slot_id: int, mark: Decimal, comment: str, grader) -> AttemptSlot:
    """A trainer's mark for an essay; the attempt becomes final when nothing else waits. Logged on the attempt
    (``quizzes.attempt.grade``: who, which question, the mark before and after) in the same transaction."""
    slot = AttemptSlot.objects.select_related("version").get(pk=slot_id)
    attempt = Attempt.objects.select_for_update(of=("self",)).select_related("quiz").get(pk=slot.attempt_id)
    if attempt.state == AttemptState.IN_PROGRESS:
        raise QuizError(_("This attempt has not been submitted yet."))
    if not qtypes.for_data(slot.version.data).needs_manual_grading:
        raise QuizError(_("Only essay questions are graded by hand."))
    mark = Decimal(mark)
    if mark < 0 or mark > slot.max_mark:
        raise QuizError(_("The mark must be between 0 and %(max)s.") % {"max": slot.max_mark})
    slots = list(attempt.slots.select_related("version").order_by("number"))
    before = slot.mark
    for candidate in slots:
        if candidate.pk == slot.pk:
            candidate.mark = mark.quantize(grading.MARK_QUANTUM)
            candidate.needs_grading = False
            candidate.grader_comment = comment
            candidate.graded_by = grader
            candidate.graded_at = timezone.now()
            slot = candidate
    slot.save(update_fields=["mark", "needs_grading", "grader_comment", "graded_by", "graded_at"])
    _totals(attempt, slots, attempt.quiz.pass_mark if attempt.quiz else None)
    attempt.save(update_fields=["state", "raw_mark", "max_mark", "percent", "passed", "graded_at"])
    if attempt.quiz is not None:
        result_refresh(quiz=attempt.quiz, user_id=attempt.user_id)
    log(
        attempt,
        "quizzes.attempt.grade",
        user=grader,
        data={
            "question": slot.number,
            "mark": str(slot.mark),
            "previous_mark": None if before is None else str(before),
            "learner": attempt.user_id,
        },
    )
    from notifications import events  # the learner is told once per essay, however often it is regraded

    events.essay_graded(slot=slot, attempt=attempt)
    return slot


@dataclass
class RegradeChange:
    attempt: Attempt
    old_percent: Decimal | None
    new_percent: Decimal | None
    old_passed: bool | None
    new_passed: bool | None
    questions_changed: list[int]


@transaction.atomic
def quiz_regrade(*, quiz: QuizPage, dry_run: bool, user=None) -> list[RegradeChange]:
    """Grade every submitted attempt again against each question's current version (after a fix).

    Applied (not a dry run), it is logged on the quiz page (``quizzes.quiz.regrade``, by ``user``, with the
    attempts it changed) in the same transaction, so it shows in the page's history.

    Dry run: compute and return what would change, write nothing. A bounded number of queries: the
    attempts, their slots, the current versions, the writes, then one result refresh per learner."""
    attempts = {
        attempt.pk: attempt
        for attempt in Attempt.objects.select_for_update(of=("self",))
        .filter(quiz=quiz)
        .exclude(state=AttemptState.IN_PROGRESS)
        .select_related("user")
    }
    slots = list(
        AttemptSlot.objects.filter(attempt_id__in=attempts).select_related("version").order_by("attempt", "number")
    )
    questions = Question.objects.select_related("current_version").in_bulk(
        {slot.question_id for slot in slots if slot.question_id}
    )
    by_attempt: dict[int, list[AttemptSlot]] = {}
    changed_slots = []
    changed_numbers: dict[int, list[int]] = {}
    for slot in slots:
        by_attempt.setdefault(slot.attempt_id, []).append(slot)
        question = questions.get(slot.question_id)
        target = question.current_version if question is not None and question.current_version_id else slot.version
        before = (slot.version_id, slot.mark, slot.needs_grading)
        if slot.graded_by_id and qtypes.for_data(target.data).needs_manual_grading:
            continue  # a person's mark stays
        slot.version = target
        fraction = grading.grade(target.data, slot.response)
        slot.mark = grading.mark_for(fraction, slot.max_mark)
        slot.needs_grading = fraction is None
        if before != (slot.version_id, slot.mark, slot.needs_grading):
            changed_slots.append(slot)
            if before[1] != slot.mark or before[2] != slot.needs_grading:
                changed_numbers.setdefault(slot.attempt_id, []).append(slot.number)
    changes = []
    changed_attempts = []
    for attempt_id, attempt_slots in by_attempt.items():
        attempt = attempts[attempt_id]
        before = (attempt.percent, attempt.passed, attempt.state)
        _totals(attempt, attempt_slots, quiz.pass_mark)
        if before != (attempt.percent, attempt.passed, attempt.state) or attempt_id in changed_numbers:
            changed_attempts.append(attempt)
            changes.append(
                RegradeChange(
                    attempt, before[0], attempt.percent, before[1], attempt.passed, changed_numbers.get(attempt_id, [])
                )
            )
    if dry_run:
        transaction.set_rollback(True)
        return changes
    if changed_slots:
        AttemptSlot.objects.bulk_update(changed_slots, ["version", "mark", "needs_grading"])
    if changed_attempts:
        Attempt.objects.bulk_update(
            changed_attempts, ["state", "raw_mark", "max_mark", "percent", "passed", "graded_at"]
        )
    for user_id in sorted({attempt.user_id for attempt in changed_attempts}):
        result_refresh(quiz=quiz, user_id=user_id)
    log(quiz, "quizzes.quiz.regrade", user=user, data={"attempts": [change.attempt.pk for change in changes]})
    return changes
