"""Benchmark: how long a second `make run` takes until the site answers, now and as it was.

Run from the repository root after one `make run` (so the database, the demo data and the static
files exist):

    .venv/bin/python bench/run_start.py [--port 8104] [--repeat 3]

"now" is what `make run` does: `manage.py serve_demo` (one Django start-up; the demo is not seeded
again when nothing changed; gunicorn's workers are forked from it). "before" is the recipe it
replaced: `migrate`, `seed_demo`, `demo_info`, then gunicorn importing Django in each worker.
Each start is timed from launch to the first 200 from /healthz/, then stopped with SIGINT. Bounded:
60 s per start.
"""

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def commands(port: int) -> dict[str, str]:
    gunicorn = Path(PY).with_name("gunicorn")
    return {
        "now": f"exec {PY} manage.py serve_demo --port {port} --stamp .make/demo-seeded",
        "before": (
            f"{PY} manage.py migrate --noinput -v0 && {PY} manage.py seed_demo && "
            f"{PY} manage.py demo_info --url http://127.0.0.1:{port}/ && "
            f"exec {gunicorn} lms.wsgi --bind 127.0.0.1:{port} --workers 2 --threads 4 --log-level warning"
        ),
    }


def first_answer(port: int, deadline: float) -> bool:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/", timeout=1) as response:  # noqa: S310
                if response.status == 200:
                    return True
        except OSError:
            time.sleep(0.05)
    return False


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8104)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lms.settings.dev", "DEBUG": "0"}
    (ROOT / ".make").mkdir(exist_ok=True)
    for name, command in commands(args.port).items():
        for _ in range(args.repeat):
            start = time.monotonic()
            process = subprocess.Popen(  # noqa: S602 - fixed commands above
                command,
                shell=True,
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            answered = first_answer(args.port, start + 60)
            elapsed = time.monotonic() - start
            os.killpg(process.pid, signal.SIGINT)
            output = process.communicate(timeout=60)[0].decode(errors="replace")
            lines = len([line for line in output.splitlines() if line.strip()])
            state = "answered" if answered else "no answer in 60 s"
            print(f"{name:<7} {elapsed:6.2f} s to first answer ({state}), {lines} lines printed")


if __name__ == "__main__":
    main()
