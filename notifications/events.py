"""What the other apps tell people, as notifications: one function per event, called by the service
that did the action (inside its transaction: the notification rolls back with it, the email is queued
on commit). The texts are stored, so they are written in the platform's language (Bahasa Indonesia).
Each notification's key names its subject, so repeating the action notifies nobody twice."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from notifications.kinds import Kind
from notifications.services import notify


def enrolment_decided(*, enrolment, approved: bool) -> None:
    course = enrolment.course
    title = enrolment.course_title or (course.title if course else "")
    with translation.override(settings.LANGUAGE_CODE):
        if approved:
            kind, text = Kind.ENROLMENT_APPROVED, _("Your request to join “%(course)s” was approved.")
        else:
            kind, text = Kind.ENROLMENT_REFUSED, _("Your request to join “%(course)s” was refused.")
        text = text % {"course": title}
    link = course.url if (approved and course is not None) else ""
    notify(recipient=enrolment.user, kind=kind, text=text, link=link or "", key=f"course:{enrolment.course_id}")


def course_assigned(*, course, user_ids) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        text = _("The course “%(course)s” was assigned to you.") % {"course": course.title}
    link = course.url or ""
    for user in get_user_model().objects.filter(pk__in=list(user_ids)):
        notify(recipient=user, kind=Kind.ENROLMENT_ASSIGNED, text=text, link=link, key=f"course:{course.pk}")


def essay_graded(*, slot, attempt) -> None:
    quiz_title = attempt.quiz.title if attempt.quiz else ""
    with translation.override(settings.LANGUAGE_CODE):
        text = _("Your essay (question %(number)s) in “%(quiz)s” has been graded.") % {
            "number": slot.number,
            "quiz": quiz_title,
        }
    notify(
        recipient=attempt.user,
        kind=Kind.ESSAY_GRADED,
        text=text,
        link=reverse("quiz_review", args=[attempt.pk]),
        key=f"essay:{slot.pk}",
    )
