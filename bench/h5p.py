"""H5P: time to validate and extract a package, and the xAPI statement endpoint's latency, in process.

Usage:  .venv/bin/python bench/h5p.py [--statements 400] [--files 300] [--megabytes 20] [--database-url URL]
        .venv/bin/python bench/h5p.py --hostile-json 40

``--hostile-json MB`` measures only what checking one hostile package costs: a package whose
content/content.json is MB megabytes of JSON that compresses like real text (so no zip-bomb check
stops it), run through ``inspect_package`` in this fresh process; prints the outcome, the time,
the process's peak RSS before and after, and Python's own peak allocation (tracemalloc).

Bounded and offline: builds a throwaway database (SQLite in a temporary folder unless --database-url
is given) and media folder, then
1. builds a package of the project's own Kuis Singkat library plus ``--files`` content files
   totalling about ``--megabytes`` MB (incompressible bytes, like images), and times
   ``inspect_package`` (every check, reading every member once) and ``extract_package``
   (writing through the storage API), and a second upload of the same library (deduplicated);
2. as an enrolled learner, posts ``--statements`` xAPI statements through Django's test client
   (no network): questions inside the content, attempts on the whole activity, duplicates, and
   prints latency percentiles and queries per request.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_STATEMENTS = 5000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=400)
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--megabytes", type=float, default=20)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--hostile-json", type=float, default=0, metavar="MB")
    parser.add_argument("--inspect-file", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inspect_file:
        inspect_file(args.inspect_file)
        return
    if args.hostile_json:
        hostile_json(args.hostile_json)
        return
    statements = min(args.statements, MAX_STATEMENTS)

    workdir = Path(tempfile.mkdtemp(prefix="lms-h5p-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    settings.MEDIA_ROOT = workdir / "media"
    setup_test_environment()
    if args.database_url:
        from django.test.utils import setup_databases

        setup_databases(verbosity=0, interactive=False)
    else:
        call_command("migrate", verbosity=0)

    from h5p import demo_package, packages, services
    from h5p.models import H5PContent, Requirement
    from people.roles import PESERTA
    from tests.factories import UserFactory
    from tests.h5p.factories import course_with_h5p, enrol, upload
    from tests.h5p.xapi_statements import post, statement

    # 1. Package validation and extraction.
    entries = demo_package.package_entries()
    size = int(args.megabytes * 1024 * 1024 / max(args.files, 1))
    for number in range(args.files):
        entries[f"content/images/gambar-{number:04d}.jpg"] = os.urandom(size)
    archive = demo_package.zip_entries(entries)
    package = upload(archive)
    started = time.perf_counter()
    plan = packages.inspect_package(package)
    inspected = time.perf_counter() - started
    started = time.perf_counter()
    content = services.content_save(item=H5PContent(title="Bench"), package=package, plan=plan)
    saved = time.perf_counter() - started
    started = time.perf_counter()
    services.content_create(title="Bench 2", package=upload(demo_package.build_package()))
    small = time.perf_counter() - started
    print(f"package: {len(archive) / 1e6:.1f} MB, {plan.file_count} files")
    print(f"  inspect (all checks, every member read once): {inspected * 1000:.0f} ms")
    print(f"  extract + save item (storage API, local files): {saved * 1000:.0f} ms")
    print(f"  a small package whose library is already stored: {small * 1000:.0f} ms")

    # 2. The statement endpoint.
    tree = course_with_h5p([(content, Requirement.COMPLETED)], rule="open")
    learner = UserFactory(username="peserta-bench", roles=[PESERTA])
    enrol(learner, tree.course)
    client = Client()
    client.force_login(learner)
    timings, queries = [], []
    kinds = ["question", "attempt", "duplicate"]
    last = None
    for number in range(statements):
        kind = kinds[number % 3]
        if kind == "question":
            data = statement(learner, content, "answered", sub=f"q{number}")
        elif kind == "attempt":
            data = last = statement(learner, content, "answered", score=(number % 5, 4), success=number % 5 == 4)
        else:
            data = last
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = post(client, content, data)
            timings.append(time.perf_counter() - started)
        assert response.status_code == 200, response.content
        queries.append(len(captured))
    timings.sort()
    print(f"statements: {statements} posted (1/3 questions, 1/3 attempts, 1/3 duplicates)")
    p50, p95, p99 = (timings[int(len(timings) * share)] * 1000 for share in (0.5, 0.95, 0.99))
    print(f"  latency ms: p50 {p50:.1f}  p95 {p95:.1f}  p99 {p99:.1f}  max {timings[-1] * 1000:.1f}")
    print(
        f"  queries per request: max {max(queries[1:])}, mean {statistics.mean(queries[1:]):.2f} (first: {queries[0]})"
    )
    print(f"  throughput in one process: {statements / sum(timings):.0f} statements/s")


def hostile_json(megabytes: float) -> None:
    """Build the hostile package in this process, then check it in a fresh one (so the peak RSS is
    the check's, not the building's)."""
    import json
    import random
    import subprocess
    import zipfile

    sys.path.insert(0, str(ROOT))
    from h5p import demo_package

    # Words of random letters: about 2.5 times compressible, like real text.
    rng = random.Random(1)
    letters = "abcdefghijklmnopqrstuvwxyz"
    pages, size = [], 0
    while size < megabytes * 1024 * 1024:
        text = " ".join("".join(rng.choice(letters) for _ in range(rng.randint(2, 9))) for _ in range(12))
        pages.append({"title": text[:20], "text": text, "score": rng.randint(0, 9)})
        size += len(text) + 50
    entries = demo_package.package_entries()
    entries["content/content.json"] = json.dumps({"question": "Soal?", "pages": pages}).encode()
    path = Path(tempfile.mkdtemp(prefix="lms-h5p-bench-")) / "hostile.h5p"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    print(
        f"hostile package: {path.stat().st_size / 1e6:.1f} MB zipped, "
        f"content.json {len(entries['content/content.json']) / 1e6:.1f} MB"
    )
    subprocess.run([sys.executable, __file__, "--inspect-file", str(path)], check=True)
    path.unlink()
    path.parent.rmdir()


def inspect_file(path: str) -> None:
    """Run ``inspect_package`` on one file and report time and memory (the child of --hostile-json)."""
    import tracemalloc

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from h5p import packages

    def peak_rss_mb() -> float:
        status = Path("/proc/self/status").read_text()
        return int(next(line for line in status.splitlines() if line.startswith("VmHWM:")).split()[1]) / 1024

    before = peak_rss_mb()
    tracemalloc.start()
    started = time.perf_counter()
    with open(path, "rb") as handle:
        try:
            plan = packages.inspect_package(handle)
            outcome = f"accepted ({plan.file_count} files)"
        except packages.PackageRefused as refused:
            outcome = "refused: " + refused.errors[0][:100]
    elapsed = time.perf_counter() - started
    traced_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    after = peak_rss_mb()
    print(f"  inspect_package: {outcome}")
    print(
        f"  time {elapsed * 1000:.0f} ms; peak RSS {before:.0f} MB before the check, {after:.0f} MB after (+{after - before:.0f} MB)"
    )
    print(f"  peak Python allocation during the check (tracemalloc): {traced_peak / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
