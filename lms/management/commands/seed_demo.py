"""Load the demo data of every app, in INSTALLED_APPS order. Running it again changes nothing."""

import logging
from contextlib import contextmanager
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand

# Wagtail logs every page it creates, edits and publishes (about 75 lines for the demo, with tree
# paths such as /beranda/katalog/... that are not URLs): the seed says what it made in one line per app.
QUIET_LOGGERS = ("wagtail", "django_tasks", "django.tasks")


@contextmanager
def quiet_loggers(names=QUIET_LOGGERS, level=logging.WARNING):
    loggers = [logging.getLogger(name) for name in names]
    previous = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(max(level, logger.getEffectiveLevel()))
    try:
        yield
    finally:
        for logger, old in zip(loggers, previous, strict=True):
            logger.setLevel(old)


def demo_modules():
    """The ``<app>.demo`` modules of our apps, in INSTALLED_APPS order."""
    for config in apps.get_app_configs():
        module_name = f"{config.name}.demo"
        if config.name.startswith(("django.", "wagtail")) or find_spec(module_name) is None:
            continue
        yield config, module_name


class Command(BaseCommand):
    help = "Load demo data (units, ASN, courses, quizzes, ...) in Bahasa Indonesia. Idempotent."

    def handle(self, *args, **options):
        self.stdout.write("Menyiapkan data demo …")
        with quiet_loggers():
            for _config, module_name in demo_modules():
                import_module(module_name).seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Data demo siap."))
