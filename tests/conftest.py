"""Suite-wide fixtures and a guard that the database the run asked for is the one it uses."""

import os

import pytest
from django.db import connection


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
