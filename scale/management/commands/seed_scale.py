"""``manage.py seed_scale``: generate the province-sized, deterministic data set the report benchmarks use."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scale import constants
from scale.seed import seed_scale


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = gettext_lazy(
        "Generate a province-sized data set for report benchmarks: Jambi's 12 governments with their OPD and "
        "divisions, ASN with valid NIPs, courses, enrolments, lesson progress, quiz results and JP credits. The "
        "same arguments give the same data. Nothing is written when the data set is already there."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--people", type=_positive, default=60_000, help=gettext_lazy("number of ASN (default 60000)")
        )
        parser.add_argument(
            "--courses", type=_positive, default=40, help=gettext_lazy("number of courses (default 40)")
        )
        parser.add_argument(
            "--enrolments-per-person",
            type=_positive,
            default=5,
            help=gettext_lazy("courses each person enrols in, before about 2%% drop out (default 5)"),
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=15,
            help=gettext_lazy("random seed; the same seed gives the same data (default 15)"),
        )
        parser.add_argument(
            "--password",
            default="Jambi2026!",
            help=gettext_lazy("password of skala_admin, skala_supervisor and skala_pengajar (default Jambi2026!)"),
        )

    def handle(self, *args, people, courses, enrolments_per_person, seed, password, **options):
        # Messages are for the administrator running it: in the site's language.
        with translation.override(settings.LANGUAGE_CODE):
            try:
                summary = seed_scale(
                    people=people,
                    courses=courses,
                    enrolments_per_person=enrolments_per_person,
                    seed=seed,
                    password=password,
                    stdout=self.stdout,
                )
            except RuntimeError as exc:
                raise CommandError(str(exc)) from exc
            if summary.already_present:
                return
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Done in %(seconds).1f s: %(units)d work units, %(people)d ASN, %(courses)d courses, "
                        "%(enrolments)d enrolments, %(jp_credits)d JP credits. Sign in as %(admin)s, %(supervisor)s "
                        "or %(trainer)s with the given password."
                    )
                    % {
                        "seconds": summary.total_seconds,
                        "units": summary.units,
                        "people": summary.people,
                        "courses": summary.courses,
                        "enrolments": summary.enrolments,
                        "jp_credits": summary.jp_credits,
                        "admin": constants.ADMIN_USERNAME,
                        "supervisor": constants.SUPERVISOR_USERNAME,
                        "trainer": constants.TRAINER_USERNAME,
                    }
                )
            )
