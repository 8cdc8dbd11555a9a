"""`make run` in one Django start-up: migrate when needed, seed the demo when it changed, print the
sign-ins, start the periodic jobs and one task worker beside the server, then serve with gunicorn in this process.

The demo is seeded again only when a migration ran, the demo modules changed, or the demo admin is
missing; the fingerprint of what was seeded is kept in ``--stamp`` (``.make/demo-seeded``).
"""

import hashlib
import json
import os
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from lms.management.commands.demo_info import demo_info_lines
from lms.management.commands.seed_demo import demo_modules

# One task worker for the "background" backend (lms/tasks.py), as the Procfile's worker entry runs it.
WORKER_ARGS = ["db_worker", "--backend", "background", "--queue-name", "*", "--no-reload", "--interval", "1"]


def pending_migrations(database=DEFAULT_DB_ALIAS) -> int:
    connection = connections[database]
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def demo_fingerprint(database=DEFAULT_DB_ALIAS) -> str:
    """What the demo data depends on: the demo modules' source and the database it lives in."""
    digest = hashlib.sha256()
    db = settings.DATABASES[database]
    digest.update(json.dumps([db["ENGINE"], str(db.get("NAME")), db.get("HOST"), db.get("PORT")]).encode())
    for _config, module_name in demo_modules():
        spec = find_spec(module_name)
        digest.update(module_name.encode())
        digest.update(Path(spec.origin).read_bytes())
    return digest.hexdigest()


def demo_is_seeded() -> bool:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(username="admin").exists()


class Command(BaseCommand):
    help = "Migrate, seed the demo when needed, print the sign-ins and serve (what `make run` does)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--threads", type=int, default=4)
        parser.add_argument("--stamp", default="", help="file that remembers what was seeded")
        parser.add_argument("--no-serve", action="store_true", help="prepare and print, but do not serve")

    def handle(self, *args, host, port, workers, threads, stamp, no_serve, **options):
        migrated = pending_migrations()
        if migrated:
            self.stdout.write(f"Menjalankan {migrated} migrasi basis data …")
            call_command("migrate", interactive=False, verbosity=0)
        fingerprint = demo_fingerprint()
        stamp_path = Path(stamp) if stamp else None
        seeded = stamp_path.read_text().strip() if stamp_path and stamp_path.exists() else ""
        if migrated or seeded != fingerprint or not demo_is_seeded():
            call_command("seed_demo", stdout=self.stdout)
            if stamp_path:
                stamp_path.write_text(fingerprint + "\n")
        else:
            self.stdout.write("Data demo tidak berubah sejak terakhir dimuat (make reset-demo memuatnya dari awal).")
        url = f"http://{host}:{port}/"
        lines = demo_info_lines(url)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(lines[0]))
        for line in lines[1:]:
            self.stdout.write(line)
        if not settings.DEBUG:
            self.stdout.write(
                "Mode debug mati (halaman 404/500 milik situs). Untuk halaman debug Django: DEBUG=1 make run"
            )
        self.stdout.write("")
        if no_serve:
            return
        self.stdout.flush()
        connections.close_all()  # nothing open may be shared with the forked workers
        periodic = subprocess.Popen(  # noqa: S603 - our own manage.py, fixed arguments
            [sys.executable, "manage.py", "run_periodic", "--parent-pid", str(os.getpid())],
            cwd=settings.BASE_DIR,
        )
        worker = subprocess.Popen(  # noqa: S603 - our own manage.py, fixed arguments
            [sys.executable, "manage.py", *WORKER_ARGS],
            cwd=settings.BASE_DIR,
        )
        try:
            serve(host=host, port=port, workers=workers, threads=threads)
        finally:
            # SIGTERM: the worker finishes the task it is running, then exits (django-tasks-db).
            periodic.terminate()
            worker.terminate()


def serve(*, host: str, port: int, workers: int, threads: int) -> None:
    """gunicorn with this process as the arbiter: the application is loaded once here and the
    workers are forked from it, so no worker starts Django again."""
    from django.core.wsgi import get_wsgi_application
    from gunicorn.app.base import BaseApplication

    class DemoServer(BaseApplication):
        def load_config(self):
            options = {
                "bind": f"{host}:{port}",
                "workers": workers,
                "threads": threads,
                "preload_app": True,
                "accesslog": "-",
                "loglevel": "warning",
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            return get_wsgi_application()

    DemoServer().run()
