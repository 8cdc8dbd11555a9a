"""Wagtail admin: the activation-code screen, for Admin BPSDM and supervisors (their unit subtree);
the activation link for staff added in the admin; the account events in the audit log."""

from django.contrib import messages
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from accounts import audit, mail
from accounts.admin_views import ActivationCodesView
from accounts.selectors import method_enabled


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


@hooks.register("register_log_actions")
def register_accounts_log_actions(actions):
    audit.register_log_actions(actions)


@hooks.register("after_create_user")
def staff_get_the_activation_path(request, user):
    """A person added in the admin has no password (``WAGTAILUSERS_PASSWORD_ENABLED`` is off): they
    choose one themselves, through the link mailed now or a code from the Kode Aktivasi screen."""
    if user.has_usable_password() and user.password:
        return
    user.set_unusable_password()
    user.save(update_fields=["password"])
    if user.email and method_enabled("email"):
        mail.send_activation_link(user=user, request=request)
        messages.info(
            request,
            gettext("An activation link was sent to %(email)s: %(name)s chooses their own password with it.")
            % {"email": user.email, "name": user.get_username()},
        )
    else:
        messages.info(
            request,
            gettext("%(name)s has no password yet: give them an activation code (Activation codes).")
            % {"name": user.get_username()},
        )
