"""Certificate numbers under concurrent completions, on a real database server: threads with their own
connections complete the course at the same moment; numbers have no gaps and no duplicates, and a
completion reported twice at once still yields one certificate. Skipped on SQLite, which serialises
every write anyway (run with DATABASE_URL=postgres://…)."""

import pytest
from django.db import connection

from certificates.models import Certificate, CertificateTemplate
from certificates.services import certificate_issue
from courses.models import Enrolment
from tests.certificates.test_certificates import NAME
from tests.courses.factories import build_course, enrol, learner
from tests.quizzes.test_races import run_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="races need PostgreSQL (set DATABASE_URL)"),
]


@pytest.fixture
def course_with_completions():
    from django.utils import timezone

    CertificateTemplate.objects.create(name="Bawaan", is_default=True, signer_name="A", signer_position="B")
    tree = build_course(title="Etika ASN", slug="etika-asn")
    enrolments = []
    for _ in range(8):
        enrolment = enrol(learner(full_name=NAME), tree.course)
        Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=timezone.now())
        enrolment.refresh_from_db()
        enrolments.append(enrolment)
    return tree.course, enrolments


def test_concurrent_completions_get_consecutive_numbers_without_gaps_or_duplicates(course_with_completions):
    course, enrolments = course_with_completions
    results = run_together(lambda index: certificate_issue(enrolment=enrolments[index], course=course).number, 8)
    assert all(isinstance(result, str) for result in results), results
    sequence = sorted(int(number.split("/")[0]) for number in results)
    assert sequence == list(range(1, 9))


def test_one_completion_reported_twice_at_once_is_one_certificate(course_with_completions):
    course, enrolments = course_with_completions
    results = run_together(lambda _index: certificate_issue(enrolment=enrolments[0], course=course).pk, 5)
    assert all(isinstance(result, int) for result in results), results
    assert len(set(results)) == 1 and Certificate.objects.count() == 1
    # The losers' numbers were rolled back with them: the next certificate is number 2.
    assert certificate_issue(enrolment=enrolments[1], course=course).number.startswith("0002/")
