"""Single sign-on with an agency's OpenID Connect provider (mozilla-django-oidc), matched to ASN by NIP.

Configured only from the environment (``LMS_OIDC_*``, lms/settings/base.py). The provider's endpoints
are discovered from ``<issuer>/.well-known/openid-configuration`` on the first sign-in, not at startup,
and cached for an hour: a provider that is down stops SSO, never the platform's start or its tests.
Nobody is ever created here: the person the provider vouches for must already be an active account
with an ASN profile holding the NIP of the claim, else they get a refusal page that says why.
"""

import hashlib
import logging

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from accounts import audit
from accounts.models import ActivationCode
from people import nip as nip_rules

logger = logging.getLogger("accounts.oidc")

BACKEND = "accounts.oidc.NIPOIDCBackend"
DISCOVERY_SECONDS = 60 * 60
TIMEOUT_SECONDS = 10


def enabled() -> bool:
    """SSO is on when an issuer and a client id are set and the backend is installed (base.py does
    both from the environment); off, its URLs answer 404 and the sign-in page shows no button."""
    return bool(
        settings.LMS_OIDC_ISSUER and settings.LMS_OIDC_CLIENT_ID and BACKEND in settings.AUTHENTICATION_BACKENDS
    )


def library_setting(attr, *default):
    """What mozilla-django-oidc reads as its ``OIDC_*`` settings, derived from ours at call time: the
    environment names one thing once (``LMS_OIDC_*``), and the choices below are not left open."""
    fixed = {
        "OIDC_RP_CLIENT_ID": settings.LMS_OIDC_CLIENT_ID,
        "OIDC_RP_CLIENT_SECRET": settings.LMS_OIDC_CLIENT_SECRET,
        "OIDC_RP_SCOPES": settings.LMS_OIDC_SCOPES,
        "OIDC_RP_SIGN_ALGO": settings.LMS_OIDC_SIGN_ALGO,
        "OIDC_USE_NONCE": True,
        "OIDC_USE_PKCE": True,
        "OIDC_CREATE_USER": False,
        "OIDC_TIMEOUT": TIMEOUT_SECONDS,
        "OIDC_AUTHENTICATION_CALLBACK_URL": "sso_callback",
        "OIDC_REDIRECT_FIELD_NAME": "next",
    }
    if attr in fixed:
        return fixed[attr]
    return import_from_settings(attr, *default)


class ProviderUnavailable(Exception):
    """The provider's discovery document could not be read or does not describe the issuer."""


def provider_metadata() -> dict:
    """The provider's OpenID configuration, fetched once an hour (per issuer) into the cache."""
    issuer = settings.LMS_OIDC_ISSUER.rstrip("/")
    key = "accounts.oidc.discovery." + hashlib.sha256(issuer.encode()).hexdigest()[:32]
    metadata = cache.get(key)
    if metadata is None:
        try:
            response = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=TIMEOUT_SECONDS)
            response.raise_for_status()
            metadata = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise ProviderUnavailable(f"discovery failed: {exc}") from exc
        needed = ("issuer", "authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri")
        if not isinstance(metadata, dict) or any(not metadata.get(name) for name in needed):
            raise ProviderUnavailable("discovery document lacks an endpoint")
        if str(metadata["issuer"]).rstrip("/") != issuer:
            # OpenID Connect Discovery 1.0, 4.3: the document must be the issuer's own.
            raise ProviderUnavailable(f"discovery document names issuer {metadata['issuer']!r}")
        cache.set(key, metadata, DISCOVERY_SECONDS)
    return metadata


