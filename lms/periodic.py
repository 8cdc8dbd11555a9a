"""Jobs that run every so many seconds in the platform's one background process (``manage.py run_periodic``).

django-tasks (which Wagtail uses) runs tasks but has no scheduler, and the embedded default must work
with nothing but ``make run``; so the platform keeps a small registry here and one command that runs
what is due. Apps register their jobs from ``AppConfig.ready()``::

    from lms import periodic

    periodic.register("quizzes.close_expired_attempts", every=60, run=services.close_expired_attempts)

Several copies of the process may run (one per machine): before a job runs, its slot for the current
interval is claimed with ``cache.add``, so with a shared cache (``REDIS_URL``) each job runs once per
interval across all of them. Jobs must still be idempotent and safe to run concurrently, because a
per-process cache cannot see the other machines' claims.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: int  # seconds
    run: Callable[[], object]


_jobs: dict[str, PeriodicJob] = {}


def register(name: str, *, every: int, run: Callable[[], object]) -> None:
    """Add (or replace, by name) a job run every ``every`` seconds. Call from ``AppConfig.ready()``."""
    if every < 1:
        raise ValueError("every must be at least one second")
    _jobs[name] = PeriodicJob(name=name, every=every, run=run)


def jobs() -> list[PeriodicJob]:
    return sorted(_jobs.values(), key=lambda job: job.name)


def claim(job: PeriodicJob, *, now: float) -> bool:
    """True when this process may run ``job`` for the interval containing ``now`` (first come wins)."""
    slot = int(now // job.every)
    return cache.add(f"periodic:{job.name}:{slot}", 1, timeout=job.every * 2)


def run_due(*, now: float | None = None, only: str | None = None) -> dict[str, object]:
    """Run every job whose slot for this interval is still free. One failing job never stops the others.

    Returns {job name: its result, or the exception it raised}.
    """
    now = time.time() if now is None else now
    outcomes: dict[str, object] = {}
    for job in jobs():
        if only and job.name != only:
            continue
        if not claim(job, now=now):
            continue
        started = time.perf_counter()
        try:
            outcomes[job.name] = job.run()
        except Exception as exc:  # noqa: BLE001 - a failing job is logged; the process keeps running the others
            logger.exception("periodic job %s failed", job.name)
            outcomes[job.name] = exc
        else:
            # Quiet when there was nothing to do (the usual case, every minute).
            log = logger.info if outcomes[job.name] else logger.debug
            log("periodic job %s: %r in %.2f s", job.name, outcomes[job.name], time.perf_counter() - started)
    return outcomes


def seconds_until_next(*, now: float | None = None) -> float:
    """How long to sleep before some job's next interval starts (at most 60 s, at least 1 s)."""
    now = time.time() if now is None else now
    waits = [job.every - (now % job.every) for job in jobs()]
    return max(1.0, min([60.0, *waits]))
