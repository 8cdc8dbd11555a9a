"""Benchmark: how long reading a hostile XLSX roster takes, with and without the early bounds.

Run from the repository root:

    .venv/bin/python bench/roster_hostile.py            # with the bounds (what the site does)
    .venv/bin/python bench/roster_hostile.py --no-bounds  # as before: openpyxl parses everything

Each variant is a small file (see ``tests/people/hostile_xlsx.py``); the time is wall-clock for
``people.roster.read_roster``, the function behind the admin screen and ``manage.py import_roster``,
until it returns or refuses the file. Without the bounds each variant gets at most 300 s (alarm).
"""

import argparse
import os
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")

import django  # noqa: E402

django.setup()

from people import roster  # noqa: E402
from tests.people import hostile_xlsx  # noqa: E402
from tests.people.roster_factories import rows_for, xlsx_bytes  # noqa: E402

VARIANTS = {
    "1,000,000 shared strings": lambda: hostile_xlsx.many_shared_strings(1_000_000),
    "1,200,000 cells in one sheet": lambda: hostile_xlsx.many_cells(rows=2_000, cells_per_row=600),
    "200,000 formatted empty rows": lambda: hostile_xlsx.many_rows(200_000),
    "500 sheets": lambda: hostile_xlsx.many_sheets(500),
    "styles.xml of 90 MB (deflate bomb)": lambda: hostile_xlsx.deflate_bomb(90 * 1024 * 1024),
    "real roster, 10,000 rows": lambda: xlsx_bytes(rows_for("15.02.01", 10_000)),
}


class TimedOut(Exception):
    pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-bounds", action="store_true", help="skip check_xlsx_bounds, as before the fix")
    args = parser.parse_args()
    if args.no_bounds:
        roster.check_xlsx_bounds = lambda data: None

    def alarm(signum, frame):
        raise TimedOut

    signal.signal(signal.SIGALRM, alarm)
    print(f"bounds: {'off' if args.no_bounds else 'on'}")
    for name, build in VARIANTS.items():
        data = build()
        signal.alarm(300)
        start = time.perf_counter()
        try:
            table = roster.read_roster(data)
            outcome = f"read, {len(table.rows)} rows"
        except roster.RosterFileError as exc:
            outcome = f"refused: {exc.message[:70]}…"
        except TimedOut:
            outcome = "stopped after 300 s"
        finally:
            signal.alarm(0)
        elapsed = time.perf_counter() - start
        print(f"  {name:<38} {len(data) / 1024:>8.0f} KiB  {elapsed:>7.2f} s  {outcome}")


if __name__ == "__main__":
    main()
