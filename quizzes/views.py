"""Learner views: start, the attempt pages, saving answers, submitting and the review. Every state change
is a POST with CSRF; every attempt is looked up together with its owner, so another id gives 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from quizzes import selectors, services
from quizzes.models import Attempt, AttemptState, QuizOverride, QuizPage
from quizzes.services import SaveStatus


def js_strings() -> dict:
    """The attempt script's messages, translated here (no gettext in JavaScript)."""
    return {
        "saving": _("Saving…"),
        "saved": _("All answers saved ({time})"),
        "unsaved": _("Typing… will be saved"),
        "offline": _("Not saved yet: no connection. Trying again…"),
        "timeUp": _("Time is up. Submitting your saved answers…"),
        "replaced": _("Question {questions} was answered in another window: check it."),
        "replacedNote": _(
            "The answer saved from another window is shown here; the one given in this window was not saved."
        ),
    }


def _attempt_now(request, attempt_id: int) -> Attempt:
    """The learner's own attempt (another id: 404), submitted first if its time ran out."""
    attempt = get_object_or_404(Attempt.objects.select_related("quiz"), pk=attempt_id, user=request.user)
    return services.attempt_expire_if_due(attempt=attempt)


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@login_required
@require_POST
def attempt_start(request, quiz_id: int):
    quiz = get_object_or_404(QuizPage.objects.live(), pk=quiz_id)
    try:
        attempt = services.attempt_start(quiz=quiz, user=request.user)
    except services.QuizError as error:
        messages.error(request, str(error))
        return redirect(quiz.url)
    return redirect("quiz_attempt", attempt_id=attempt.pk)


@never_cache
@login_required
@require_GET
def attempt_view(request, attempt_id: int):
    attempt = _attempt_now(request, attempt_id)
    if attempt.state != AttemptState.IN_PROGRESS:
        if attempt.auto_submitted:
            messages.info(request, _("Time is up: your attempt was submitted with the answers you saved."))
        return redirect("quiz_review", attempt_id=attempt.pk)
    page = _int(request.GET.get("halaman"), attempt.furthest_page)
    page = min(max(page, 0), attempt.page_count - 1)
    if attempt.sequential and page < attempt.furthest_page:
        page = attempt.furthest_page
    context = selectors.attempt_page(attempt=attempt, page=page)
    context.update(
        attempt=attempt,
        quiz=attempt.quiz,
        next_seq=attempt.last_seq + 1,
        is_last_page=page == attempt.page_count - 1,
        pages=range(attempt.page_count),
        server_now=timezone.now(),
        js_strings=js_strings(),
    )
    return render(request, "quizzes/attempt.html", context)


@never_cache
@login_required
@require_POST
def attempt_save(request, attempt_id: int):
    """Save answers (autosave from the page's script, or the form's next/previous/finish buttons)."""
    seq = _int(request.POST.get("seq"))
    if seq is None or not 1 <= seq <= services.MAX_SEQ:
        return _save_refused(request, attempt_id, last_seq=None)
    slot_numbers = [number for number in (_int(value) for value in request.POST.getlist("slots")) if number]
    goto = _int(request.POST.get("goto"))
    try:
        outcome = services.attempt_save(
            attempt_id=attempt_id,
            user=request.user,
            seq=seq,
            post=request.POST,
            slot_numbers=slot_numbers,
            page=goto,
        )
    except Attempt.DoesNotExist as exc:
        raise Http404 from exc
    attempt = outcome.attempt
    if outcome.status == SaveStatus.AHEAD:
        return _save_refused(request, attempt.pk, last_seq=outcome.last_seq)
    if _wants_json(request):
        body = {"status": outcome.status, "seq": outcome.last_seq, "saved": outcome.saved}
        if outcome.status.submitted:
            body["redirect"] = reverse("quiz_review", args=[attempt.pk])
            body["message"] = _("This attempt is closed; your saved answers were submitted.")
        elif outcome.status == SaveStatus.STALE:
            body["message"] = _("This page is out of date (answers were saved from another window). Reload the page.")
            body["answers"] = {str(number): fields for number, fields in outcome.answers.items()}
        return JsonResponse(body, status=200 if outcome.status == SaveStatus.SAVED else 409)
    if outcome.status.submitted:
        messages.info(request, _("Time is up: your attempt was submitted with the answers you saved."))
        return redirect("quiz_review", attempt_id=attempt.pk)
    if outcome.status == SaveStatus.STALE:
        messages.warning(request, _("This page was out of date, so it was not saved. Check your answers here."))
        return redirect(reverse("quiz_attempt", args=[attempt.pk]) + f"?halaman={goto if goto is not None else ''}")
    if "finish" in request.POST:
        return redirect("quiz_summary", attempt_id=attempt.pk)
    target = goto if goto is not None else 0
    return redirect(reverse("quiz_attempt", args=[attempt.pk]) + f"?halaman={target}")


def _save_refused(request, attempt_id: int, *, last_seq: int | None):
    """A save whose sequence number is not a whole number from 1 to MAX_SEQ, or skips ahead of the last
    accepted save: a broken or tampered request, refused with 400 and nothing saved."""
    message = _("This save was refused: its sequence number is not valid. Reload the page; saved answers are kept.")
    if _wants_json(request):
        return JsonResponse({"status": "invalid", "seq": last_seq, "message": message}, status=400)
    return render(request, "quizzes/save_refused.html", {"message": message, "attempt_id": attempt_id}, status=400)


@never_cache
@login_required
@require_GET
def attempt_summary(request, attempt_id: int):
    attempt = _attempt_now(request, attempt_id)
    if attempt.state != AttemptState.IN_PROGRESS:
        return redirect("quiz_review", attempt_id=attempt.pk)
    context = selectors.attempt_page(attempt=attempt, page=-1)
    context.update(attempt=attempt, quiz=attempt.quiz, server_now=timezone.now())
    return render(request, "quizzes/summary.html", context)


@never_cache
@login_required
@require_POST
def attempt_submit(request, attempt_id: int):
    try:
        attempt = services.attempt_submit(attempt_id=attempt_id, user=request.user)
    except Attempt.DoesNotExist as exc:
        raise Http404 from exc
    return redirect("quiz_review", attempt_id=attempt.pk)


@never_cache
@login_required
@require_GET
def attempt_review(request, attempt_id: int):
    attempt = _attempt_now(request, attempt_id)
    if attempt.state == AttemptState.IN_PROGRESS:
        return redirect("quiz_attempt", attempt_id=attempt.pk)
    override = QuizOverride.objects.filter(quiz_id=attempt.quiz_id, user=request.user).first()
    reveal = selectors.review_reveal(quiz=attempt.quiz, attempt=attempt, override=override)
    show_questions = reveal.correctness or reveal.feedback or reveal.right_answers
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "reveal": reveal,
        "questions": selectors.attempt_review(attempt=attempt, reveal=reveal) if show_questions else [],
    }
    return render(request, "quizzes/review.html", context)
