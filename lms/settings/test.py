"""Test settings: fast hashing, isolated media, no debug toolbar surprises."""

import atexit
import shutil
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

SECRET_KEY = "test-only-key"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="lms-test-media-"))
SERVE_MEDIA = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Tests render templates without collectstatic: no manifest needed.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Live-server (browser) tests serve static files straight from the apps, no collectstatic.
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="lms-test-static-"))
# Both folders go when the run ends, however it ends short of a kill.
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
atexit.register(shutil.rmtree, STATIC_ROOT, ignore_errors=True)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WAGTAILADMIN_BASE_URL = "http://testserver"
# Background tasks run at once in the request where a test does not care; tests of the queue itself
# switch "background" back to the database backend and run a worker (tests/lms/test_tasks.py).
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
}
