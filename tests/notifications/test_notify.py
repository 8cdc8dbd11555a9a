"""notify(): once per (person, kind, subject) however often it is called; the email queued on commit,
sent at most once, retried while the mail server is down; preferences."""

import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import override_settings
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from notifications import services
from notifications.kinds import Kind
from notifications.models import EmailState, Notification
from notifications.tasks import EMAIL_ATTEMPTS, send_notification_email
from tests.courses.factories import learner
from tests.lms.test_tasks import DB_TASKS, run_worker

pytestmark = pytest.mark.django_db


def say(user, key="enrolment:1", kind=Kind.ENROLMENT_APPROVED, text="Permintaan Anda disetujui."):
    return services.notify(recipient=user, kind=kind, text=text, link="/kursus/", key=key)


def test_notify_twice_keeps_one_notification_and_sends_one_email(django_capture_on_commit_callbacks):
    user = learner()
    with django_capture_on_commit_callbacks(execute=True):
        first, created = say(user)
    with django_capture_on_commit_callbacks(execute=True):
        again, created_again = say(user, text="other words")
    assert created and not created_again
    assert first.pk == again.pk and again.text == "Permintaan Anda disetujui."
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert mail.outbox[0].subject == "Learning Jambi: Permintaan pendaftaran disetujui"  # Bahasa Indonesia
    assert "Halo " in mail.outbox[0].body and "/notifikasi/" in mail.outbox[0].body
    assert "Permintaan Anda disetujui." in mail.outbox[0].body
    assert "http://testserver/kursus/" in mail.outbox[0].body
    first.refresh_from_db()
    assert first.email_state == EmailState.SENT and first.emailed_at


def test_other_subjects_kinds_and_people_each_get_their_own(django_capture_on_commit_callbacks):
    a, b = learner(), learner()
    with django_capture_on_commit_callbacks(execute=True):
        say(a, key="enrolment:1")
        say(a, key="enrolment:2")
        say(a, key="enrolment:1", kind=Kind.ENROLMENT_ASSIGNED)
        say(b, key="enrolment:1")
    assert Notification.objects.count() == 4
    assert len(mail.outbox) == 4


def test_the_database_refuses_a_second_row_for_the_same_subject():
    user = learner()
    say(user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(recipient=user, kind=Kind.ENROLMENT_APPROVED, key="enrolment:1", text="x")


def test_a_rolled_back_action_queues_no_email(django_capture_on_commit_callbacks):
    user = learner()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        say(user)
        raise RuntimeError("the action failed")
    assert callbacks == [] and not Notification.objects.exists() and mail.outbox == []


def test_email_switched_off_keeps_the_notification_in_the_app(django_capture_on_commit_callbacks):
    user = learner()
    services.set_email_preference(user=user, kind=Kind.ENROLMENT_APPROVED, email=False)
    with django_capture_on_commit_callbacks(execute=True):
        notification, _ = say(user)
        say(user, key="enrolment:2", kind=Kind.ENROLMENT_ASSIGNED)  # another kind: still emailed
    assert notification.email_state == EmailState.OPTED_OUT
    assert len(mail.outbox) == 1 and "enrolment" not in mail.outbox[0].subject
    services.set_email_preference(user=user, kind=Kind.ENROLMENT_APPROVED, email=True)
    with django_capture_on_commit_callbacks(execute=True):
        say(user, key="enrolment:3")
    assert len(mail.outbox) == 2


def test_no_address_no_email(django_capture_on_commit_callbacks):
    user = learner()
    user.email = ""
    user.save()
    with django_capture_on_commit_callbacks(execute=True):
        notification, _ = say(user)
    assert notification.email_state == EmailState.NO_ADDRESS and mail.outbox == []


def test_the_email_task_for_a_deleted_notification_ends_cleanly():
    assert send_notification_email.call(987654) == "skipped"


def test_the_email_task_run_twice_sends_once(django_capture_on_commit_callbacks):
    user = learner()
    with django_capture_on_commit_callbacks(execute=True):
        notification, _ = say(user)
    assert send_notification_email.call(notification.pk) == "skipped"
    assert len(mail.outbox) == 1


# transaction=True: the worker closes its connection after each task (see tests/lms/test_tasks.py).
@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_a_mail_server_that_is_down_keeps_the_notification_and_retries_until_it_is_up(
    django_capture_on_commit_callbacks,
):
    user = learner()
    with django_capture_on_commit_callbacks(execute=True):
        notification, _ = say(user)
    assert DBTaskResult.objects.ready().count() == 1 and mail.outbox == []  # queued, not sent in the request

    real_send = mail.backends.locmem.EmailBackend.send_messages
    down = mock.patch.object(
        mail.backends.locmem.EmailBackend, "send_messages", side_effect=smtplib.SMTPServerDisconnected("down")
    )
    with down:
        send_one_row()
    notification.refresh_from_db()
    assert notification.email_state == EmailState.RETRYING and "down" in notification.email_error
    assert notification.read_at is None and Notification.objects.filter(recipient=user).count() == 1  # in the app
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert retry.args_kwargs["kwargs"]["_attempt"] == 2 and retry.run_after > retry.enqueued_at  # after a backoff

    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=retry.enqueued_at)  # the backoff has passed
    with mock.patch.object(mail.backends.locmem.EmailBackend, "send_messages", real_send):
        run_worker()
    notification.refresh_from_db()
    assert notification.email_state == EmailState.SENT and notification.email_attempts == 2
    assert len(mail.outbox) == 1
    run_worker()  # nothing left: nothing sent twice
    assert len(mail.outbox) == 1
    assert list(DBTaskResult.objects.order_by("enqueued_at").values_list("status", flat=True)) == [
        TaskResultStatus.FAILED,
        TaskResultStatus.SUCCESSFUL,
    ]


# transaction=True: the worker closes its connection after each task (see tests/lms/test_tasks.py).
@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_a_mail_server_down_for_good_leaves_the_email_failed_with_its_error(django_capture_on_commit_callbacks):
    user = learner()
    with django_capture_on_commit_callbacks(execute=True):
        notification, _ = say(user)
    with mock.patch.object(
        mail.backends.locmem.EmailBackend, "send_messages", side_effect=ConnectionRefusedError("refused")
    ):
        for _ in range(EMAIL_ATTEMPTS):
            DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=notification.created_at)
            send_one_row()
    notification.refresh_from_db()
    assert notification.email_state == EmailState.FAILED and "refused" in notification.email_error
    assert notification.email_attempts == EMAIL_ATTEMPTS
    rows = DBTaskResult.objects.order_by("enqueued_at")
    assert rows.count() == EMAIL_ATTEMPTS and not rows.filter(status=TaskResultStatus.READY).exists()
    assert rows.last().exception_class_path == "builtins.ConnectionRefusedError"
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=user, read_at__isnull=True).count() == 1


def send_one_row():
    call_command(
        "db_worker", "--backend", "background", "--max-tasks", "1", "--batch", "--no-startup-delay", "--no-reload",
        verbosity=0,
    )  # fmt: skip
