"""The periodic-job runner (``lms.periodic`` and ``manage.py run_periodic``)."""

import io
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from lms import periodic


@pytest.fixture
def registry(monkeypatch):
    """An empty registry for the test; the apps' own jobs come back afterwards."""
    monkeypatch.setattr(periodic, "_jobs", {})
    return periodic


def test_a_job_runs_once_per_interval_however_many_processes_ask(registry):
    calls = []
    registry.register("demo.count", every=60, run=lambda: calls.append(1) or len(calls))
    assert registry.run_due(now=120.0) == {"demo.count": 1}
    assert registry.run_due(now=150.0) == {}  # same interval, already claimed (another machine, say)
    assert registry.run_due(now=180.0) == {"demo.count": 2}  # next interval
    assert calls == [1, 1]


def test_a_failing_job_is_reported_and_the_others_still_run(registry):
    def broken():
        raise RuntimeError("database away")

    registry.register("a.broken", every=30, run=broken)
    registry.register("b.fine", every=30, run=lambda: "ok")
    outcomes = registry.run_due(now=300.0)
    assert isinstance(outcomes["a.broken"], RuntimeError) and outcomes["b.fine"] == "ok"


def test_only_runs_the_named_job_and_the_sleep_is_bounded(registry):
    registry.register("a.one", every=10, run=lambda: 1)
    registry.register("b.two", every=600, run=lambda: 2)
    assert registry.run_due(now=1000.0, only="b.two") == {"b.two": 2}
    assert registry.seconds_until_next(now=1003.0) == 7.0  # a.one's next interval starts at 1010
    with pytest.raises(ValueError):
        registry.register("c.zero", every=0, run=lambda: 0)


def test_the_command_lists_runs_once_and_refuses_unknown_jobs(registry):
    registry.register("demo.hello", every=60, run=lambda: "hello")
    out = io.StringIO()
    call_command("run_periodic", "--list", stdout=out)
    assert out.getvalue().strip() == "demo.hello\tevery 60 s"
    out = io.StringIO()
    call_command("run_periodic", "--once", "--verbosity", "2", stdout=out)
    assert "demo.hello: 'hello'" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("run_periodic", "--job", "demo.nope")


def test_the_loop_stops_when_its_parent_process_is_gone():
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # a pid that no longer exists (make run passes gunicorn's, so the loop ends with the server)
    finished = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", "run_periodic", "--parent-pid", str(gone.pid)],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert finished.returncode == 0, finished.stderr
    assert "Periodic jobs: quizzes.close_expired_attempts" in finished.stdout


def test_the_apps_register_their_jobs():
    assert "quizzes.close_expired_attempts" in {job.name for job in periodic.jobs()}
