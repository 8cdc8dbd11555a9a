"""Load the demo data of every app, in INSTALLED_APPS order. Running it again changes nothing."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load demo data (units, ASN, courses, quizzes, ...) in Bahasa Indonesia. Idempotent."

    def handle(self, *args, **options):
        for config in apps.get_app_configs():
            module_name = f"{config.name}.demo"
            if config.name.startswith(("django.", "wagtail")) or find_spec(module_name) is None:
                continue
            self.stdout.write(f"Seeding {config.label} …")
            import_module(module_name).seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
