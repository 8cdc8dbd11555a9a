"""Platform plumbing: health check, demo data, deploy settings, translations."""

import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import OperationalError

from people.models import ASNProfile, UnitKerja

ROOT = Path(settings.BASE_DIR)


@pytest.mark.django_db
def test_healthz_answers_200_with_the_database_up(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_is_down(client):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("down")):
        response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


@pytest.mark.django_db
def test_home_page_is_served_in_indonesian(client):
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="id">' in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    first = (
        ASNProfile.objects.count(),
        UnitKerja.objects.count(),
        sorted(ASNProfile.objects.values_list("nip", flat=True)),
    )
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    second = (
        ASNProfile.objects.count(),
        UnitKerja.objects.count(),
        sorted(ASNProfile.objects.values_list("nip", flat=True)),
    )
    assert first == second
    assert first[0] >= 50
    assert UnitKerja.objects.filter(kind="instansi").count() == 12  # the province and 11 kabupaten/kota
    for profile in ASNProfile.objects.all():
        profile.full_clean()  # every demo NIP is valid and consistent


def clean_environment():
    """The parent's environment minus what the browser harness sets for itself."""
    return {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}


def test_production_settings_pass_the_deploy_check():
    env = {
        **clean_environment(),
        "DJANGO_SETTINGS_MODULE": "lms.settings.production",
        "SECRET_KEY": "x" * 64 + "-a-long-random-production-secret",
        "ALLOWED_HOSTS": "lms.example.go.id",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {
        **clean_environment(),
        "DJANGO_SETTINGS_MODULE": "lms.settings.production",
        "SECRET_KEY": "",
        "ALLOWED_HOSTS": "x",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize("language", ["id"])
def test_catalogue_is_complete_and_compiled(language):
    po_path = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
    catalogue = polib.pofile(str(po_path))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated, f"untranslated strings: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy strings: {fuzzy[:10]}"
    compiled = polib.mofile(str(po_path.with_suffix(".mo")))
    compiled_ids = {(entry.msgctxt, entry.msgid) for entry in compiled}
    missing = [
        entry.msgid for entry in catalogue.translated_entries() if (entry.msgctxt, entry.msgid) not in compiled_ids
    ]
    assert not missing, f"run `make messages`: .mo is older than .po for {missing[:10]}"


def test_cache_round_trips_on_the_configured_backend():
    from django.core.cache import cache

    expected = (
        "django.core.cache.backends.redis.RedisCache"
        if os.environ.get("REDIS_URL")
        else ("django.core.cache.backends.locmem.LocMemCache")
    )
    assert settings.CACHES["default"]["BACKEND"] == expected
    cache.set("lms-roundtrip", {"jp": 20}, 30)
    assert cache.get("lms-roundtrip") == {"jp": 20}


@pytest.mark.django_db
def test_models_and_migrations_agree():
    """A model change without its migration would break `make run` on a fresh machine."""
    from io import StringIO

    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exc:
        pytest.fail(f"missing migrations (exit {exc.code}):\n{out.getvalue()}")
