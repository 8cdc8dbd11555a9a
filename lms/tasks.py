"""The platform's background tasks: django-tasks on the "background" backend, with retries.

django-tasks runs a task once: a task that raises is marked FAILED and stays so. Work that meets a
transient fault (a mail server that is down, a timeout) should be tried again later, so the platform
declares its tasks with :func:`background_task` instead of ``django_tasks.task``::

    from lms.tasks import background_task

    @background_task(transient=(OSError, smtplib.SMTPException), attempts=5)
    def send_notification_email(notification_id: int) -> str: ...

    send_notification_email.enqueue(notification.pk)

When the function raises one of the ``transient`` exceptions and attempts are left, the same task
is enqueued again with the same arguments, to run after a delay that doubles each time
(``backoff``, ``2 * backoff``, ``4 * backoff`` … capped at ``max_delay``), and this attempt's row
ends FAILED with :class:`RetryScheduled` (message: which attempt failed, why, and when the next
runs), so a failed attempt that will be retried is told apart from a final failure. The last
attempt (or any other exception) fails with the original exception: that row is the visible
failed state, with its traceback, in the task table (``django_tasks_database.DBTaskResult``).

The attempt number travels in the task's kwargs as ``_attempt`` (1 for the first). A backend that
cannot defer (the immediate backend of the tests) retries at once, still bounded by ``attempts``.

Every task must be idempotent: a retry, or a row run twice, must leave the same state.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

BACKEND = "background"


class RetryScheduled(Exception):  # noqa: N818 - it names the outcome shown in the task table
    """This attempt failed with a transient error; another attempt is queued."""


def retry_delay(attempt: int, *, backoff: float, max_delay: float) -> float:
    """Seconds to wait after the failed ``attempt`` (1-based) before the next one."""
    return min(max_delay, backoff * 2 ** (attempt - 1))


def background_task(
    *,
    transient: tuple[type[BaseException], ...] = (),
    attempts: int = 5,
    backoff: float = 60,
    max_delay: float = 3600,
    priority: int = 0,
    queue_name: str = "default",
    on_give_up: Callable | None = None,
) -> Callable:
    """Declare a task on the background backend, retried with backoff on ``transient`` errors.

    ``on_give_up(exc, *args, **kwargs)`` runs when the last attempt fails with a transient error (to
    record the final state on the task's own rows), before the error is raised."""
    if attempts < 1:
        raise ValueError("attempts must be at least 1")

    def decorate(func: Callable):
        @functools.wraps(func)
        def run(*args, _attempt: int = 1, **kwargs):
            try:
                return func(*args, **kwargs)
            except transient as exc:
                if _attempt >= attempts:
                    logger.warning("task %s failed for good after %d attempts: %r", func.__qualname__, _attempt, exc)
                    if on_give_up is not None:
                        on_give_up(exc, *args, **kwargs)
                    raise
                delay = retry_delay(_attempt, backoff=backoff, max_delay=max_delay)
                again = the_task
                if again.get_backend().supports_defer:
                    again = again.using(run_after=timezone.now() + timedelta(seconds=delay))
                again.enqueue(*args, _attempt=_attempt + 1, **kwargs)
                raise RetryScheduled(
                    f"attempt {_attempt} of {attempts} failed: {exc!r}; next attempt in {delay:.0f} s"
                ) from exc

        the_task = task(backend=BACKEND, priority=priority, queue_name=queue_name)(run)
        return the_task

    return decorate
