"""Forms of the people app: sign-in with NIP or username."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class SignInForm(AuthenticationForm):
    username = forms.CharField(
        label=_("NIP or username"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "inputmode": "text", "autocapitalize": "none"}
        ),
        help_text=_("An NIP may be typed with spaces, e.g. 19860926 201505 1 001."),
    )

    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _("The NIP/username or password is wrong. Note that the password is case-sensitive."),
        "inactive": _("This account is inactive. Contact the BPSDM administrator."),
    }
