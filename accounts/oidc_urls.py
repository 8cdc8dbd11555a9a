"""URLs of single sign-on (accounts/oidc.py): they answer 404 while SSO is not configured."""

from django.urls import path

from accounts import oidc

urlpatterns = [
    path("sso/masuk/", oidc.SSOStartView.as_view(), name="sso_start"),
    # The address to register at the provider as the redirect URI: <site>/sso/callback/.
    path("sso/callback/", oidc.SSOCallbackView.as_view(), name="sso_callback"),
]
