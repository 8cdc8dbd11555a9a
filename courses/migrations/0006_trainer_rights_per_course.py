"""Trainers lose the catalogue-wide page permissions they had: from now on a trainer's page rights are
those on the courses that name them (courses.permissions.CoursePagePermissionPolicy), which existing
courses' trainer lists already give them. Admin BPSDM keeps the catalogue."""

from django.db import migrations

CODENAMES = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]


def drop_catalogue_rights_of_trainers(apps, schema_editor):
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    CourseIndexPage = apps.get_model("courses", "CourseIndexPage")
    GroupPagePermission.objects.filter(
        group__name="Pengajar",
        page__in=CourseIndexPage.objects.values("pk"),
        permission__content_type__app_label="wagtailcore",
        permission__codename__in=CODENAMES,
    ).delete()


def restore_catalogue_rights_of_trainers(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Permission = apps.get_model("auth", "Permission")
    CourseIndexPage = apps.get_model("courses", "CourseIndexPage")
    group = Group.objects.filter(name="Pengajar").first()
    if group is None:
        return
    permissions = Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=CODENAMES)
    for index_page in CourseIndexPage.objects.all():
        for permission in permissions:
            GroupPagePermission.objects.get_or_create(group=group, page_id=index_page.pk, permission=permission)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0005_pretest_gate_jp_ledger_reversals"),
    ]

    operations = [migrations.RunPython(drop_catalogue_rights_of_trainers, restore_catalogue_rights_of_trainers)]
