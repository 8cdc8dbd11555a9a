"""The save sequence number: a number outside 1 … 2^31 − 1 (or not a number) is refused with 400 and a
clear message, and a number that skips ahead of the last accepted save is refused too, so no request can
leave an attempt unsavable. Run on SQLite and on PostgreSQL (DATABASE_URL=postgres://…/lms_<name>), whose
32-bit integer column answered 500 for 2^31 before."""

import pytest
from django.urls import reverse

from quizzes import services
from quizzes.models import Attempt
from tests.quizzes.factories import course_with_module, enrolled_learner, quiz_page, true_false

pytestmark = pytest.mark.django_db

MAX = 2**31 - 1
REFUSED_ID = "Penyimpanan ini ditolak"  # "This save was refused", the Indonesian message


@pytest.fixture
def attempt(client):
    course, module = course_with_module()
    quiz = quiz_page(module, [true_false(), true_false()])
    learner = enrolled_learner(course)
    client.force_login(learner)
    client.post(reverse("quiz_start", args=[quiz.pk]))
    return Attempt.objects.get(user=learner)


def save(client, attempt, seq, *, json=True, value="1"):
    headers = {"HTTP_ACCEPT": "application/json"} if json else {}
    return client.post(reverse("quiz_save", args=[attempt.pk]), {"seq": seq, "slots": [1], "q1": value}, **headers)


def assert_nothing_saved(attempt, last_seq=0):
    attempt.refresh_from_db()
    assert attempt.last_seq == last_seq
    assert attempt.slots.get(number=1).response is None


@pytest.mark.parametrize(
    "seq",
    [
        str(2**31),  # the first value past a 32-bit column: was HTTP 500 on PostgreSQL
        str(2**31 + 5),
        str(2**63),  # past a 64-bit integer too
        "9" * 40,
        "0",
        "-1",
        str(-(2**31) - 1),
        "",
        "abc",
        "1.5",
        "1e3",
        "0x10",
        "1,0",
    ],
)
def test_a_sequence_number_out_of_range_or_not_a_number_is_refused_with_400(client, attempt, seq):
    response = save(client, attempt, seq)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["status"] == "invalid" and REFUSED_ID in body["message"]
    assert_nothing_saved(attempt)
    # The attempt still saves normally afterwards.
    assert save(client, attempt, 1).json()["status"] == "saved"


def test_a_form_post_with_a_bad_number_gets_a_400_page_in_indonesian(client, attempt):
    response = save(client, attempt, str(2**31), json=False)
    assert response.status_code == 400
    html = response.content.decode()
    assert REFUSED_ID in html and reverse("quiz_attempt", args=[attempt.pk]) in html
    assert_nothing_saved(attempt)


@pytest.mark.parametrize("seq", [MAX, MAX - 1, 3, 1000])
def test_a_number_that_skips_ahead_is_refused_and_the_attempt_stays_savable(client, attempt, seq):
    """2^31 − 1 used to be accepted, after which every next number (2^31) was out of range: wedged."""
    response = save(client, attempt, str(seq))
    assert response.status_code == 400 and response.json()["status"] == "invalid"
    assert response.json()["seq"] == 0  # the server's last accepted number, for the page to resync
    assert_nothing_saved(attempt)
    for number in (1, 2, 3):
        assert save(client, attempt, number, value=str(number % 2)).json()["status"] == "saved"
    attempt.refresh_from_db()
    assert attempt.last_seq == 3 and attempt.slots.get(number=1).response is True


def test_the_maximum_is_accepted_as_the_next_number_and_the_attempt_can_still_be_submitted(client, attempt):
    Attempt.objects.filter(pk=attempt.pk).update(last_seq=MAX - 1)  # 2^31 − 2 saves later
    assert save(client, attempt, str(MAX)).json() == {"status": "saved", "seq": MAX, "saved": [1]}
    beyond = save(client, attempt, str(MAX + 1))
    assert beyond.status_code == 400  # refused cleanly, no 500
    client.post(reverse("quiz_submit", args=[attempt.pk]))
    attempt.refresh_from_db()
    assert attempt.state == "finished" and attempt.raw_mark == 1


def test_the_service_refuses_numbers_out_of_range(attempt):
    for seq in (0, -5, MAX + 1):
        with pytest.raises(ValueError):
            services.attempt_save(attempt_id=attempt.pk, user=attempt.user, seq=seq, post={}, slot_numbers=[1])
    outcome = services.attempt_save(attempt_id=attempt.pk, user=attempt.user, seq=2, post={}, slot_numbers=[1])
    assert outcome.status == "ahead" and outcome.last_seq == 0
