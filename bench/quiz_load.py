"""Load test: N ASN take the same 20-question quiz at once against gunicorn on PostgreSQL (loopback only).

Every simulated learner starts within the ramp (default 60 s), opens the attempt page, answers one question
every 5–20 s (each answer is its own save request with the next sequence number, as the page's script
sends it), then submits. Reported: p50/p95/p99 latency per step, errors, and a check that every answer the
server acknowledged is in the database afterwards, exactly as sent.

    .venv/bin/python bench/quiz_load.py                    # 500 learners (the default)
    .venv/bin/python bench/quiz_load.py --users 1000        # the target
    .venv/bin/python bench/quiz_load.py --users 50 --think-scale 0.05   # a quick smoke run

It creates (and drops first) its own database, ``lms_quiz_bench`` on the local PostgreSQL server
(``--database-url`` to change), starts gunicorn on 127.0.0.1, and stops everything at the end. Bounded:
the run is cut at ``--max-seconds`` (default 900) whatever happens. Sessions are created directly in the
database (signing 1,000 people in through PBKDF2 would measure password hashing, not quizzes)."""

import argparse
import asyncio
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SECRET = "bench-" + "x" * 60  # noqa: S105 - loopback benchmark only
CSRF = "benchcsrftokenbenchcsrftoken1234"  # noqa: S105 - 32 characters, as Django expects
TYPES = ["single", "truefalse", "multiple", "shortanswer", "numerical"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=500)
    parser.add_argument("--questions", type=int, default=20)
    parser.add_argument("--ramp", type=float, default=60.0, help="seconds over which the learners start")
    parser.add_argument("--think-min", type=float, default=5.0)
    parser.add_argument("--think-max", type=float, default=20.0)
    parser.add_argument("--think-scale", type=float, default=1.0, help="multiply think times (quick runs)")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--max-seconds", type=float, default=900.0)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/lms_quiz_bench")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("the benchmark runs against PostgreSQL")
    if urlsplit(args.database_url).hostname not in ("127.0.0.1", "localhost", "::1"):
        parser.error("loopback only: the database must be on this machine")
    return args


def environment(args) -> dict:
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DJANGO_SETTINGS_MODULE="lms.settings.production",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        DATABASE_URL=args.database_url,
        LOG_LEVEL="WARNING",
        DB_CONN_MAX_AGE="60",
        STATIC_ROOT=str(Path(tempfile.gettempdir()) / "lms-bench-static"),
    )
    return env


def recreate_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def setup_data(args) -> dict:
    """Migrate, then one course with a 20-question quiz and N enrolled learners with sessions."""
    os.environ.update(environment(args))
    import django

    django.setup()
    from datetime import timedelta
    from decimal import Decimal

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # the manifest the production pages need
    from courses.models import CourseIndexPage, CoursePage, Enrolment, ModulePage
    from lms.models import HomePage
    from tests.quizzes.factories import make_question

    home = HomePage.objects.first()
    index = home.add_child(instance=CourseIndexPage(title="Katalog", slug="katalog"))
    course = index.add_child(instance=CoursePage(title="Kursus Bench", slug="bench", summary="-", jp_value=2))
    module = course.add_child(instance=ModulePage(title="Modul", slug="modul"))
    questions = []
    for number in range(args.questions):
        qtype = TYPES[number % len(TYPES)]
        options = {
            "single": [{"text": f"Opsi {i}", "credit": 100 if i == 0 else 0} for i in range(4)],
            "multiple": [
                {"text": "A", "credit": 50},
                {"text": "B", "credit": 50},
                {"text": "C", "credit": -50},
                {"text": "D", "credit": -50},
            ],
            "truefalse": [],
            "shortanswer": [{"text": "jambi", "credit": 100}],
            "numerical": [{"text": "20", "credit": 100, "tolerance": 1}],
        }[qtype]
        questions.append(make_question(qtype, options, name=f"Soal {number + 1}"))
    from quizzes.models import QuizPage, QuizQuestion

    quiz = QuizPage(
        title="Post-test Provinsi",
        slug="post-test",
        quiz_role="posttest",
        questions_per_page=0,
        time_limit_minutes=60,
        pass_mark=Decimal("70"),
        shuffle_options=True,
    )
    quiz.quiz_questions = [QuizQuestion(question=q, sort_order=i) for i, q in enumerate(questions)]
    module.add_child(instance=quiz)

    user_model = get_user_model()
    user_model.objects.bulk_create(
        [user_model(username=f"asn{i:05d}", password="!unusable") for i in range(args.users)], batch_size=1000
    )
    users = list(user_model.objects.filter(username__startswith="asn").order_by("username"))
    now = timezone.now()
    Enrolment.objects.bulk_create(
        [
            Enrolment(
                user=user, course=course, course_title=course.title, status="active", source="assigned", enrolled_at=now
            )
            for user in users
        ],
        batch_size=1000,
    )
    store = SessionStore()
    sessions = []
    keys = []
    for user in users:
        key = store._get_new_session_key() if hasattr(store, "_get_new_session_key") else os.urandom(16).hex()
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "people.auth.NIPOrUsernameBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        sessions.append(Session(session_key=key, session_data=store.encode(data), expire_date=now + timedelta(days=1)))
        keys.append(key)
    Session.objects.bulk_create(sessions, batch_size=1000)
    return {"quiz_id": quiz.pk, "sessions": keys, "types": [q.qtype for q in questions]}


