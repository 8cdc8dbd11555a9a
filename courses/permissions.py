"""Page permissions of the trainer role on the course catalogue, set up idempotently."""

from django.db import transaction

# Trainers write and publish courses below every catalogue page; Admin BPSDM too.
COURSE_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
COURSE_EDITOR_ROLES = ["Pengajar", "Admin BPSDM"]


@transaction.atomic
def grant_course_page_permissions() -> int:
    """Give the trainer (and admin) groups page permissions on every CourseIndexPage. Idempotent.

    Returns how many permission rows were created.
    """
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission

    from courses.models import CourseIndexPage

    indexes = list(CourseIndexPage.objects.all())
    if not indexes:
        return 0
    permissions = list(
        Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=COURSE_PAGE_PERMISSIONS)
    )
    created = 0
    for group in Group.objects.filter(name__in=COURSE_EDITOR_ROLES):
        for index_page in indexes:
            for permission in permissions:
                _row, was_created = GroupPagePermission.objects.get_or_create(
                    group=group, page=index_page, permission=permission
                )
                created += was_created
    return created


def grant_course_page_permissions_after_migrate(sender, **kwargs):
    """Act once per migrate, after the last app's, when every permission and group exists."""
    from django.apps import apps

    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if sender.label == with_models[-1].label:
        grant_course_page_permissions()
