"""Wagtail admin screen: generate activation codes for the people of a unit subtree, as an XLSX list
or a PDF of slips (accounts/sheets.py)."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from accounts import sheets
from accounts.selectors import method_enabled
from accounts.services import activation_codes_generate, activation_links_send
from lms.scoping import scope_for
from people.models import ASNProfile, UnitKerja

SHEETS = {
    "xlsx": (sheets.xlsx, sheets.XLSX_CONTENT_TYPE),
    "pdf": (sheets.pdf_slips, sheets.PDF_CONTENT_TYPE),
}


def can_generate_codes(user) -> bool:
    return user.is_active and user.has_perm("accounts.generate_activation_codes") and not scope_for(user).is_empty


class ActivationCodeForm(forms.Form):
    unit = forms.ModelChoiceField(
        queryset=UnitKerja.objects.none(),
        label=_("work unit (with sub-units)"),
        help_text=_("Codes are made for everyone in this unit and the units below it who has not activated yet."),
    )
    days = forms.IntegerField(label=_("valid for (days)"), min_value=1, max_value=180)
    sheet_format = forms.ChoiceField(
        label=_("sheet"),
        choices=[
            ("pdf", _("PDF: slips to print and cut, ten per page")),
            ("xlsx", _("XLSX: a list, one row per person")),
        ],
        initial="pdf",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = UnitKerja.objects.filter(scope_for(user).units()).order_by("path")
        self.fields["days"].initial = settings.LMS_ACTIVATION_CODE_DAYS


def people_to_activate(*, user, unit: UnitKerja):
    """Profiles in ``user``'s scope, in ``unit``'s subtree, whose account is active and not yet activated."""
    return (
        ASNProfile.objects.filter(scope_for(user).people())
        .filter(unit__path__startswith=unit.path, user__is_active=True, user__activated_at__isnull=True)
        .order_by("unit__path", "full_name")
    )


class ActivationCodesView(WagtailAdminTemplateMixin, FormView):
    """GET: the form. POST: new codes (earlier ones voided) and the sheet to print, in one response."""

    template_name = "accounts/activation_codes.html"
    form_class = ActivationCodeForm
    page_title = _("Activation codes")
    header_icon = "key"

    def dispatch(self, request, *args, **kwargs):
        if not can_generate_codes(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "email_method": method_enabled("email")}

    def form_valid(self, form):
        unit = form.cleaned_data["unit"]
        if self.request.POST.get("action") == "email":
            return self.send_links(form, unit)
        rows = list(
            people_to_activate(user=self.request.user, unit=unit).values_list(
                "user_id", "nip", "full_name", "unit__name"
            )
        )
        if not rows:
            form.add_error(None, gettext("Everyone in this unit has already activated their account."))
            return self.form_invalid(form)
        issued = activation_codes_generate(
            user_ids=[row[0] for row in rows],
            created_by=self.request.user,
            days=form.cleaned_data["days"],
            unit=form.cleaned_data["unit"],
        )
        extension = form.cleaned_data["sheet_format"]
        build, content_type = SHEETS[extension]
        activation_url = self.request.build_absolute_uri(reverse("activation_start"))
        response = HttpResponse(build(rows, issued, activation_url=activation_url), content_type=content_type)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="kode-aktivasi-{unit.code}-{stamp}.{extension}"'
        response["Cache-Control"] = "no-store"
        return response

    def send_links(self, form, unit):
        """Mail an activation link to everyone of the subtree not yet activated who has an email; the
        others still need a code, and the message says how many."""
        if not method_enabled("email"):
            raise PermissionDenied
        people = people_to_activate(user=self.request.user, unit=unit)
        users = [profile.user for profile in people.exclude(user__email="").select_related("user")]
        without_email = people.filter(user__email="").count()
        if not users:
            form.add_error(None, gettext("Nobody left to activate in this unit has an email address: give them codes."))
            return self.form_invalid(form)
        sent = activation_links_send(users=users, unit=unit, by=self.request.user, request=self.request)
        messages.success(
            self.request,
            ngettext(
                "An activation link was sent to %(count)s person.",
                "An activation link was sent to %(count)s people.",
                sent,
            )
            % {"count": formats.number_format(sent, force_grouping=True)},
        )
        if without_email:
            messages.warning(
                self.request,
                ngettext(
                    "%(count)s person has no email address: give them a code.",
                    "%(count)s people have no email address: give them codes.",
                    without_email,
                )
                % {"count": formats.number_format(without_email, force_grouping=True)},
            )
        return redirect(self.request.path)