# --- a tiny HTTP/1.1 client on asyncio (one connection per request, loopback) ---------------------


async def http(
    port: int,
    method: str,
    path: str,
    *,
    cookie: str,
    body: dict | None = None,
    accept: str = "text/html",
    timeout: float = 60.0,
):
    payload = urlencode(body or {}, doseq=True).encode()
    headers = [
        f"{method} {path} HTTP/1.1",
        "Host: 127.0.0.1",
        f"Cookie: {cookie}",
        f"Accept: {accept}",
        f"X-CSRFToken: {CSRF}",
        "Connection: close",
    ]
    if method == "POST":
        headers += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(payload)}"]
    request = ("\r\n".join(headers) + "\r\n\r\n").encode() + (payload if method == "POST" else b"")

    async def exchange():
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(request)
        await writer.drain()
        raw = await reader.read()
        writer.close()
        return raw

    raw = await asyncio.wait_for(exchange(), timeout)
    head, _sep, content = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    response_headers = {}
    for line in lines[1:]:
        name, _colon, value = line.partition(":")
        response_headers[name.strip().lower()] = value.strip()
    return status, response_headers, content


def answer_for(qtype: str, slot: int, rng: random.Random) -> dict:
    name = f"q{slot}"
    if qtype == "single":
        return {name: str(rng.randrange(4))}
    if qtype == "multiple":
        return {name: [str(i) for i in sorted(rng.sample(range(4), rng.randint(1, 3)))]}
    if qtype == "truefalse":
        return {name: rng.choice(["0", "1"])}
    if qtype == "shortanswer":
        return {name: rng.choice(["jambi", "Jambi ", "kerinci", "muaro"])}
    return {name: rng.choice(["20", "19,5", "21", "45"])}


class Recorder:
    def __init__(self):
        self.latencies: dict[str, list[float]] = {"start": [], "page": [], "save": [], "submit": []}
        self.errors: dict[str, int] = {}
        self.acknowledged: dict[int, dict[int, dict]] = {}  # attempt id -> slot -> fields
        self.unacknowledged = 0
        self.finished_users = 0

    def error(self, kind: str):
        self.errors[kind] = self.errors.get(kind, 0) + 1