class SSORefused(Exception):
    """The provider vouched for someone this platform will not sign in. Not a ``PermissionDenied``:
    Django's ``authenticate`` would swallow that and count it as a failed password with django-axes,
    and a whole office behind one address could be locked out by colleagues who are not in the roster."""

    def __init__(self, reason: str, *, nip: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.nip = nip


# reason -> (title, explanation, status). The person has just proved who they are to their agency's
# provider: telling them that their own NIP has no profile here reveals nothing to anyone else.
REFUSALS = {
    "no_profile": (
        _("No ASN profile for this NIP"),
        _(
            "Your agency's sign-in service confirmed who you are, but no ASN profile on this platform "
            "has the NIP it sent. No account was created. Ask the BPSDM administrator to check that you "
            "are in the roster, then try again."
        ),
        403,
    ),
    "inactive": (
        _("Account inactive"),
        _("Your account on this platform is inactive. Contact the BPSDM administrator."),
        403,
    ),
    "no_claim": (
        _("The sign-in service sent no NIP"),
        _(
            "Your agency's sign-in service did not send a valid NIP, so you cannot be matched to an ASN "
            "profile. Ask that service's administrator to release the NIP, or sign in with your NIP and "
            "password."
        ),
        403,
    ),
    "cancelled": (
        _("Sign-in cancelled"),
        _("The sign-in at your agency's service was cancelled or refused. Start again from the sign-in page."),
        403,
    ),
    "failed": (
        _("Sign-in could not be completed"),
        _(
            "Single sign-on could not be completed: the link was used already, came from another browser, "
            "or was altered. Start again from the sign-in page."
        ),
        400,
    ),
    "unavailable": (
        _("Sign-in service unreachable"),
        _(
            "Your agency's sign-in service cannot be reached right now. Try again later, or sign in with "
            "your NIP and password."
        ),
        503,
    ),
}


def refused(request, reason: str, *, nip: str = ""):
    title, explanation, status = REFUSALS[reason]
    context = {"title": title, "explanation": explanation, "nip": nip_rules.format_nip(nip) if nip else ""}
    return render(request, "accounts/oidc_refused.html", context, status=status)


def sso_signed_in(*, user) -> None:
    """Record a single sign-on. The first counts as activation (the agency vouched for the person):
    ``activated_at`` is claimed with one conditional UPDATE (two tabs finishing at once activate once),
    open codes are voided and the activation goes into the audit log as the other methods' do."""
    if user.activated_at is None:
        now = timezone.now()
        with transaction.atomic():
            claimed = (
                get_user_model()._default_manager.filter(pk=user.pk, activated_at__isnull=True).update(activated_at=now)
            )
            if claimed:
                user.activated_at = now
                ActivationCode.objects.filter(user_id=user.pk, used_at__isnull=True, voided_at__isnull=True).update(
                    voided_at=now
                )
                audit.log_account_event(user=user, action=audit.ACTIVATED, method="sso")
    logger.info("SSO sign-in: user %s", user.pk)


class NIPOIDCBackend(OIDCAuthenticationBackend):
    """Authenticate through the provider, then find the account by the NIP claim. Never creates one."""

    def __init__(self, *args, **kwargs):
        # The library's __init__ reads every setting at once and refuses when one is missing; Django
        # builds this backend on every request of a signed-in SSO session, so read lazily instead.
        self.UserModel = get_user_model()

    get_settings = staticmethod(library_setting)

    @property
    def OIDC_RP_CLIENT_ID(self):  # noqa: N802 - the library's attribute names
        return settings.LMS_OIDC_CLIENT_ID

    @property
    def OIDC_RP_CLIENT_SECRET(self):  # noqa: N802
        return settings.LMS_OIDC_CLIENT_SECRET

    @property
    def OIDC_RP_SIGN_ALGO(self):  # noqa: N802
        return settings.LMS_OIDC_SIGN_ALGO

    @property
    def OIDC_RP_IDP_SIGN_KEY(self):  # noqa: N802
        return None

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self):  # noqa: N802
        return provider_metadata()["token_endpoint"]

    @property
    def OIDC_OP_USER_ENDPOINT(self):  # noqa: N802
        return provider_metadata()["userinfo_endpoint"]

    @property
    def OIDC_OP_JWKS_ENDPOINT(self):  # noqa: N802
        return provider_metadata()["jwks_uri"]

    def authenticate(self, request, **kwargs):
        if not enabled():
            return None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs):
        """The library checks the signature, expiry and nonce; the ID token must also be this issuer's,
        for this client (OpenID Connect Core 1.0, 3.1.3.7), or a token minted for another site would do."""
        payload = super().verify_token(token, **kwargs)
        if "nonce" in kwargs:  # the ID token (a JWT userinfo answer has no nonce to check)
            issuer = settings.LMS_OIDC_ISSUER.rstrip("/")
            audience = payload.get("aud")
            audiences = audience if isinstance(audience, list) else [audience]
            if str(payload.get("iss", "")).rstrip("/") != issuer or settings.LMS_OIDC_CLIENT_ID not in audiences:
                raise SuspiciousOperation("ID token issued by another provider or for another client")
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if not isinstance(userinfo, dict) or userinfo.get("sub") != payload.get("sub"):
            # OpenID Connect Core 1.0, 5.3.2: the userinfo answer must be about the ID token's subject.
            raise SuspiciousOperation("userinfo subject differs from the ID token's")
        claims = {**payload, **userinfo}
        nip = self.nip_from_claims(claims)
        if not nip:
            logger.warning("SSO refused: no usable %r claim (sub %s)", settings.LMS_OIDC_NIP_CLAIM, claims.get("sub"))
            raise SSORefused("no_claim")
        user = self.UserModel._default_manager.filter(asn_profile__nip=nip).first()
        if user is None:
            logger.warning("SSO refused: no ASN profile for the NIP of sub %s", claims.get("sub"))
            raise SSORefused("no_profile", nip=nip)
        if not user.is_active:
            logger.warning("SSO refused: user %s is inactive", user.pk)
            raise SSORefused("inactive")
        return user

    @staticmethod
    def nip_from_claims(claims: dict) -> str:
        """The claim's NIP as stored (18 digits, separators dropped as the sign-in form does), or ''."""
        value = claims.get(settings.LMS_OIDC_NIP_CLAIM)
        if value is None or isinstance(value, bool | dict | list):
            return ""
        value = str(value).strip()
        return nip_rules.normalise(value) if nip_rules.looks_like_identity_number(value) else ""

    def filter_users_by_claims(self, claims):
        return self.UserModel._default_manager.none()

    def create_user(self, claims):
        raise SSORefused("no_profile")

    def get_user(self, user_id):
        # ModelBackend's: an account made inactive after signing in is signed out on its next request.
        user = self.UserModel._default_manager.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None


