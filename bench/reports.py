"""Reports at province scale: server time of the overview and each report's first page, for an Admin
BPSDM (whole province) and a supervisor of one OPD, and the peak memory of full-province exports.

Usage:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_scale .venv/bin/python manage.py seed_scale
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_scale .venv/bin/python bench/reports.py [--repeat 10] [--explain]

Reads the data ``seed_scale`` wrote (accounts ``skala_admin`` and ``skala_supervisor``). Requests go
through Django's test client in this process (middleware, view, queries and template rendering; no
network), so the figures are server time: "first" is the first request to a page (templates and
permissions not yet loaded in this process), median and p95 are over ``--repeat`` requests after it.
Nothing caches pages or figures between requests; every request runs its queries.

The overview, completion by course and the participant count read precomputed summaries
(``reports.summaries``) while they are fresh. With ``--summaries both`` (the default) every page is
timed twice: first with no summary, as right after a deploy or when the periodic job is not running
(the summary runs are deleted: live queries), then after one ``refresh`` as the periodic job runs it
every five minutes (its duration is printed). The summary tables are the only thing the benchmark
writes; they are derived data that the next refresh rebuilds anyway.

Each export runs in a fresh child process that reports its own peak resident memory (``ru_maxrss``)
before and after streaming the whole file, and the peak of Python allocations during it
(``tracemalloc``).
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    ("overview", "/admin/laporan/"),
    ("completion", "/admin/laporan/penyelesaian/"),
    ("participants (all courses)", "/admin/laporan/penyelesaian/peserta/"),
    ("20 JP compliance", "/admin/laporan/jp/"),
    ("20 JP, 0 JP only", "/admin/laporan/jp/?band=zero"),
    ("quiz results", "/admin/laporan/kuis/"),
    ("SIASN", "/admin/laporan/siasn/"),
]
EXPORTS = [
    ("completion CSV (per course)", "/admin/laporan/penyelesaian/?export=csv"),
    ("participants CSV (every enrolment)", "/admin/laporan/penyelesaian/peserta/?export=csv"),
    ("20 JP compliance CSV (every ASN)", "/admin/laporan/jp/?export=csv"),
    ("20 JP compliance XLSX (every ASN)", "/admin/laporan/jp/?export=xlsx"),
]


def setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")
    if not os.environ.get("DATABASE_URL"):
        sys.exit("Set DATABASE_URL to the database seed_scale filled (see the module docstring).")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def client_for(username: str):
    from django.test import Client

    from people.models import User

    user = User.objects.filter(username=username).first()
    if user is None:
        sys.exit(f"No user {username!r}: run `manage.py seed_scale` against this database first.")
    client = Client()
    client.force_login(user)
    return client


def consume(response) -> int:
    """Read the whole body; return its size in bytes."""
    if response.streaming:
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def count_lines(response) -> tuple[int, int]:
    size = lines = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        lines += chunk.count(b"\n")
    return size, lines


def time_pages(client, repeat: int, explain: bool) -> list[dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    results = []
    for label, url in PAGES:
        start = time.perf_counter()
        consume(client.get(url))  # the first request: templates, permissions
        first = (time.perf_counter() - start) * 1000
        timings = []
        for _ in range(repeat):
            start = time.perf_counter()
            response = client.get(url)
            consume(response)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as captured:
            consume(client.get(url))
        slowest = sorted(captured.captured_queries, key=lambda query: float(query["time"]), reverse=True)[:2]
        results.append(
            {
                "page": label,
                "first_ms": first,
                "median_ms": statistics.median(timings),
                "p95_ms": sorted(timings)[max(0, round(0.95 * len(timings)) - 1)],
                "max_ms": max(timings),
                "queries": len(captured.captured_queries),
                "slowest_sql_ms": [round(float(query["time"]) * 1000, 1) for query in slowest],
            }
        )
        if explain and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for query in slowest[:1]:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + query["sql"])
                    plan = "\n".join(row[0] for row in cursor.fetchall())
                    print(
                        f"\n--- plan of the slowest query of {label!r} ({float(query['time']) * 1000:.1f} ms)\n{plan}"
                    )
    return results


def export_child(username: str, url: str) -> None:
    """Runs in its own process: stream one export to nowhere, report memory and time as JSON."""
    import tracemalloc

    setup()
    client = client_for(username)
    client.get("/admin/laporan/")  # load templates and permissions before the baseline
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    start = time.perf_counter()
    response = client.get(url)
    size, lines = count_lines(response)
    seconds = time.perf_counter() - start
    _current, traced_peak = tracemalloc.get_traced_memory()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "status": response.status_code,
                "bytes": size,
                "rows": lines - 1 if "csv" in url else None,
                "seconds": seconds,
                "rss_before_mb": baseline,
                "rss_peak_mb": peak,
                "python_alloc_peak_mb": traced_peak / 1024 / 1024,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--explain", action="store_true", help="print PostgreSQL plans of the slowest queries")
    parser.add_argument(
        "--summaries",
        choices=["both", "none", "fresh"],
        default="both",
        help="time the pages without summaries (live queries), after a refresh, or both (default)",
    )
    parser.add_argument("--no-exports", action="store_true", help="time the pages only")
    parser.add_argument("--export-child", nargs=2, metavar=("USERNAME", "URL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.export_child:
        export_child(*args.export_child)
        return

    setup()
    from django.db import connection

    from courses.models import Enrolment
    from people.models import ASNProfile

    print(
        f"database: {connection.vendor} {connection.settings_dict['NAME']}; "
        f"{ASNProfile.objects.count():,} ASN, {Enrolment.objects.count():,} enrolments"
    )
    from reports import summaries
    from reports.models import SummaryRun

    modes = ["none", "fresh"] if args.summaries == "both" else [args.summaries]
    for mode in modes:
        if mode == "none":
            SummaryRun.objects.all().delete()
            print("\n=== without summaries (live queries: right after a deploy, or no periodic job)")
        else:
            outcome = summaries.refresh()
            print(f"\n=== with fresh summaries; refresh (as the periodic job runs it): {outcome}")
        for username in ("skala_admin", "skala_supervisor"):
            print(f"\n{username}: server time of {args.repeat} requests each, after a first one")
            print(f"{'page':32} {'first':>8} {'median':>8} {'p95':>8} {'max':>8} {'queries':>8}  slowest SQL (ms)")
            for row in time_pages(client_for(username), args.repeat, args.explain):
                print(
                    f"{row['page']:32} {row['first_ms']:7.0f}ms {row['median_ms']:7.0f}ms {row['p95_ms']:7.0f}ms "
                    f"{row['max_ms']:7.0f}ms {row['queries']:8d}  {row['slowest_sql_ms']}"
                )
    if args.no_exports:
        return

    print("\nskala_admin exports of the whole province, each in a fresh process")
    print(f"{'export':40} {'rows':>9} {'MB':>7} {'seconds':>8} {'RSS before':>11} {'RSS peak':>9} {'Python peak':>12}")
    for label, url in EXPORTS:
        output = (
            subprocess.run(
                [sys.executable, __file__, "--export-child", "skala_admin", url],
                capture_output=True,
                text=True,
                check=True,
                env=os.environ,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        figures = json.loads(output)
        rows = f"{figures['rows']:,}" if figures["rows"] is not None else "–"
        print(
            f"{label:40} {rows:>9} {figures['bytes'] / 1e6:7.1f} {figures['seconds']:8.1f} "
            f"{figures['rss_before_mb']:10.0f}M {figures['rss_peak_mb']:8.0f}M {figures['python_alloc_peak_mb']:11.1f}M"
        )


if __name__ == "__main__":
    main()
