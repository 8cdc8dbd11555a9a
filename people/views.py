"""Sign-in, sign-out and the learner's landing page."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse_lazy

from people.forms import SignInForm


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    next_page = reverse_lazy("login")


@login_required
def dashboard(request):
    profile = getattr(request.user, "asn_profile", None)
    return render(request, "people/dashboard.html", {"profile": profile})
