from django.core.management.base import BaseCommand

from certificates.services import certificates_issue_missing


class Command(BaseCommand):
    help = "Issue the certificates of completions that have none (idempotent)."

    def handle(self, *args, **options):
        self.stdout.write(f"{certificates_issue_missing()} certificate(s) issued")
