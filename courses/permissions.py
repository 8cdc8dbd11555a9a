"""Page permissions on the course catalogue: Admin BPSDM on the whole catalogue, each trainer on the
courses that name them.

Admin BPSDM gets ``GroupPagePermission`` rows on every ``CourseIndexPage`` (so only Admin BPSDM creates
courses: a course carries JP that count toward the legal 20 JP a year, so the agency decides which
courses exist and names their trainers). A trainer's rights come from ``CoursePage.trainers``
through ``CoursePagePermissionPolicy``, the page permission policy registered for every page: the
same list that scopes every other staff screen (``lms/scoping.py``), so there is nothing to keep in
sync when trainers are named or removed, and no per-course group to drift from it.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from wagtail.models import GroupPagePermission, Page, PagePermissionTester
from wagtail.permission_policies.pages import PagePermissionPolicy

from courses.models import CourseIndexPage, CoursePage
from lms import scoping
from lms.scoping import ALL_REPORTS, COURSE_REPORTS

# What a trainer may do on their course and every page below it, and Admin BPSDM on the catalogue.
COURSE_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
CATALOGUE_EDITOR_ROLES = ["Admin BPSDM"]


@transaction.atomic
def grant_course_page_permissions() -> int:
    """Give the Admin BPSDM group page permissions on every CourseIndexPage. Idempotent.

    Returns how many permission rows were created.
    """
    indexes = list(CourseIndexPage.objects.all())
    if not indexes:
        return 0
    permissions = list(
        Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=COURSE_PAGE_PERMISSIONS)
    )
    created = 0
    for group in Group.objects.filter(name__in=CATALOGUE_EDITOR_ROLES):
        for index_page in indexes:
            for permission in permissions:
                _row, was_created = GroupPagePermission.objects.get_or_create(
                    group=group, page=index_page, permission=permission
                )
                created += was_created
    return created


def grant_course_page_permissions_after_migrate(sender, **kwargs):
    """Act once per migrate, after the last app's, when every permission and group exists."""
    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if sender.label == with_models[-1].label:
        grant_course_page_permissions()


@dataclass(frozen=True, eq=True)
class TrainerPagePermission:
    """Stands for a ``GroupPagePermission`` row: a trainer's right on one of their courses. Wagtail's
    tester, explorer and parent chooser read ``.page``, ``.page_id`` and ``.permission`` (and hash)."""

    page: object = field(compare=False, hash=False)
    permission: object = field(compare=False, hash=False)
    page_id: int = 0
    permission_id: int = 0
    group = None


def _trainer_rows(user) -> list:
    """The trainer's rights on each of their courses, as page permission rows. Two queries."""
    if not scoping.is_trainer(user) or user.has_perm(scoping.ALL_REPORTS):
        return []  # Admin BPSDM holds the whole catalogue through its group's rows already
    courses = list(Page.objects.filter(pk__in=scoping.taught_courses(user).values("pk")).order_by("path"))
    if not courses:
        return []
    permissions = list(
        Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=COURSE_PAGE_PERMISSIONS)
    )
    return [
        TrainerPagePermission(page=course, permission=permission, page_id=course.pk, permission_id=permission.pk)
        for course in courses
        for permission in permissions
    ]


def _trainers_holding(codenames):
    """A filter on users: trainers (Pengajar role), if the actions asked about are ones trainers hold
    on their courses; ``None`` otherwise."""
    if not set(codenames) & set(COURSE_PAGE_PERMISSIONS):
        return None
    app_label, codename = COURSE_REPORTS.split(".", 1)
    return Q(groups__permissions__content_type__app_label=app_label, groups__permissions__codename=codename)


def _union(users, named):
    return users.model._default_manager.filter(Q(pk__in=users.values("pk")) | Q(pk__in=named.values("pk")))


class CoursePagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page permissions (group rows on the tree) plus each trainer's rights on the courses
    that name them. Cached per request on the user like Wagtail's own rows."""

    def get_all_permissions_for_user(self, user):
        rows = super().get_all_permissions_for_user(user)
        if not user.is_active or user.is_anonymous or user.is_superuser:
            return rows
        return [*rows, *_trainer_rows(user)]

    def users_with_any_permission(self, actions, include_superusers=True):
        users = super().users_with_any_permission(actions, include_superusers)
        trainers = _trainers_holding(self._get_permission_codenames(actions))
        if trainers is None:
            return users
        named = users.model._default_manager.filter(trainers, is_active=True, courses_taught__isnull=False)
        return _union(users, named)

    def users_with_any_permission_for_instance(self, actions, instance, include_superusers=True):
        users = super().users_with_any_permission_for_instance(actions, instance, include_superusers)
        trainers = _trainers_holding(self._get_permission_codenames(actions))
        if trainers is None:
            return users
        step = instance.steplen
        ancestor_paths = [instance.path[:end] for end in range(step, len(instance.path) + 1, step)]
        courses = CoursePage.objects.filter(path__in=ancestor_paths).values("pk")
        named = users.model._default_manager.filter(trainers, is_active=True, courses_taught__in=courses)
        return _union(users, named)


class CoursePermissionTester(PagePermissionTester):
    """A course page's own rights: a trainer edits and publishes their course, but only Admin BPSDM
    deletes a course (its enrolments and JP credits are the agency's record), also in bulk."""

    def can_delete(self, ignore_bulk=False):
        if not (self.user.is_superuser or self.user.has_perm(ALL_REPORTS)):
            return False
        return super().can_delete(ignore_bulk)
