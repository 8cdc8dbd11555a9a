"""Our reports in Wagtail's own "Reports" (Laporan) menu, their URLs, and a panel on the admin home page.

One Laporan menu rather than two: supervisors see only these items (Wagtail's page reports check
their own permissions), editors see ours first and Wagtail's below."""

import hashlib

from django.core.cache import cache
from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from courses.admin_views import may_manage_any
from courses.models import CoursePage, Enrolment, EnrolmentStatus
from quizzes.models import AttemptSlot, AttemptState
from reports import admin_urls, scoping, selectors
from reports.columns import as_of


@hooks.register("register_admin_urls")
def register_report_urls():
    return [path("laporan/", include((admin_urls.urlpatterns, "reports"), namespace="reports"))]


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return scoping.may_view_reports(request.user)


REPORTS = [
    ("overview", _("Overview"), "home"),
    ("completion", _("Completion by course"), "list-ul"),
    ("jp", _("20 JP compliance"), "time"),
    ("quizzes", _("Quiz results"), "tasks"),
    ("siasn", _("SIASN export"), "download"),
]


def _register(index, name, label, icon):
    hooks.register(
        "register_reports_menu_item",
        lambda: ReportMenuItem(label, reverse(f"reports:{name}"), icon_name=icon, order=index, name=f"report-{name}"),
    )


for _index, (_name, _label, _icon) in enumerate(REPORTS, start=1):
    _register(_index, _name, _label, _icon)


class ReportsPanel(Component):
    """This year's overview for the viewer's scope, on the admin home page."""

    name = "reports"
    order = 90
    template_name = "reports/home_panel.html"

    def __init__(self, scope):
        self.scope = scope

    cache_seconds = 300

    def get_context_data(self, parent_context):
        """Cached for a few minutes per scope: the admin home page is opened far more often than the
        numbers change, and at province scale they take two aggregate queries."""
        year = selectors.current_year()
        key = "reports:home:" + hashlib.sha256(f"{self.scope!r}:{year}".encode()).hexdigest()
        summary = cache.get(key)
        if summary is None:
            summary = selectors.overview(scope=self.scope, year=year)
            cache.set(key, summary, self.cache_seconds)
        return {
            "overview": summary,
            "year": year,
            "data_as_of": as_of(summary.computed_at) if summary.computed_at else "",
        }


class TrainerTasksPanel(Component):
    """What waits for a trainer, on the admin home page: essays to grade and enrolment requests in
    the courses that name them (every course for an Admin BPSDM). Two counting queries, whatever the
    number of courses, essays or requests."""

    name = "trainer_tasks"
    order = 80
    template_name = "reports/trainer_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        everything = self.user.is_superuser or self.user.has_perm(scoping.ALL_REPORTS)
        courses = CoursePage.objects.all() if everything else CoursePage.objects.filter(trainers=self.user)
        course_ids = courses.values("pk")
        tasks = []
        if self.user.has_perm("quizzes.grade_attempts"):
            essays = AttemptSlot.objects.filter(
                needs_grading=True, attempt__state=AttemptState.NEEDS_GRADING, attempt__course_id__in=course_ids
            ).count()
            tasks.append((_("Essays to grade (%(count)s)") % {"count": essays}, reverse("quizzes_admin:grading_queue")))
        requests = Enrolment.objects.filter(status=EnrolmentStatus.REQUESTED, course_id__in=course_ids).count()
        tasks.append((_("Enrolment requests (%(count)s)") % {"count": requests}, reverse("courses_admin:requests")))
        return {"tasks": tasks}


@hooks.register("construct_homepage_panels")
def add_trainer_panel(request, panels):
    if may_manage_any(request.user):
        panels.append(TrainerTasksPanel(request.user))


@hooks.register("construct_homepage_panels")
def add_reports_panel(request, panels):
    if scoping.may_view_reports(request.user):
        scope = scoping.scope_for(request.user)
        if not scope.is_empty:
            panels.append(ReportsPanel(scope))


@hooks.register("insert_global_admin_css")
def report_styles():
    return format_html('<link rel="stylesheet" href="{}">', static("reports/admin.css"))
