"""Getting into an account: activation with a one-time code (NIP and code, then a password of one's
own) or an emailed link, and *Lupa kata sandi* (a reset or activation link sent to the recorded email)."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View

from accounts import selectors, services, throttle
from accounts.forms import ActivationForm, EmailChangeForm, ProfileForm, RecoveryForm
from accounts.models import ActivationCode
from accounts.selectors import method_enabled
from accounts.services import activation_complete
from accounts.tokens import activation_token
from courses.selectors import current_year, jp_by_year
from people.models import ASNProfile

SESSION_KEY = "accounts.activation"
STEP_SECONDS = 15 * 60  # time to choose a password once the code has been checked
BACKEND = "people.auth.NIPOrUsernameBackend"


class CodeMethodRequired:
    """With codes switched off, "first time here?" leads to the emailed link (or nowhere)."""

    def dispatch(self, request, *args, **kwargs):
        if not method_enabled("code"):
            if method_enabled("email"):
                return redirect("password_reset")
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class ActivationView(CodeMethodRequired, View):
    template_name = "accounts/activation.html"

    def page(self, request, form, status=200):
        context = {"form": form, "email_method": method_enabled("email")}
        return render(request, self.template_name, context, status=status)

    def get(self, request):
        return self.page(request, ActivationForm())

    def post(self, request):
        form = ActivationForm(request.POST)
        if not form.is_valid():
            return self.page(request, form)
        login_typed = form.cleaned_data["login"]
        if not throttle.activation_allowed(request, login_typed):
            form.add_error(None, _("Too many tries. Wait 15 minutes and try again, or ask your office."))
            return self.page(request, form, status=429)
        user = selectors.account_for_activation(login_typed)
        code = selectors.matching_code(user=user, typed_code=form.cleaned_data["code"])
        problem = self.problem(user, code)
        if problem:
            if code is None:
                throttle.record_failure(request, login_typed)
            form.add_error(None, problem)
            return self.page(request, form)
        request.session[SESSION_KEY] = {"user": user.pk, "code": code.pk, "at": int(time.time())}
        return redirect("activation_password")

    @staticmethod
    def problem(user, code: ActivationCode | None) -> str:
        # Unknown NIP and wrong code get the same words: nothing tells whether an NIP exists. The
        # other answers go only to someone holding that person's code.
        if user is None or code is None:
            return _("The NIP and activation code do not match. Check both and try again.")
        if user.activated_at is not None:
            return _(
                "This account is already active. Sign in; if you forgot your password, ask the BPSDM administrator."
            )
        if not user.is_active:
            return _("This account is inactive. Contact the BPSDM administrator.")
        if code.used_at is not None or code.voided_at is not None:
            return _("This code has been used or replaced by a newer one. Ask your office for a new code.")
        if code.expires_at <= timezone.now():
            return _("This code has expired. Ask your office for a new code.")
        return ""


class ActivationPasswordView(CodeMethodRequired, View):
    template_name = "accounts/activation_password.html"

    def pending(self, request):
        step = request.session.get(SESSION_KEY)
        if not step or time.time() - step.get("at", 0) > STEP_SECONDS:
            return None, None
        user = get_user_model()._default_manager.filter(pk=step["user"], is_active=True).first()
        return user, step["code"]

    def get(self, request):
        user, _code = self.pending(request)
        if user is None:
            messages.error(request, _("Enter your NIP and activation code first."))
            return redirect("activation_start")
        return render(request, self.template_name, {"form": SetPasswordForm(user)})

    def post(self, request):
        user, code_id = self.pending(request)
        if user is None:
            messages.error(request, _("Enter your NIP and activation code first."))
            return redirect("activation_start")
        form = SetPasswordForm(user, request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form})
        if not activation_complete(user=user, code_id=code_id, password=form.cleaned_data["new_password1"]):
            request.session.pop(SESSION_KEY, None)
            messages.error(
                request, _("This code has been used or replaced by a newer one. Ask your office for a new code.")
            )
            return redirect("activation_start")
        request.session.pop(SESSION_KEY, None)
        login(request, user, backend=BACKEND)
        messages.success(request, _("Your account is active. Welcome!"))
        return redirect("dashboard")


class RecoveryView(View):
    """*Lupa kata sandi?*: one answer whatever was typed, so the page never tells whether an NIP or
    an address is known."""

    template_name = "accounts/recovery.html"

    def get(self, request):
        return render(request, self.template_name, {"form": RecoveryForm()})

    def post(self, request):
        form = RecoveryForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form})
        if not throttle.recovery_address_allowed(request):
            form.add_error(None, _("Too many requests from this connection. Wait an hour and try again."))
            return render(request, self.template_name, {"form": form}, status=429)
        services.recovery_links_send(identity=form.cleaned_data["identity"], request=request)
        return redirect("password_reset_done")


class RecoveryDoneView(View):
    def get(self, request):
        return render(
            request,
            "accounts/recovery_done.html",
            {"reset_hours": settings.PASSWORD_RESET_TIMEOUT // 3600, "code_method": method_enabled("code")},
        )


class ActiveAccountLink:
    """A link mailed to a person stops working when the person is deactivated."""

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None


class PasswordResetConfirmView(ActiveAccountLink, auth_views.PasswordResetConfirmView):
    """Django's reset step (the token moves out of the address before the form shows), signing the
    person in afterwards."""

    template_name = "accounts/password_reset_confirm.html"
    reset_url_token = "kata-sandi-baru"  # noqa: S105 (the placeholder Django puts in the address)
    post_reset_login = True
    post_reset_login_backend = BACKEND
    success_url = reverse_lazy("dashboard")

    @transaction.atomic
    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_reset_recorded(user=form.user)
        messages.success(self.request, _("Your password has been changed. You are signed in."))
        return response


class ActivationLinkView(ActiveAccountLink, auth_views.PasswordResetConfirmView):
    """Activation through the emailed link: Django's reset step with the activation token."""

    template_name = "accounts/activation_link.html"
    token_generator = activation_token
    reset_url_token = "aktifkan"  # noqa: S105 (the placeholder Django puts in the address)

    def dispatch(self, *args, **kwargs):
        if not method_enabled("email"):
            raise Http404
        return super().dispatch(*args, **kwargs)

    def form_valid(self, form):
        user = form.user
        self.request.session.pop(auth_views.INTERNAL_RESET_SESSION_TOKEN, None)
        if not services.activation_by_link_complete(user=user, password=form.cleaned_data["new_password1"]):
            messages.error(self.request, _("This account is already active. Sign in with your password."))
            return redirect("login")
        login(self.request, user, backend=BACKEND)
        messages.success(self.request, _("Your account is active. Welcome!"))
        return redirect("dashboard")


