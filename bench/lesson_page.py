"""Lesson-page throughput under gunicorn, against a bare Wagtail page served by the same server in the same run.

Usage:  .venv/bin/python bench/lesson_page.py [--seconds 8] [--rounds 2] [--concurrency 8] [--workers 2]
                                             [--database-url URL]

What it does, bounded in time and on loopback only (127.0.0.1):
1. builds a throwaway database (SQLite in a temporary folder; with --database-url, a PostgreSQL database
   that must not exist yet: it is created, and dropped at the end) with a course of 50 lessons in 5
   modules and a learner enrolled halfway through it;
2. starts gunicorn (``--workers``, sync workers) on a free 127.0.0.1 port with DEBUG off and
   collected static files;
3. as that signed-in learner, alternately hammers the home page (a bare Wagtail page: same base
   template, session and header) and a lesson page (course outline, progress, video block) for
   ``--seconds`` each, ``--rounds`` times, with ``--concurrency`` keep-alive connections;
4. prints requests per second, latency percentiles and the ratio lesson / bare (target >= 0.8).
"""

import argparse
import http.client
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_SECONDS_PER_RUN = 30
MAX_REQUESTS_PER_RUN = 200_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(env: dict) -> dict:
    """Migrate, collect static files and build the course; returns the URLs and the session cookie."""
    script = r"""
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", run_syncdb=True, verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from courses import services
from courses.models import Enrolment
from lms.models import HomePage
from tests.courses.factories import build_course, learner, video_media
tree = build_course(title="Kursus Bench", modules=5, lessons_per_module=10, video=video_media(duration=120))
user = learner()
Enrolment.objects.create(user=user, course=tree.course, course_title=tree.course.title, status="active", source="self")
for lesson in tree.lessons[:25]:
    services.lesson_mark_done(user=user, lesson=lesson)
services.lesson_open(user=user, lesson=tree.lessons[25])
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "people.auth.NIPOrUsernameBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(json.dumps({"lesson": tree.lessons[25].url, "bare": HomePage.objects.get().url,
                  "cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}"}))
"""
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    if result.returncode != 0:
        sys.exit(f"preparing the database failed:\n{result.stderr[-3000:]}")
    import json

    return json.loads(result.stdout.strip().splitlines()[-1])


def postgres_database(url: str, *, create: bool) -> None:
    """Create (refusing an existing one: it may hold someone's data) or drop the benchmark's database."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit((parts.scheme, parts.netloc, "/postgres", "", "")), autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if create:
            if exists:
                sys.exit(f"database {name} already exists: drop it or give another name in --database-url")
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        elif exists:
            connection.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


def hammer(port: int, path: str, cookie: str, *, seconds: float, concurrency: int, marker: bytes) -> dict:
    """Request ``path`` from ``concurrency`` keep-alive connections for ``seconds``; count and time them."""
    deadline = time.perf_counter() + min(seconds, MAX_SECONDS_PER_RUN)
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        local: list[float] = []
        try:
            while time.perf_counter() < deadline and len(latencies) + len(local) < MAX_REQUESTS_PER_RUN:
                started = time.perf_counter()
                connection.request("GET", path, headers={"Cookie": cookie, "Accept-Encoding": "identity"})
                response = connection.getresponse()
                body = response.read()
                local.append(time.perf_counter() - started)
                if response.status != 200 or marker not in body:
                    errors.append(f"{response.status} on {path}")
                    break
        except OSError as error:
            errors.append(repr(error))
        finally:
            connection.close()
            with lock:
                latencies.extend(local)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        sys.exit(f"requests failed: {errors[:3]}")
    latencies.sort()
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": 1000 * statistics.median(latencies),
        "p95_ms": 1000 * latencies[int(len(latencies) * 0.95) - 1],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="seconds per measurement (max 30)")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds of bare and lesson page (max 5)")
    parser.add_argument("--concurrency", type=int, default=4, help="parallel keep-alive connections (max 32)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (max 8)")
    parser.add_argument("--database-url", default="", help="default: a throwaway SQLite file")
    args = parser.parse_args()
    rounds, concurrency, workers = min(args.rounds, 5), min(args.concurrency, 32), min(args.workers, 8)

    workdir = Path(tempfile.mkdtemp(prefix="lms-bench-lesson-"))
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-not-for-production-use-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}",
        "MEDIA_ROOT": str(workdir / "media"),
        "STATIC_ROOT": str(workdir / "static"),
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    server = None
    is_postgres = args.database_url.startswith(("postgres://", "postgresql://"))
    if is_postgres:
        postgres_database(args.database_url, create=True)
    try:
        print(f"Preparing a throwaway database in {workdir} …", flush=True)
        urls = prepare(env)
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "lms.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "lms.settings.dev"},
        )
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            sys.exit("gunicorn did not start")
        cookie = urls["cookie"]
        # Warm up both pages in every worker.
        for path, marker in [(urls["bare"], b"<h1>"), (urls["lesson"], b'id="lesson-tracker"')]:
            hammer(port, path, cookie, seconds=1.5, concurrency=concurrency, marker=marker)
        results = {"bare": [], "lesson": []}
        for _ in range(rounds):
            results["bare"].append(
                hammer(port, urls["bare"], cookie, seconds=args.seconds, concurrency=concurrency, marker=b"<h1>")
            )
            results["lesson"].append(
                hammer(
                    port,
                    urls["lesson"],
                    cookie,
                    seconds=args.seconds,
                    concurrency=concurrency,
                    marker=b'id="lesson-tracker"',
                )
            )
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(workdir, ignore_errors=True)
        if is_postgres:
            postgres_database(args.database_url, create=False)

    def summary(name):
        runs = results[name]
        return (
            sum(run["rps"] for run in runs) / len(runs),
            statistics.median(run["p50_ms"] for run in runs),
            max(run["p95_ms"] for run in runs),
            sum(run["requests"] for run in runs),
        )

    bare, lesson = summary("bare"), summary("lesson")
    ratio = lesson[0] / bare[0]
    print(
        f"\ngunicorn {workers} workers, {concurrency} connections, {rounds} x {args.seconds:g} s per page, "
        f"{os.cpu_count()} CPUs, database {'SQLite' if not args.database_url else args.database_url.split(':')[0]}"
    )
    print("| page | requests | req/s | p50 ms | p95 ms |")
    print("|---|---:|---:|---:|---:|")
    print(f"| bare Wagtail page (home) | {bare[3]} | {bare[0]:.1f} | {bare[1]:.1f} | {bare[2]:.1f} |")
    print(f"| lesson page (50-lesson course) | {lesson[3]} | {lesson[0]:.1f} | {lesson[1]:.1f} | {lesson[2]:.1f} |")
    print(f"\nratio lesson / bare = {ratio:.2f} (target >= 0.80): {'OK' if ratio >= 0.8 else 'BELOW TARGET'}")


if __name__ == "__main__":
    main()
