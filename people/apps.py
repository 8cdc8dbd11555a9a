"""People: users, ASN profiles, work units and the roles that read them."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("People and units")

    def ready(self):
        # Here, not at the top: people.roles imports models, which exist only once the apps are loaded.
        from people import roles

        # Later apps add permissions; re-apply the role definitions after every migrate.
        post_migrate.connect(roles.sync_roles_after_migrate, dispatch_uid="people.sync_roles")
