"""The emails of the accounts app: an activation link and a password-reset link, in the reader's language.

Sent in the request for now; issue 16's task queue takes them off it."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.tokens import activation_token


def _link(request, url_name: str, *, user, token: str) -> str:
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    return request.build_absolute_uri(reverse(url_name, kwargs={"uidb64": uidb64, "token": token}))


def _message(*, user, template: str, context: dict, to: str | None = None) -> EmailMessage:
    """Rendered in the language the person chose on Profil Saya, else the page's."""
    profile = getattr(user, "asn_profile", None)
    context = {
        "name": profile.full_name if profile else (user.get_full_name() or user.get_username()),
        "site_name": settings.WAGTAIL_SITE_NAME,
        **context,
    }
    with translation.override(user.language or translation.get_language()):
        subject = render_to_string(f"accounts/email/{template}_subject.txt", context)
        body = render_to_string(f"accounts/email/{template}_body.txt", context)
    return EmailMessage(" ".join(subject.split()), body, to=[to or user.email])


def _send(**kwargs) -> None:
    _message(**kwargs).send()


def _activation_message(*, user, request) -> EmailMessage:
    return _message(
        user=user,
        template="activation",
        context={
            "link": _link(request, "activation_link", user=user, token=activation_token.make_token(user)),
            "hours": settings.LMS_ACTIVATION_LINK_HOURS,
        },
    )


def send_activation_link(*, user, request) -> None:
    _activation_message(user=user, request=request).send()


def send_activation_links(*, users, request) -> int:
    """One activation link to each of ``users`` (profiles loaded), over one mail connection."""
    messages = [_activation_message(user=user, request=request) for user in users]
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0


def send_password_reset_link(*, user, request) -> None:
    _send(
        user=user,
        template="password_reset",
        context={
            "link": _link(request, "password_reset_confirm", user=user, token=default_token_generator.make_token(user)),
            "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        },
    )


def send_email_change_link(*, user, new_email: str, token: str, request) -> None:
    link = request.build_absolute_uri(reverse("profile_email_confirm", kwargs={"token": token}))
    _send(
        user=user,
        template="email_change",
        to=new_email,
        context={"link": link, "new_email": new_email, "hours": settings.LMS_ACTIVATION_LINK_HOURS},
    )


def send_email_changed_notice(*, user, old_email: str, request) -> None:
    """To the address just replaced: if the change was not the person's doing, they learn of it."""
    _send(
        user=user,
        template="email_changed",
        to=old_email,
        context={"new_email": user.email, "profile_url": request.build_absolute_uri(reverse("profile"))},
    )
