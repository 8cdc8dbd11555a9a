"""``manage.py import_roster FILE [--dry-run]``: import ASN from a CSV or XLSX roster."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from people.services import roster_import


class Command(BaseCommand):
    help = (
        "Import ASN from a roster file (CSV or XLSX; columns in the README). Every row is checked first: if any "
        "row is wrong nothing is written and every error is printed with its row and column. Importing the same "
        "file again updates people by NIP."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the .csv or .xlsx roster")
        parser.add_argument("--dry-run", action="store_true", help="check the file and count changes; write nothing")

    def handle(self, *args, file, dry_run, **options):
        # Messages are for the trainer running the import: in the site's language (Indonesian).
        with translation.override(settings.LANGUAGE_CODE):
            result = roster_import(file=file, dry_run=dry_run)
            counts = {
                "rows": result.rows,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
            }
            if not result.ok:
                for error in result.errors:
                    self.stderr.write(self.format_error(error))
                if result.errors_truncated:
                    self.stderr.write(
                        _("... and %(more)d more errors not listed.")
                        % {"more": result.error_count - len(result.errors)}
                    )
                raise CommandError(
                    ngettext(
                        "Nothing was imported: %(count)d error in the file.",
                        "Nothing was imported: %(count)d errors in the file.",
                        result.error_count,
                    )
                    % {"count": result.error_count}
                )
            if dry_run:
                self.stdout.write(
                    _(
                        "Dry run, nothing written. %(rows)d rows: %(created)d would be created, %(updated)d updated, "
                        "%(unchanged)d unchanged."
                    )
                    % counts
                )
            else:
                self.stdout.write(
                    self.style.SUCCESS(
                        _("%(rows)d rows: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.") % counts
                    )
                )

    @staticmethod
    def format_error(error) -> str:
        value = f" [{error.value}]" if error.value else ""
        if error.row is None:
            return error.message
        return _("Row %(row)d, column %(column)s%(value)s: %(message)s") % {
            "row": error.row,
            "column": error.column,
            "value": value,
            "message": error.message,
        }
