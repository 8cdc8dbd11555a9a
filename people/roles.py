"""Roles as Django groups: who may do what. Apps add their own permissions to a role by declaring
``role_permissions = {"Pengajar": ["app_label.codename", ...]}`` on their AppConfig."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import Collection, GroupCollectionPermission

PESERTA = "Peserta"
PENGAJAR = "Pengajar"
SUPERVISOR = "Supervisor"
ADMIN_BPSDM = "Admin BPSDM"
ROLES = [PESERTA, PENGAJAR, SUPERVISOR, ADMIN_BPSDM]

# Model permissions per role. Admin BPSDM gets every permission, whatever app defines it.
BASE_ROLE_PERMISSIONS: dict[str, list[str]] = {
    PESERTA: [],
    PENGAJAR: [
        "wagtailadmin.access_admin",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
        "wagtailmedia.add_media",
        "wagtailmedia.change_media",
        "wagtailmedia.choose_media",
        "people.view_asnprofile",
        "people.view_unitkerja",
    ],
    SUPERVISOR: [
        "wagtailadmin.access_admin",
        "people.view_unit_reports",
        "people.view_asnprofile",
        "people.view_unitkerja",
    ],
}

# Wagtail scopes image, document and media permissions to collections; these roles get them on
# the root collection (so on every collection).
COLLECTION_ROLES = {PENGAJAR, ADMIN_BPSDM}
COLLECTION_MODELS = ["wagtailimages.image", "wagtaildocs.document", "wagtailmedia.media"]


def role_permissions() -> dict[str, set[str]]:
    """Every role's permissions: the base list plus what installed apps declare."""
    merged = {role: set(codes) for role, codes in BASE_ROLE_PERMISSIONS.items()}
    for config in global_apps.get_app_configs():
        for role, codes in getattr(config, "role_permissions", {}).items():
            merged.setdefault(role, set()).update(codes)
    return merged


def _permissions(codes):
    wanted = {tuple(code.split(".", 1)) for code in codes}
    found = {
        (perm.content_type.app_label, perm.codename): perm
        for perm in Permission.objects.select_related("content_type").filter(
            codename__in={codename for _app, codename in wanted}
        )
    }
    return [found[key] for key in wanted if key in found]


@transaction.atomic
def sync_roles() -> None:
    """Create the role groups and set their permissions to exactly what is defined. Idempotent."""
    definitions = role_permissions()
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in ROLES}
    for name, group in groups.items():
        if name == ADMIN_BPSDM:
            group.permissions.set(Permission.objects.all())
        else:
            group.permissions.set(_permissions(definitions.get(name, set())))

    root = Collection.get_first_root_node()
    if root is None:
        return
    for name in COLLECTION_ROLES:
        group = groups[name]
        for model_label in COLLECTION_MODELS:
            app_label, model_name = model_label.split(".")
            try:
                content_type = ContentType.objects.get_by_natural_key(app_label, model_name)
            except ContentType.DoesNotExist:
                continue
            for perm in Permission.objects.filter(content_type=content_type):
                GroupCollectionPermission.objects.get_or_create(group=group, collection=root, permission=perm)


def sync_roles_after_migrate(sender, **kwargs):
    """post_migrate runs once per app, in INSTALLED_APPS order, each creating its permissions;
    act on the last one, when every app's permissions exist."""
    with_models = [config for config in global_apps.get_app_configs() if config.models_module is not None]
    if sender.label == with_models[-1].label:
        # auth's own receiver for this last app runs after ours (auth is later in INSTALLED_APPS),
        # so create this app's permissions first; create_permissions is idempotent.
        create_permissions(sender, verbosity=0, using=kwargs.get("using", "default"))
        sync_roles()


def has_role(user, role: str) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name=role).exists()