async def learner(index: int, args, data: dict, recorder: Recorder, deadline: float):
    rng = random.Random(index)
    cookie = f"sessionid={data['sessions'][index]}; csrftoken={CSRF}; django_language=id"
    await asyncio.sleep(rng.uniform(0, args.ramp))
    try:
        started = time.perf_counter()
        status, headers, _ = await http(
            args.port, "POST", f"/kuis/{data['quiz_id']}/mulai/", cookie=cookie, body={"csrfmiddlewaretoken": CSRF}
        )
        recorder.latencies["start"].append(time.perf_counter() - started)
        location = headers.get("location", "")
        if status != 302 or "/kuis/percobaan/" not in location:
            recorder.error(f"start {status}")
            return
        attempt_path = urlsplit(location).path
        attempt_id = int(attempt_path.rstrip("/").split("/")[-1])
        started = time.perf_counter()
        status, _headers, _ = await http(args.port, "GET", attempt_path, cookie=cookie)
        recorder.latencies["page"].append(time.perf_counter() - started)
        if status != 200:
            recorder.error(f"page {status}")
        acknowledged = recorder.acknowledged.setdefault(attempt_id, {})
        for number, qtype in enumerate(data["types"], start=1):
            await asyncio.sleep(rng.uniform(args.think_min, args.think_max) * args.think_scale)
            if time.monotonic() > deadline:
                recorder.error("cut by --max-seconds")
                return
            fields = answer_for(qtype, number, rng)
            body = {"seq": str(number), "slots": str(number), **fields}
            started = time.perf_counter()
            try:
                status, _headers, content = await http(
                    args.port, "POST", f"{attempt_path}simpan/", cookie=cookie, body=body, accept="application/json"
                )
            except (TimeoutError, OSError):
                recorder.error("save connection/timeout")
                recorder.unacknowledged += 1
                continue
            recorder.latencies["save"].append(time.perf_counter() - started)
            if status == 200 and json.loads(content).get("status") == "saved":
                acknowledged[number] = fields
            else:
                recorder.error(f"save {status}")
                recorder.unacknowledged += 1
        started = time.perf_counter()
        status, headers, _ = await http(
            args.port, "POST", f"{attempt_path}kirim/", cookie=cookie, body={"csrfmiddlewaretoken": CSRF}
        )
        recorder.latencies["submit"].append(time.perf_counter() - started)
        if status != 302 or "tinjauan" not in headers.get("location", ""):
            recorder.error(f"submit {status}")
            return
        recorder.finished_users += 1
    except (TimeoutError, OSError, ValueError) as exc:
        recorder.error(f"{type(exc).__name__}")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def verify(recorder: Recorder) -> tuple[int, int]:
    """(answers acknowledged, answers missing or different in the database)."""
    from django.http import QueryDict

    from quizzes import responses
    from quizzes.models import AttemptSlot

    slots = AttemptSlot.objects.filter(attempt_id__in=list(recorder.acknowledged)).select_related("version")
    stored = {(slot.attempt_id, slot.number): slot for slot in slots}
    checked = lost = 0
    for attempt_id, answers in recorder.acknowledged.items():
        for number, fields in answers.items():
            checked += 1
            slot = stored.get((attempt_id, number))
            post = QueryDict(mutable=True)
            for name, value in fields.items():
                post.setlist(name, value if isinstance(value, list) else [value])
            expected = responses.parse(slot.version.data, slot.layout, post, f"q{number}") if slot else None
            if slot is None or slot.response != expected:
                lost += 1
    return checked, lost


def main():
    args = parse_args()
    os.chdir(ROOT)
    print(f"Preparing {args.users} learners and a {args.questions}-question quiz in {quote(args.database_url)} …")
    recreate_database(args.database_url)
    setup_started = time.perf_counter()
    data = setup_data(args)
    print(f"  ready in {time.perf_counter() - setup_started:.1f} s")
    gunicorn = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "lms.wsgi",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=environment(args),
        start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                import urllib.request

                urllib.request.urlopen(f"http://127.0.0.1:{args.port}/healthz/", timeout=2)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        recorder = Recorder()
        deadline = time.monotonic() + args.max_seconds
        run_started = time.perf_counter()

        load_samples: list[float] = []

        async def sample_load():
            # The machine's 1-minute load average during the run: other work on the same cores shows here.
            while True:
                load_samples.append(os.getloadavg()[0])
                await asyncio.sleep(5)

        async def run_all():
            sampler = asyncio.create_task(sample_load())
            tasks = [asyncio.create_task(learner(i, args, data, recorder, deadline)) for i in range(args.users)]
            await asyncio.wait(tasks, timeout=args.max_seconds + 30)
            for task in tasks:
                task.cancel()
            sampler.cancel()

        asyncio.run(run_all())
        elapsed = time.perf_counter() - run_started
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        gunicorn.wait(30)

    checked, lost = verify(recorder)
    requests = sum(len(values) for values in recorder.latencies.values())
    report = {
        "users": args.users,
        "questions": args.questions,
        "workers": args.workers,
        "threads": args.threads,
        "think_seconds": [args.think_min * args.think_scale, args.think_max * args.think_scale],
        "elapsed_seconds": round(elapsed, 1),
        "cpus": os.cpu_count(),
        "load_average_1min": {
            "median": round(statistics.median(load_samples), 2) if load_samples else None,
            "max": round(max(load_samples), 2) if load_samples else None,
        },
        "requests": requests,
        "requests_per_second": round(requests / elapsed, 1),
        "finished_users": recorder.finished_users,
        "errors": recorder.errors,
        "answers_acknowledged": checked,
        "answers_lost": lost,
        "answers_unacknowledged": recorder.unacknowledged,
        "latency_ms": {
            step: {
                "n": len(values),
                "p50": round(1000 * percentile(values, 50), 1),
                "p95": round(1000 * percentile(values, 95), 1),
                "p99": round(1000 * percentile(values, 99), 1),
                "mean": round(1000 * statistics.fmean(values), 1) if values else None,
            }
            for step, values in recorder.latencies.items()
        },
    }
    print(json.dumps(report, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    ok = not recorder.errors and lost == 0
    print("RESULT:", "0 errors, 0 lost answers" if ok else "errors or lost answers, see above")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
