"""Sign-in and sign-out (the learner's dashboard lives in courses/views.py)."""

from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from people.forms import SignInForm


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    next_page = reverse_lazy("login")
