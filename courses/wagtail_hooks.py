"""Wagtail admin for courses: categories, enrolments, JP ledger, request queue, assigning participants."""

import django_filters
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.permissions import register_permission_policy

from courses import admin_views, audit, selectors
from courses.models import CourseCategory, CoursePage, Enrolment, EnrolmentStatus, JPCredit, ProgressStatus
from lms.scoped_admin import ScopedPermissionPolicy, ScopedViewSetMixin
from lms.scoping import scope_for


def course_rows_in_scope(user):
    """Enrolments and JP credits ``user`` may see: of the courses that name them as trainer, of the
    people in their supervised units, or all for Admin BPSDM (``lms/scoping.py``)."""
    return scope_for(user).rows(course_field="course_id")


# Listing only: enrolments and JP change through courses/services.py, never by hand.
register_permission_policy(
    Enrolment, ScopedPermissionPolicy(Enrolment, rows=course_rows_in_scope, read_only=True), exact_class=True
)
register_permission_policy(
    JPCredit, ScopedPermissionPolicy(JPCredit, rows=course_rows_in_scope, read_only=True), exact_class=True
)


class LearnerRowsIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("user", "user__asn_profile")


class CourseCategoryViewSet(ModelViewSet):
    model = CourseCategory
    icon = "tag"
    menu_label = _("Categories")
    form_fields = ["name", "slug"]
    list_display = ["name", "slug"]
    search_fields = ["name"]
    copy_view_enabled = False


class EnrolmentFilterSet(WagtailFilterSet):
    course = django_filters.ModelChoiceFilter(queryset=CoursePage.objects.order_by("title"), label=_("course"))
    status = django_filters.ChoiceFilter(choices=EnrolmentStatus.choices, label=_("enrolment status"))
    progress_status = django_filters.ChoiceFilter(choices=ProgressStatus.choices, label=_("progress"))

    class Meta:
        model = Enrolment
        fields = ["course", "status", "progress_status", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.request is not None:  # only the courses this person may manage
            courses = CoursePage.objects.filter(scope_for(self.request.user).courses())
            self.filters["course"].queryset = courses.order_by("title")


class EnrolmentViewSet(ScopedViewSetMixin, ModelViewSet):
    model = Enrolment
    icon = "list-ul"
    menu_label = _("Enrolments")
    list_display = ["user", "course_title", "status", "progress_status", "percent", "completed_at"]
    list_per_page = 50
    filterset_class = EnrolmentFilterSet
    search_fields = ["course_title", "user__username", "user__asn_profile__full_name", "user__asn_profile__nip"]
    search_backend_name = None
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["status"]  # never shown: the read-only policy refuses add and edit

    ordering = ["-updated_at"]
    index_view_class = LearnerRowsIndexView


class JPCreditViewSet(ScopedViewSetMixin, ModelViewSet):
    model = JPCredit
    icon = "date"
    menu_label = _("JP ledger")
    list_display = ["user", "course_title", "kind", "jp", "year", "credited_at", "reversed_at"]
    list_filter = ["year", "kind"]
    list_per_page = 50
    search_fields = ["course_title", "user__username", "user__asn_profile__full_name", "user__asn_profile__nip"]
    search_backend_name = None
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["jp"]  # never shown: the read-only policy refuses add and edit

    ordering = ["-credited_at"]
    index_view_class = LearnerRowsIndexView


class ManageEnrolmentsMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.may_manage_any(request.user)


class EnrolmentManagementViewSet(ViewSet):
    """The request queue (menu) and the per-course assign screen (linked from the course)."""

    name = "courses_admin"
    url_prefix = "courses"
    icon = "tasks"
    menu_label = _("Enrolment requests")
    menu_item_class = ManageEnrolmentsMenuItem

    def get_urlpatterns(self):
        return [
            path("requests/", admin_views.EnrolmentRequestsView.as_view(), name="requests"),
            path("<int:course_id>/assign/", admin_views.CourseAssignView.as_view(), name="assign"),
        ]


class CoursesViewSetGroup(ViewSetGroup):
    items = (EnrolmentManagementViewSet, EnrolmentViewSet, JPCreditViewSet, CourseCategoryViewSet)
    menu_icon = "doc-full-inverse"
    menu_label = _("Courses")
    menu_name = "courses"
    menu_order = 250


@hooks.register("register_admin_viewset")
def register_courses_viewsets():
    return CoursesViewSetGroup()


@hooks.register("register_page_header_buttons")
def course_header_buttons(page, user, view_name=None, next_url=None):
    """Buttons on a course page in the admin: assign participants, enrolment requests."""
    course = page.specific_deferred
    if not isinstance(course, CoursePage) or not selectors.can_manage_enrolments(user, course):
        return
    yield Button(
        _("Assign participants"), reverse("courses_admin:assign", args=[page.pk]), icon_name="group", priority=80
    )
    yield Button(
        _("Enrolment requests"),
        reverse("courses_admin:requests") + f"?course={page.pk}",
        icon_name="tasks",
        priority=81,
    )


@hooks.register("register_log_actions")
def register_courses_log_actions(actions):
    audit.register_log_actions(actions)
