"""Suite-wide fixtures and a guard that the database the run asked for is the one it uses."""

import os

import pytest
from django.db import connection


def database_unreachable() -> str | None:
    """Why the PostgreSQL server DATABASE_URL names does not answer, or None (SQLite, or it answers).
    Checked once before any test: otherwise every test errors on its own, hundreds of tracebacks long."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        return None
    import psycopg

    try:
        psycopg.connect(
            host=db.get("HOST") or None,
            port=db.get("PORT") or None,
            user=db.get("USER") or None,
            password=db.get("PASSWORD") or None,
            dbname="postgres",
            connect_timeout=3,
        ).close()
    except psycopg.Error as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"PostgreSQL at {db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432} does not answer ({reason})"
    return None


def pytest_sessionstart(session):
    problem = database_unreachable()
    if problem:
        # A usage error is one line ("ERROR: ...") and a non-zero exit, before any test is collected.
        raise pytest.UsageError(f"{problem}. Start PostgreSQL, or run without DATABASE_URL to test on SQLite.")


@pytest.fixture(scope="session", autouse=True)
def _database_is_what_was_asked_for(django_db_setup, django_db_blocker):
    """A PostgreSQL run that quietly used SQLite would prove nothing: fail it loudly instead."""
    wanted = os.environ.get("DATABASE_URL", "")
    with django_db_blocker.unblock():
        vendor = connection.vendor
    if wanted.startswith(("postgres://", "postgresql://")):
        assert vendor == "postgresql", f"DATABASE_URL asks for PostgreSQL but the tests run on {vendor}"
    elif not wanted:
        assert vendor == "sqlite", f"No DATABASE_URL: expected the embedded SQLite, got {vendor}"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttling and other state kept in the cache must not leak between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def ensure_migrated_data() -> None:
    """Recreate what migrations put in the database (Wagtail root page, locale, root collection,
    home page and site, the role groups) when a transactional test before this one flushed it."""
    from django.conf import settings
    from django.contrib.auth.models import Group
    from wagtail.models import Collection, Locale, Page, Site

    from lms.models import HomePage
    from people import roles

    if not Group.objects.filter(name=roles.ADMIN_BPSDM).exists():
        roles.sync_roles()
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
        roles.sync_roles()
    if HomePage.objects.exists():
        return
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = root.add_child(instance=HomePage(title="Beranda", slug="beranda"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "LMS"}
    )


@pytest.fixture(autouse=True)
def _migrated_data(request):
    """Every database test starts from the state `migrate` leaves, whatever ran before it."""
    if request.node.get_closest_marker("django_db") is not None:
        request.getfixturevalue("_django_db_helper")
    elif {"db", "transactional_db", "live_server"} & set(request.fixturenames):
        request.getfixturevalue("db" if "db" in request.fixturenames else "transactional_db")
    else:
        return
    ensure_migrated_data()
