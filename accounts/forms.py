"""Forms of the accounts app."""

import re

from django import forms
from django.conf import settings
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


PHONE_PATTERN = re.compile(r"^(?:\+62|62|0)8\d{7,12}$")


class ProfileForm(forms.Form):
    """What a learner may change on Profil Saya themselves (the ASN data come from the roster)."""

    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        help_text=_("For example 0812 3456 7890 or +62 812 3456 7890."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    def clean_phone(self):
        phone = re.sub(r"[\s().-]", "", self.cleaned_data["phone"])
        if phone and not PHONE_PATTERN.match(phone):
            raise forms.ValidationError(_("Enter an Indonesian mobile number, e.g. 0812 3456 7890."))
        if phone.startswith("62"):
            phone = "+" + phone
        return phone


class EmailChangeForm(forms.Form):
    email = forms.EmailField(
        label=_("New email address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We send a link to the new address; the change applies once you open it."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if email.lower() == (self.user.email or "").lower():
            raise forms.ValidationError(_("That is already your email address."))
        return email
