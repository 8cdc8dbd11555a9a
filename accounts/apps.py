"""Accounts: the first sign-in (activation) of people imported from the roster."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")
    role_permissions = {
        # A supervisor hands out activation codes for the people of their unit subtree.
        "Supervisor": ["accounts.generate_activation_codes"],
    }
