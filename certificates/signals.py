"""Issue the certificate when a course is completed (courses.events.course_completed, after commit)."""

import logging

from django.dispatch import receiver

from courses.events import course_completed

logger = logging.getLogger(__name__)


@receiver(course_completed, dispatch_uid="certificates.issue_on_completion")
def issue_on_completion(sender, enrolment, course, **kwargs):
    from certificates.services import certificate_issue

    try:
        certificate_issue(enrolment=enrolment, course=course)
    except Exception:
        # The completion has committed and must stand: `manage.py certificates_issue_missing` issues
        # what a fault here left out.
        logger.exception("certificate not issued for enrolment %s", enrolment.pk)
