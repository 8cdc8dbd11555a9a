"""Learner views: serving course pages, enrolment, lesson heartbeats, mark as done, the dashboard."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from courses import completion, selectors, services
from courses.models import CourseIndexPage, CoursePage, EnrolmentMode, EnrolmentSource, EnrolmentStatus, LessonPage

LESSON_CONTEXT_ATTRIBUTE = "_courses_lesson_context"


def _is_preview(request) -> bool:
    return getattr(request, "is_preview", False)


def course_context(course: CoursePage, request) -> dict:
    """For CoursePage.get_context: everyone sees the outline; an enrolled learner also marks and progress."""
    enrolment = None
    if request.user.is_authenticated and not _is_preview(request):
        enrolment = selectors.enrolment_statuses(user=request.user, course_ids=[course.pk]).get(course.pk)
    active = enrolment is not None and enrolment.status == EnrolmentStatus.ACTIVE
    # The routed course row is current, unless this is a preview of a revision.
    outline = completion.course_outline(
        course, user_id=request.user.pk if active else None, use_cache=not _is_preview(request)
    )
    trainers = list(course.trainers.select_related("asn_profile")) if course.pk else []
    return {
        "enrolment": enrolment,
        "is_enrolled": active,
        "outline": outline,
        "window_state": course.enrolment_window_state(),
        "trainers": trainers,
        "trainer_names": ", ".join(trainer.display_name for trainer in trainers),
        "can_leave": active
        and course.enrolment_mode == EnrolmentMode.OPEN
        and not enrolment.completed_at
        and enrolment.source != EnrolmentSource.ASSIGNED,
    }


def module_context(module, request) -> dict:
    """For ModulePage.get_context: its introduction and items, with the learner's marks when enrolled."""
    course = services.course_of(module) if module.pk else None
    if course is None:
        return {"course": None, "is_enrolled": False, "outline": None, "module_entry": None}
    enrolment = None
    if request.user.is_authenticated and not _is_preview(request):
        enrolment = selectors.enrolment_statuses(user=request.user, course_ids=[course.pk]).get(course.pk)
    active = enrolment is not None and enrolment.status == EnrolmentStatus.ACTIVE
    outline = completion.course_outline(course, user_id=request.user.pk if active else None, use_cache=True)
    module_entry = next((entry for entry in outline.modules if entry.page_id == module.pk), None)
    return {"course": course, "is_enrolled": active, "outline": outline, "module_entry": module_entry}


def lesson_context(lesson: LessonPage, request) -> dict:
    """For LessonPage.get_context: what ``lesson_gate`` decided, or an untracked preview for editors."""
    context = getattr(request, LESSON_CONTEXT_ATTRIBUTE, None)
    if context is not None:
        return context
    return {"preview": True, "course": services.course_of(lesson) if lesson.path else None}


def lesson_gate(lesson: LessonPage, request):
    """Before a lesson is served: a response that turns the visitor away, or None to serve the lesson.

    Enrolled learners get the lesson with tracking; trainers who may edit it an untracked view; a
    learner whose module is still locked a 403 page; everyone else is sent to the course page.
    """
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    access = services.lesson_access(user=request.user, lesson=lesson, for_page=True)
    if access.course is None:
        raise Http404
    if not access.allowed:
        if lesson.permissions_for_user(request.user).can_edit():
            setattr(request, LESSON_CONTEXT_ATTRIBUTE, {"preview": True, "course": access.course})
            return None
        if access.enrolment is not None and access.enrolment.status == EnrolmentStatus.ACTIVE:
            setattr(
                request,
                LESSON_CONTEXT_ATTRIBUTE,
                {"locked": True, "course": access.course, "lock_message": access.lock_message},
            )
            return TemplateResponse(request, lesson.get_template(request), lesson.get_context(request), status=403)
        messages.info(request, _("Enrol in this course to open its lessons."))
        return redirect(access.course.url)
    previous_item, next_item = access.outline.neighbours(lesson.pk)
    position_module, position_number, position_total = access.outline.position(lesson.pk)
    setattr(
        request,
        LESSON_CONTEXT_ATTRIBUTE,
        {
            "course": access.course,
            "outline": access.outline,
            "item": access.item,
            "progress": access.progress,
            "previous_item": previous_item,
            "next_item": next_item,
            # "Materi 2 dari 6": counted among the lessons of the lesson's module (courses.completion).
            "position_module": position_module,
            "position_number": position_number,
            "position_total": position_total,
            "view_id": uuid.uuid4(),
            "tracking": True,
            "body_cache_key": lesson.body_cache_key(),
        },
    )
    return None


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
        played=services.parse_intervals(request.POST.get("played", "")),
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
    access = services.lesson_access(user=request.user, lesson=lesson)
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
