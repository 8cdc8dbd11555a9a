"""Supervisor reporting: completion, scores and 20 JP compliance by unit, and the SIASN export."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    # Applied to the role groups after every migrate (people/roles.py). Supervisors already hold
    # people.view_unit_reports; Admin BPSDM holds every permission.
    role_permissions = {"Pengajar": ["people.view_course_reports"]}

    def ready(self):
        from lms import periodic
        from reports import summaries

        # The overview and completion by course read these figures while they are fresh.
        periodic.register("reports.refresh_summaries", every=summaries.REFRESH_EVERY, run=summaries.refresh)
