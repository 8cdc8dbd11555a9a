"""Submit every quiz attempt whose time is up (abandoned attempts). Run it every minute from cron."""

from django.core.management.base import BaseCommand

from quizzes import services


class Command(BaseCommand):
    help = (
        "Submit quiz attempts whose deadline has passed, with the answers saved so far. Safe to run often and "
        "from several machines at once (each attempt is locked while it is closed). Example cron line: "
        "* * * * * cd /srv/lms && .venv/bin/python manage.py close_expired_attempts"
    )

    def handle(self, *args, **options):
        closed = services.close_expired_attempts()
        self.stdout.write(f"Closed {closed} expired attempt(s).")
