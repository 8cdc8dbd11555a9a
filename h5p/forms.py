"""The admin form of an H5P content item: the upload is validated completely before anything is saved."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from h5p import packages, services


class H5PContentForm(WagtailAdminModelForm):
    upload = forms.FileField(
        label=_("H5P file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".h5p"}),
        help_text=_(
            "An .h5p file exported with its libraries, e.g. from Lumi (File → Export → H5P). "
            "Uploading a new file replaces the content; a refused file changes nothing."
        ),
    )

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.for_user = for_user
        self.plan = None
        if self.instance.pk is None:
            self.fields["upload"].required = True
        elif self.instance.package:
            self.fields["upload"].help_text = _("Current file: %(name)s. %(help)s") % {
                "name": self.instance.package.name.rsplit("/", 1)[-1],
                "help": self.fields["upload"].help_text,
            }

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if not upload:
            return None
        if not upload.name.lower().endswith((".h5p", ".zip")):
            raise forms.ValidationError(_("Choose a file ending in .h5p."))
        try:
            self.plan = packages.inspect_package(upload)
        except packages.PackageRefused as refused:
            raise forms.ValidationError([forms.ValidationError(message) for message in refused.errors]) from refused
        return upload

    def save(self, commit=True):
        item = super().save(commit=False)
        if not commit:  # pragma: no cover - Wagtail's views always commit
            return item
        try:
            services.content_save(
                item=item, package=self.cleaned_data.get("upload"), plan=self.plan, user=self.for_user
            )
        except packages.PackageRefused as refused:  # pragma: no cover - clean_upload checked it
            raise forms.ValidationError(refused.errors) from refused
        return item

    class Meta:
        fields = ["title", "description"]
