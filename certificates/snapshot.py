"""The fields a certificate prints, copied once at issue: later edits of the person, the course or the
template never change an issued certificate (its verification page and PDF read only this)."""

from decimal import Decimal

from django.utils import timezone

from certificates import predicates


def _local_date(moment) -> str | None:
    return timezone.localtime(moment).date().isoformat() if moment else None


def build(*, enrolment, course, template, grade: Decimal | None, number: str, issued_at) -> dict:
    """Call with Indonesian active: labels (rank, competency kind, mode) are stored as printed."""
    from courses.models import LessonPage, ModulePage
    from people.models import ASNProfile

    profile = ASNProfile.objects.select_related("unit", "user").filter(user_id=enrolment.user_id).first()
    user = profile.user if profile else enrolment.user
    unit = profile.unit if profile else None
    instansi = unit.get_root().name if unit is not None and not unit.is_root() else (unit.name if unit else "")
    # Two queries for the outline however many modules: the modules, then all their lessons.
    modules = {
        path: {"title": title, "lessons": 0, "minutes": 0}
        for path, title in ModulePage.objects.child_of(course).live().order_by("path").values_list("path", "title")
    }
    for path, minutes in LessonPage.objects.descendant_of(course).live().values_list("path", "estimated_minutes"):
        module = modules.get(path[: len(course.path) + course.steplen])
        if module is not None:
            module["lessons"] += 1
            module["minutes"] += minutes
    return {
        "institution": template.institution,
        "city": template.city,
        "orientation": template.orientation,
        "template_id": template.pk,
        "outline_page": template.outline_page,
        "course_title": course.title,
        "competency_kind": course.get_competency_kind_display(),
        "training_mode": course.get_training_mode_display(),
        "jp": course.jp_value,
        "started_on": _local_date(enrolment.started_at or enrolment.enrolled_at or enrolment.completed_at),
        "completed_on": _local_date(enrolment.completed_at),
        "name": profile.full_name if profile else (user.get_full_name() or user.get_username()),
        "nip": profile.nip if profile else "",
        "birth_place": profile.birth_place if profile else "",
        "birth_date": profile.birth_date.isoformat() if profile and profile.birth_date else None,
        "rank": profile.rank_display if profile else "",
        "position": profile.jabatan_name if profile else "",
        "unit": unit.name if unit else "",
        "instansi": instansi,
        "result": "Lulus",
        "grade": str(grade.quantize(Decimal("0.01"))) if grade is not None else None,
        "predikat": predicates.predikat(grade),
        "number": number,
        "issued_on": _local_date(issued_at),
        "signer_name": template.signer_name,
        "signer_position": template.signer_position,
        "signer_nip": template.signer_nip,
        "modules": list(modules.values()),
    }
