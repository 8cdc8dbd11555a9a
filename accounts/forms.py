"""Forms of the accounts app."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ActivationForm(forms.Form):
    login = forms.CharField(
        label=_("NIP"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none", "autofocus": True}),
        help_text=_("An NIP may be typed with spaces, e.g. 19860926 201505 1 001."),
    )
    code = forms.CharField(
        label=_("Activation code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}),
        help_text=_("The code on the slip you received from your office, e.g. ACDE-FGHJ."),
    )


class RecoveryForm(forms.Form):
    identity = forms.CharField(
        label=_("NIP or email"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none", "autofocus": True}),
        help_text=_("Your NIP (any spacing) or the email address recorded for you."),
    )
