"""Single sign-on through OpenID Connect: off unless configured from the environment."""

urlpatterns = []
