"""URLs of the accounts app: activation, password reset, the learner's profile, single sign-on."""

from accounts import oidc

urlpatterns = []

urlpatterns += oidc.urlpatterns
