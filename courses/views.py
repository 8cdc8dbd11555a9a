"""Learner views: enrolment, lesson heartbeats, mark as done, the dashboard (the pages serve themselves)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from courses import completion, selectors, services, watching
from courses.models import CourseIndexPage, CoursePage, EnrolmentStatus, LessonPage


@require_POST
@login_required
def enrol(request, course_id: int):
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    try:
        enrolment = services.enrolment_create(user=request.user, course=course)
    except services.EnrolmentError as error:
        messages.error(request, str(error))
    else:
        if enrolment.status == EnrolmentStatus.REQUESTED:
            messages.success(request, _("Your request has been sent. A trainer will approve it."))
        else:
            messages.success(request, _("You are enrolled. Happy learning!"))
    return redirect(course.url)


@require_POST
@login_required
def leave(request, course_id: int):
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    try:
        services.enrolment_leave(user=request.user, course=course)
    except services.EnrolmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("You have left the course. Your progress is kept if you come back."))
    return redirect(course.url)


def _float_or_none(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


@never_cache
@require_POST
def heartbeat(request, lesson_id: int):
    """Progress report from the lesson page (fetch or sendBeacon). Answers JSON; at most 5 queries."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": _("Your session has ended. Please sign in again.")}, status=401)
    try:
        active_seconds = max(0, min(int(float(request.POST.get("active", 0))), 24 * 3600))
    except (TypeError, ValueError):
        active_seconds = 0
    beat = services.Heartbeat(
        view_id=request.POST.get("view", ""),
        active_seconds=active_seconds,
        position=_float_or_none(request.POST.get("position")),
        duration=_float_or_none(request.POST.get("duration")),
        played=watching.parse_intervals(request.POST.get("played", "")),
    )
    try:
        result = services.lesson_heartbeat(user=request.user, lesson_id=lesson_id, beat=beat)
    except LessonPage.DoesNotExist as exc:
        raise Http404 from exc
    except services.LessonAccessError as error:
        return JsonResponse({"error": str(error)}, status=404)  # as if the lesson did not exist
    return JsonResponse(result)


@require_POST
@login_required
def mark_done(request, lesson_id: int):
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    try:
        progress = services.lesson_mark_done(user=request.user, lesson=lesson)
    except services.LessonAccessError as exc:
        raise Http404 from exc
    if progress.completed_at is None:
        # Marked, but another requirement of the lesson (e.g. a required H5P item) is still open: say which.
        missing = completion.lesson_requirements_missing(user_id=request.user.pk, lesson=lesson)
        messages.warning(
            request,
            _("Marked as done, but this lesson is not complete yet. Still to do: %(items)s.")
            % {"items": "; ".join(missing)},
        )
        return redirect(lesson.get_url(request))
    access = selectors.lesson_access(user=request.user, lesson=lesson)
    if access.enrolment is not None and access.enrolment.completed_at:
        messages.success(request, _("Congratulations! You have completed this course."))
        return redirect(access.course.url)
    messages.success(request, _("Lesson marked as done."))
    _previous, following = access.outline.neighbours(lesson.pk) if access.outline else (None, None)
    if following is not None and not following.locked:
        return redirect(following.url)
    return redirect(lesson.get_url(request))


@login_required
def dashboard(request):
    """Dasbor / Kursus Saya: profile card, courses in progress with Lanjutkan, completed, JP this year."""
    profile = getattr(request.user, "asn_profile", None)
    return render(
        request, "courses/dashboard.html", {"profile": profile, "data": selectors.dashboard(user=request.user)}
    )


def catalogue(request):
    """A stable address for the catalogue (nav links): the first published course catalogue page."""
    index_page = CourseIndexPage.objects.live().order_by("path").first()
    if index_page is None:
        raise Http404
    return redirect(index_page.get_url(request))
