"""The platform's background process: runs the registered periodic jobs (``lms.periodic``) when due."""

import os
import signal
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from lms import periodic


class Command(BaseCommand):
    help = (
        "Run the platform's periodic jobs (closing abandoned quiz attempts, …) when they are due, until stopped. "
        "Run one copy per machine, next to gunicorn (Procfile: periodic). --once runs what is due and exits "
        "(for cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run the jobs that are due, then exit.")
        parser.add_argument("--job", help="Only this job (by name).")
        parser.add_argument("--list", action="store_true", dest="list_jobs", help="List the registered jobs and exit.")
        parser.add_argument(
            "--parent-pid", type=int, help="Exit when this process is gone (make run ties it to gunicorn)."
        )

    def handle(self, *args, once=False, job=None, list_jobs=False, parent_pid=None, **options):
        self.verbosity = options["verbosity"]
        if job and job not in {registered.name for registered in periodic.jobs()}:
            raise CommandError(f"Unknown job {job!r}; see --list.")
        if list_jobs:
            for registered in periodic.jobs():
                self.stdout.write(f"{registered.name}\tevery {registered.every} s")
            return
        if once:
            self._report(periodic.run_due(only=job))
            return
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        self.stdout.write(f"Periodic jobs: {', '.join(j.name for j in periodic.jobs()) or '(none)'}")
        try:
            while not stopping and self._parent_alive(parent_pid):
                close_old_connections()  # a long-lived process: drop connections the database has closed
                self._report(periodic.run_due(only=job))
                deadline = time.monotonic() + periodic.seconds_until_next()
                while not stopping and time.monotonic() < deadline and self._parent_alive(parent_pid):
                    time.sleep(min(1.0, max(0.0, deadline - time.monotonic())))
        except KeyboardInterrupt:
            pass

    @staticmethod
    def _parent_alive(pid) -> bool:
        if not pid:
            return True
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def _report(self, outcomes: dict) -> None:
        for name, outcome in outcomes.items():
            if isinstance(outcome, Exception):
                self.stderr.write(f"{name}: failed: {outcome!r}")
            elif self.verbosity > 1:
                self.stdout.write(f"{name}: {outcome!r}")