class SSOStartView(OIDCAuthenticationRequestView):
    """Send the browser to the provider, with state, nonce and PKCE kept in the session."""

    get_settings = staticmethod(library_setting)

    def __init__(self, *args, **kwargs):
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)
        self.OIDC_RP_CLIENT_ID = settings.LMS_OIDC_CLIENT_ID

    def get(self, request):
        if not enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider_metadata()["authorization_endpoint"]
        except ProviderUnavailable as exc:
            logger.warning("SSO unavailable: %s", exc)
            return refused(request, "unavailable")
        return super().get(request)


class SSOCallbackView(OIDCAuthenticationCallbackView):
    """The provider's answer: sign in the matched person, or say why not. Never a 500."""

    get_settings = staticmethod(library_setting)

    def get(self, request):
        if not enabled():
            raise Http404
        try:
            return super().get(request)
        except SSORefused as refusal:
            return refused(request, refusal.reason, nip=refusal.nip)
        except ProviderUnavailable as exc:
            logger.warning("SSO unavailable: %s", exc)
            return refused(request, "unavailable")
        except SuspiciousOperation as exc:
            # A state not issued to this browser, a replayed one, a bad signature, nonce or audience.
            logger.warning("SSO refused: %s", exc)
            return refused(request, "failed")
        except jwt.PyJWTError as exc:
            logger.warning("SSO refused: ID token rejected: %s", exc)
            return refused(request, "failed")
        except requests.RequestException as exc:
            # The token or userinfo endpoint refused the code (used, expired, forged) or did not answer.
            logger.warning("SSO failed at the provider: %s", exc)
            return refused(request, "failed")
        except (KeyError, TypeError, ValueError):
            # An answer of the provider shaped otherwise than the specification says (a key set
            # without "kid", a token answer that is not an object): its fault, not the person's.
            logger.exception("SSO failed: unexpected answer from the provider")
            return refused(request, "failed")

    def login_failure(self):
        if self.request.GET.get("error"):
            return refused(self.request, "cancelled")
        return refused(self.request, "failed")

    def login_success(self):
        sso_signed_in(user=self.user)
        return super().login_success()
