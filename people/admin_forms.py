"""Wagtail admin forms for people and units: tree placement of units, account creation for ASN."""

from django import forms
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from people import nip as nip_rules
from people.models import UnitKerja


class UnitKerjaForm(WagtailAdminModelForm):
    """Treebeard nodes are placed with ``add_child``/``move``, not by saving a parent field."""

    parent = forms.ModelChoiceField(
        queryset=UnitKerja.objects.all(),
        required=False,
        label=_("parent unit"),
        help_text=_("Leave empty for a top-level agency (instansi)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["parent"].initial = self.instance.get_parent()
            # A unit cannot move below itself.
            self.fields["parent"].queryset = UnitKerja.objects.exclude(path__startswith=self.instance.path)
        self.fields["parent"].label_from_instance = lambda unit: unit.indented_name

    @transaction.atomic
    def save(self, commit=True):
        unit = super().save(commit=False)
        parent = self.cleaned_data.get("parent")
        if unit.pk is None:
            unit = parent.add_child(instance=unit) if parent else UnitKerja.add_root(instance=unit)
        else:
            unit.save()
            current_parent = unit.get_parent()
            if parent != current_parent:
                if parent:
                    unit.move(parent, pos="sorted-child")
                else:
                    unit.move(UnitKerja.get_first_root_node(), pos="sorted-sibling")
            unit.refresh_from_db()
        self.instance = unit
        return unit


class ASNProfileForm(WagtailAdminModelForm):
    """Creates the sign-in account with the profile: username = NIP, password set by the person."""

    email = forms.EmailField(label=_("email"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["email"].initial = self.instance.user.email

    def clean_nip(self):
        return nip_rules.normalise(self.cleaned_data.get("nip", ""))

    def _post_clean(self):
        # The model's clean() needs a user; attach an unsaved one for new profiles.
        if not self.instance.user_id:
            self.instance.user = get_user_model()(username=self.cleaned_data.get("nip") or "")
        super()._post_clean()

    @transaction.atomic
    def save(self, commit=True):
        profile = super().save(commit=False)
        user = profile.user
        if user.pk is None:
            existing = get_user_model().objects.filter(username=profile.nip).first()
            if existing is not None:
                user = existing
            else:
                user.username = profile.nip
                user.set_unusable_password()
        user.email = self.cleaned_data.get("email") or ""
        user.save()
        profile.user = user
        if commit:
            profile.save()
            self.save_m2m()
        return profile
