"""Tasks the queue tests run (importable by path, as a worker imports a task)."""

from django.core.cache import cache

from lms.tasks import background_task

# How many times each task body ran, kept in the (local memory) cache the test can read.


@background_task(transient=(ConnectionError,), attempts=3, backoff=0)
def flaky(key: str, fail_times: int) -> str:
    runs = cache.get(key, 0) + 1
    cache.set(key, runs)
    if runs <= fail_times:
        raise ConnectionError(f"down (run {runs})")
    return f"ok after {runs}"


@background_task(transient=(ConnectionError,), attempts=3, backoff=0)
def broken(key: str) -> None:
    cache.set(key, cache.get(key, 0) + 1)
    raise ValueError("not transient")


@background_task(transient=(ConnectionError,), attempts=2, backoff=300)
def always_down() -> None:
    raise ConnectionError("down")
