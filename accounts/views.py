"""Activation of an imported account with a one-time code: NIP and code, then a password of one's own."""

import time

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.forms import SetPasswordForm
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from accounts import selectors, throttle
from accounts.forms import ActivationForm
from accounts.models import ActivationCode
from accounts.services import activation_complete

SESSION_KEY = "accounts.activation"
STEP_SECONDS = 15 * 60  # time to choose a password once the code has been checked


class ActivationView(View):
    template_name = "accounts/activation.html"

    def get(self, request):
        return render(request, self.template_name, {"form": ActivationForm()})

    def post(self, request):
        form = ActivationForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form})
        login_typed = form.cleaned_data["login"]
        if not throttle.activation_allowed(request, login_typed):
            form.add_error(None, _("Too many tries. Wait 15 minutes and try again, or ask your office."))
            return render(request, self.template_name, {"form": form}, status=429)
        user = selectors.account_for_activation(login_typed)
        code = selectors.matching_code(user=user, typed_code=form.cleaned_data["code"])
        problem = self.problem(user, code)
        if problem:
            if code is None:
                throttle.record_failure(request, login_typed)
            form.add_error(None, problem)
            return render(request, self.template_name, {"form": form})
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


class ActivationPasswordView(View):
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
        login(request, user, backend="people.auth.NIPOrUsernameBackend")
        messages.success(request, _("Your account is active. Welcome!"))
        return redirect("dashboard")
