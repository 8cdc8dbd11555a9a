"""List, and with --delete remove, extracted H5P content folders that no item points to any more."""

from datetime import timedelta

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.utils import timezone

from h5p import packages, services


class Command(BaseCommand):
    help = (
        "Content folders left without an item (an upload whose transaction was rolled back after "
        "extraction). Folders younger than an hour are skipped: an upload may still be running."
    )

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="Delete them instead of listing them.")

    def handle(self, *args, delete=False, **options):
        cutoff = timezone.now() - timedelta(hours=1)
        found = 0
        for prefix in services.orphan_content_folders():
            try:
                modified = default_storage.get_modified_time(f"{prefix}/h5p.json")
            except (FileNotFoundError, OSError, NotImplementedError):
                modified = None
            if modified is not None and modified > cutoff:
                continue
            found += 1
            if delete:
                packages.delete_tree(prefix)
            self.stdout.write(("deleted " if delete else "") + prefix)
        self.stdout.write(f"{found} orphan folder(s)")
