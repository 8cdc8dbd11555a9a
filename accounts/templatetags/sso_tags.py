"""``{% sso_enabled as sso %}``: whether the sign-in page offers single sign-on (accounts/oidc.py)."""

from django import template

from accounts import oidc

register = template.Library()


@register.simple_tag
def sso_enabled() -> bool:
    return oidc.enabled()
