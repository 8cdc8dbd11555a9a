"""Whether a completion earns a certificate: the course's rule (minimum post-test grade; a course
evaluation once evaluations exist) and the post-test grade it prints."""

from decimal import Decimal

# Checks a later app adds (course evaluations, issue 17): callables (rule, enrolment) -> bool, each
# True when its condition is met. ``CourseCertificateRule.require_evaluation`` waits for one.
EXTRA_CHECKS: list = []

# Predikat by final grade, as in LAN's rules for training results.
PREDIKAT = [
    (Decimal("90.01"), "Sangat Memuaskan"),
    (Decimal("80.01"), "Memuaskan"),
    (Decimal("70.01"), "Baik"),
    (Decimal("60.01"), "Kurang"),
    (Decimal("0"), "Sangat Kurang"),
]


def predikat(grade: Decimal | None) -> str:
    if grade is None:
        return ""
    return next(label for floor, label in PREDIKAT if grade >= floor)


def posttest_grade(*, user_id: int, course_id: int) -> Decimal | None:
    """The learner's grade on the course's post-test (the best of several), or None without one."""
    from quizzes.models import QuizResult, QuizRole

    grades = QuizResult.objects.filter(
        user_id=user_id, course_id=course_id, quiz__quiz_role=QuizRole.POSTTEST, grade_percent__isnull=False
    ).values_list("grade_percent", flat=True)
    return max(grades, default=None)


def eligible(*, rule, grade: Decimal | None, enrolment) -> bool:
    if rule is None:
        return True
    if rule.min_posttest_grade is not None and (grade is None or grade < rule.min_posttest_grade):
        return False
    return all(check(rule, enrolment) for check in EXTRA_CHECKS)
