"""Wagtail admin screen for the roster import: upload form, result page and template downloads."""

import os

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from people import roster
from people.roster import COLUMNS, instructions, template_csv, template_xlsx
from people.services import roster_import

ALLOWED_EXTENSIONS = (".csv", ".xlsx")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def can_import_roster(user) -> bool:
    """Importing creates and changes ASN profiles, so it needs both permissions (Admin BPSDM has them)."""
    return user.is_active and user.has_perms(["people.add_asnprofile", "people.change_asnprofile"])


class RosterPermissionMixin:
    def dispatch(self, request, *args, **kwargs):
        if not can_import_roster(request.user):
            raise PermissionDenied  # the admin turns this into a redirect with a message
        return super().dispatch(request, *args, **kwargs)


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Roster file"),
        help_text=_("CSV (UTF-8, separated by commas or semicolons) or XLSX."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv," + XLSX_CONTENT_TYPE}),
    )
    dry_run = forms.BooleanField(
        label=_("Only check the file; write nothing"),
        required=False,
        help_text=_("Shows every error, or how many people would be created and updated."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        extension = os.path.splitext(upload.name or "")[1].lower()
        if extension not in ALLOWED_EXTENSIONS:
            raise forms.ValidationError(
                gettext("Upload a .csv or .xlsx file; this one is %(name)s.") % {"name": upload.name}
            )
        if upload.size > roster.limits.MAX_FILE_BYTES:
            raise forms.ValidationError(
                gettext("The file is larger than %(limit)s MB. Split the roster into several files.")
                % {"limit": roster.megabytes(roster.limits.MAX_FILE_BYTES)}
            )
        return upload


class RosterImportView(RosterPermissionMixin, WagtailAdminTemplateMixin, FormView):
    """GET: the upload form and the column guide. POST: validate and import, then show the result."""

    template_name = "people/roster_import.html"
    form_class = RosterUploadForm
    page_title = _("Import ASN")
    header_icon = "upload"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(columns=COLUMNS, instructions=instructions())
        return context

    def form_valid(self, form):
        result = roster_import(file=form.cleaned_data["file"], dry_run=form.cleaned_data["dry_run"])
        # A fresh form below the result: a file input cannot be refilled anyway.
        return self.render_to_response(self.get_context_data(form=self.form_class(), result=result))


class RosterTemplateView(RosterPermissionMixin, View):
    """The roster template, with the header row and an example row (XLSX: and an instructions sheet)."""

    file_format = "csv"

    def get(self, request):
        if self.file_format == "xlsx":
            response = HttpResponse(template_xlsx(), content_type=XLSX_CONTENT_TYPE)
        else:
            response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="templat-impor-asn.{self.file_format}"'
        return response