class ProfileView(LoginRequiredMixin, View):
    """Profil Saya: the ASN data as imported (read-only), contact details and language the person
    may change, their password and their JP year by year."""

    template_name = "accounts/profile.html"

    def context(self, request, **forms):
        user = request.user
        profile = ASNProfile.objects.select_related("unit").filter(user_id=user.pk).first()
        jp_years = jp_by_year(user=user)
        this_year = current_year()
        return {
            "profile": profile,
            "jp_years": jp_years,
            "jp_this_year": next((row["jp"] for row in jp_years if row["year"] == this_year), 0),
            "this_year": this_year,
            "jp_target": settings.LMS_ANNUAL_JP_TARGET,
            "profile_form": forms.get("profile_form")
            or ProfileForm(
                initial={"phone": profile.phone if profile else "", "language": user.language or get_language()}
            ),
            "email_form": forms.get("email_form") or EmailChangeForm(user=user),
        }

    def get(self, request):
        return render(request, self.template_name, self.context(request))

    def post(self, request):
        form = ProfileForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, self.context(request, profile_form=form))
        language = form.cleaned_data["language"]
        services.profile_update(user=request.user, phone=form.cleaned_data["phone"], language=language)
        with translation.override(language):
            messages.success(request, _("Your profile has been saved."))
        response = redirect("profile")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600, samesite="Lax")
        return response


class EmailChangeView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        form = EmailChangeForm(request.POST, user=request.user)
        if not form.is_valid():
            return render(request, ProfileView.template_name, ProfileView().context(request, email_form=form))
        new_email = form.cleaned_data["email"]
        if services.email_change_request(user=request.user, new_email=new_email, request=request):
            messages.success(
                request,
                _("We sent a link to %(email)s. Your email changes once you open it.") % {"email": new_email},
            )
        else:
            messages.error(request, _("Too many emails for this account. Wait an hour and try again."))
        return redirect("profile")


class EmailChangeConfirmView(LoginRequiredMixin, View):
    """The link from the confirmation email: it shows what will change; the POST changes it."""

    template_name = "accounts/email_change_confirm.html"

    def get(self, request, token):
        new_email = services.email_change_pending(user=request.user, token=token)
        return render(request, self.template_name, {"new_email": new_email}, status=200 if new_email else 400)

    def post(self, request, token):
        if services.email_change_confirm(user=request.user, token=token, request=request):
            messages.success(request, _("Your email address is now %(email)s.") % {"email": request.user.email})
            return redirect("profile")
        return render(request, self.template_name, {"new_email": None}, status=400)
