"""The kinds of notification: one stable code each (stored in rows and preferences) and its label."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    ENROLMENT_ASSIGNED = "enrolment_assigned", _("Course assigned to you")
    ENROLMENT_APPROVED = "enrolment_approved", _("Enrolment request approved")
    ENROLMENT_REFUSED = "enrolment_refused", _("Enrolment request refused")
    ESSAY_GRADED = "essay_graded", _("Essay graded")
