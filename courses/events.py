"""Signals other apps listen to, so that courses never imports them (certificates, notifications)."""

from django.dispatch import Signal

# Sent after the transaction that completed an enrolment commits (a completion withdrawn and given
# again sends it again). Arguments: ``enrolment`` (courses.Enrolment), ``course`` (CoursePage).
course_completed = Signal()
