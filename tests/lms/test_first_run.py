"""Issue 12, "First run, as a newcomer": a PostgreSQL that is down fails the suite at once in one line;
tests leave no temporary folders; `make run` seeds quietly, only when something changed, prints real
URLs and serves the site's own 404 page unless DEBUG=1 is asked for."""

import io
import logging
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_pytest(tmp_path, env_extra, *args):
    temp = tmp_path / "tmp"
    temp.mkdir()
    # The child never shares the parent's test database or cache: SQLite and memory unless told.
    env = {
        key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL", "PYTEST_ADDOPTS"}
    }
    env.update({"TMPDIR": str(temp), **env_extra})
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return result, temp


def test_a_postgresql_that_is_down_fails_the_run_at_once_in_one_line(tmp_path):
    url = f"postgres://postgres@127.0.0.1:{closed_port()}/lms_down"
    result, temp = run_pytest(tmp_path, {"DATABASE_URL": url}, "tests/lms")
    output = (result.stdout + result.stderr).strip().splitlines()
    assert result.returncode != 0
    assert len(output) == 1, output[:20]
    assert output[0].startswith("ERROR: PostgreSQL at 127.0.0.1:")
    assert "does not answer" in output[0]
    assert "without DATABASE_URL" in output[0]
    assert list(temp.iterdir()) == []  # and it left nothing behind


def test_a_test_run_leaves_no_temporary_folders(tmp_path):
    result, temp = run_pytest(tmp_path, {}, "tests/lms/test_platform.py", "-q", "-k", "healthz")
    assert result.returncode == 0, result.stdout[-2000:]
    assert "passed" in result.stdout
    leftovers = [path.name for path in temp.iterdir() if path.name.startswith("lms-test-")]
    assert leftovers == []


@pytest.mark.django_db
def test_seeding_prints_a_short_block_and_wagtail_logs_nothing(caplog, tmp_path):
    out = io.StringIO()
    with caplog.at_level(logging.INFO):
        call_command("serve_demo", "--no-serve", "--port", "8000", "--stamp", str(tmp_path / "stamp"), stdout=out)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    assert 8 <= len(lines) <= 20, lines
    assert not [record for record in caplog.records if record.name.startswith("wagtail")]
    assert "Page created" not in out.getvalue()
    assert "/beranda/" not in out.getvalue()  # tree paths are not URLs

    # Nothing changed: the second start does not seed again.
    again = io.StringIO()
    call_command("serve_demo", "--no-serve", "--port", "8000", "--stamp", str(tmp_path / "stamp"), stdout=again)
    assert "tidak berubah" in again.getvalue()
    assert "Menyiapkan data demo" not in again.getvalue()
    assert "Menyiapkan data demo" in out.getvalue()


@pytest.mark.django_db
def test_every_url_the_start_prints_answers(client, tmp_path):
    out = io.StringIO()
    call_command("serve_demo", "--no-serve", "--port", "8000", "--stamp", str(tmp_path / "stamp"), stdout=out)
    paths = sorted(set(re.findall(r"http://127\.0\.0\.1:8000(/[^\s]*)", out.getvalue())))
    assert "/katalog/" in paths
    assert len(paths) >= 4
    for path in paths:
        response = client.get(path)
        assert response.status_code in (200, 302), path


@pytest.mark.django_db
def test_a_changed_demo_module_or_a_missing_demo_seeds_again(tmp_path, monkeypatch):
    stamp = tmp_path / "stamp"
    call_command("serve_demo", "--no-serve", "--stamp", str(stamp), stdout=io.StringIO())
    stamp.write_text("an older demo\n")
    out = io.StringIO()
    call_command("serve_demo", "--no-serve", "--stamp", str(stamp), stdout=out)
    assert "Menyiapkan data demo" in out.getvalue()

    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(username="admin").delete()
    out = io.StringIO()
    call_command("serve_demo", "--no-serve", "--stamp", str(stamp), stdout=out)
    assert "Menyiapkan data demo" in out.getvalue()


def make_dry_run(*args, env_extra=None):
    env = {key: value for key, value in os.environ.items() if key != "DEBUG"}
    env.update(env_extra or {})
    result = subprocess.run(  # noqa: S603
        ["make", "--no-print-directory", "-n", *args],  # noqa: S607
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_make_run_serves_without_debug_unless_asked(tmp_path):
    """The recipe exports DEBUG=0 by default (site's own 404/500 pages) and DEBUG=1 when asked."""
    makefile = (ROOT / "Makefile").read_text()
    assert "run: export DEBUG = $(RUN_DEBUG)" in makefile
    assert "RUN_DEBUG := $(if $(DEBUG),$(DEBUG),0)" in makefile
    printed = make_dry_run("-p", "run")
    assert re.search(r"^RUN_DEBUG := 0$", printed, re.M)
    printed = make_dry_run("-p", "run", env_extra={"DEBUG": "1"})
    assert re.search(r"^RUN_DEBUG := 1$", printed, re.M)
    assert "manage.py serve_demo" in make_dry_run("run")


def test_the_site_404_page_is_shown_without_debug(client, settings, db):
    settings.DEBUG = False
    response = client.get("/tidak-ada-halaman-seperti-ini/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


def test_reset_demo_is_a_make_target_and_documented():
    assert "\nreset-demo:" in (ROOT / "Makefile").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "make reset-demo" in readme
    assert "Ctrl-C" in readme


def test_the_readme_points_at_the_projects_own_domain_notes():
    readme = (ROOT / "README.md").read_text()
    assert "../shared/" not in readme
    assert "docs/domain.md" in readme
    domain = (ROOT / "docs" / "domain.md").read_text()
    for fact in ["NIP", "18", "golongan", "20 JP", "PPPK", "SIASN", "Jam Pelajaran"]:
        assert fact in domain, fact
