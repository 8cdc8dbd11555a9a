"""The background queue: django-tasks-db rows run by a real worker (``manage.py db_worker``), retries
with backoff for transient errors, the failed state kept with its error (lms/tasks.py)."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from lms.tasks import RetryScheduled, retry_delay
from tests.lms import tasks_for_tests

# transaction=True: the worker closes its database connection after each task, as it does in
# production; inside a test transaction on PostgreSQL that would close the test's own.
pytestmark = pytest.mark.django_db(transaction=True)

DB_TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
}


def run_worker():
    call_command("db_worker", "--backend", "background", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()
    yield
    cache.clear()


def test_the_backoff_doubles_and_is_capped():
    assert [retry_delay(n, backoff=60, max_delay=3600) for n in range(1, 9)] == [
        60, 120, 240, 480, 960, 1920, 3600, 3600,
    ]  # fmt: skip


@override_settings(TASKS=DB_TASKS)
def test_enqueue_writes_a_row_that_the_worker_runs():
    result = tasks_for_tests.flaky.enqueue("runs", 0)
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.READY
    assert cache.get("runs") is None  # nothing ran in the request
    run_worker()
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.return_value == "ok after 1"
    assert cache.get("runs") == 1


@override_settings(TASKS=DB_TASKS)
def test_a_transient_error_is_retried_later_and_then_succeeds():
    tasks_for_tests.flaky.enqueue("runs", 2)
    run_worker()  # backoff 0: the retries are due at once, so one batch runs them all
    rows = list(DBTaskResult.objects.order_by("enqueued_at"))
    assert [row.status for row in rows] == [
        TaskResultStatus.FAILED,
        TaskResultStatus.FAILED,
        TaskResultStatus.SUCCESSFUL,
    ]
    assert rows[0].exception_class_path == "lms.tasks.RetryScheduled"
    assert "attempt 1 of 3 failed" in rows[0].traceback and "ConnectionError" in rows[0].traceback
    assert [row.args_kwargs["kwargs"].get("_attempt", 1) for row in rows] == [1, 2, 3]
    assert rows[2].return_value == "ok after 3"
    assert cache.get("runs") == 3


@override_settings(TASKS=DB_TASKS)
def test_the_retry_waits_for_its_backoff():
    with pytest.raises(RetryScheduled):
        tasks_for_tests.always_down.call()  # as a worker calls it
    retry = DBTaskResult.objects.get()
    assert retry.args_kwargs["kwargs"] == {"_attempt": 2}
    assert 290 < (retry.run_after - retry.enqueued_at).total_seconds() <= 300
    assert not DBTaskResult.objects.ready().exists()  # not due yet: a worker leaves it
    run_worker()
    retry.refresh_from_db()
    assert retry.status == TaskResultStatus.READY


@override_settings(TASKS=DB_TASKS)
def test_after_the_last_attempt_the_task_stays_failed_with_the_original_error():
    tasks_for_tests.flaky.enqueue("runs", 10)
    run_worker()
    rows = list(DBTaskResult.objects.order_by("enqueued_at"))
    assert len(rows) == 3  # attempts=3: no fourth row
    assert all(row.status == TaskResultStatus.FAILED for row in rows)
    assert rows[-1].exception_class_path == "builtins.ConnectionError"
    assert "down (run 3)" in rows[-1].traceback
    assert cache.get("runs") == 3


@override_settings(TASKS=DB_TASKS)
def test_an_error_that_is_not_transient_is_not_retried():
    tasks_for_tests.broken.enqueue("runs")
    run_worker()
    row = DBTaskResult.objects.get()
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == "builtins.ValueError"
    assert cache.get("runs") == 1


def test_the_immediate_backend_of_the_tests_retries_at_once_within_the_attempts():
    result = tasks_for_tests.flaky.enqueue("runs", 1)
    assert cache.get("runs") == 2
    assert result.status == TaskResultStatus.FAILED  # the first attempt; the retry ran inside it
    assert not DBTaskResult.objects.exists()


def test_make_run_starts_a_worker_and_the_procfile_has_one():
    from django.conf import settings

    from lms.management.commands.serve_demo import WORKER_ARGS

    assert WORKER_ARGS[:3] == ["db_worker", "--backend", "background"]
    procfile = (settings.BASE_DIR / "Procfile").read_text()
    assert any(
        line.startswith("worker:") and "db_worker --backend background" in line for line in procfile.splitlines()
    )
