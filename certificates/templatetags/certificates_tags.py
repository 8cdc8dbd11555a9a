"""Template tags of the certificates app: the certificate of a completed course (one query, only on a
completed enrolment)."""

from django import template

from certificates.selectors import valid_certificate_for

register = template.Library()


@register.simple_tag
def course_certificate(enrolment):
    if enrolment is None or not getattr(enrolment, "completed_at", None):
        return None
    return valid_certificate_for(user_id=enrolment.user_id, course_id=enrolment.course_id)


@register.filter
def iso_date(value):
    """A snapshot date (``2026-12-02``) the Indonesian way (``2 Desember 2026``)."""
    import datetime

    from django.utils import formats

    try:
        return formats.date_format(datetime.date.fromisoformat(value), "j F Y")
    except (TypeError, ValueError):
        return "–"
