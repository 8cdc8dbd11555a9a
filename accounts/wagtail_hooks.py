"""Wagtail admin: the activation-code screen, for Admin BPSDM and supervisors (their unit subtree)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from accounts.admin_views import ActivationCodesView


class ActivationCodesMenuItem(MenuItem):
    def is_shown(self, request):
        # The permission only (already loaded with the user's rights): the menu is on every admin page,
        # and the scope's query is left to the screen itself, which refuses an empty scope.
        user = request.user
        return user.is_active and user.has_perm("accounts.generate_activation_codes")


class ActivationCodesViewSet(ViewSet):
    name = "activation_codes"
    url_prefix = "accounts/activation-codes"
    icon = "key"
    menu_label = _("Activation codes")
    menu_item_class = ActivationCodesMenuItem
    add_to_admin_menu = True
    menu_order = 310

    def get_urlpatterns(self):
        return [path("", ActivationCodesView.as_view(), name="index")]


@hooks.register("register_admin_viewset")
def register_activation_codes():
    return ActivationCodesViewSet()
