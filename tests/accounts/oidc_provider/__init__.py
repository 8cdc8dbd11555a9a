"""A tiny OpenID Connect provider (django-oidc-provider) run in its own process by the SSO tests."""
