"""Create the four roles. Their permissions are (re)applied after every migrate by people.roles,
because apps migrated later add permissions this migration cannot see."""

from django.db import migrations

ROLES = ["Peserta", "Pengajar", "Supervisor", "Admin BPSDM"]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
