"""Platform middleware: the language, security headers (CSP, Permissions-Policy), learner session expiry."""

import time

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class DefaultLanguageMiddleware:
    """Activate the language from the language cookie, else ``LANGUAGE_CODE``.

    Django's LocaleMiddleware would follow the browser's Accept-Language header, which on most
    phones sold here says English; the platform is Indonesian first, so only an explicit choice
    (the language switcher, which sets the cookie) changes it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        patch_vary_headers(response, ["Cookie"])
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the Wagtail admin's own policy (``LMS_ADMIN_CSP``) under
    ``LMS_ADMIN_PATH_PREFIX``. A response that already has a Content-Security-Policy header keeps it
    untouched: django-csp writes the header only when there is none (the H5P content routes set a
    sandbox policy of their own), and ``csp_exempt`` responses get none."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and request.path_info.startswith(settings.LMS_ADMIN_PATH_PREFIX):
            parts.config = settings.LMS_ADMIN_CSP
        return parts


def permissions_policy_header(policy: dict[str, list[str]]) -> str:
    """``{"camera": [], "fullscreen": ["self", "https://x"]}`` → ``camera=(), fullscreen=(self "https://x")``."""

    def origin(value: str) -> str:
        return value if value in {"self", "*"} else f'"{value}"'

    return ", ".join(
        f"{feature}=({' '.join(origin(value) for value in allowed)})" for feature, allowed in policy.items()
    )


class PermissionsPolicyMiddleware:
    """Send ``PERMISSIONS_POLICY`` as the Permissions-Policy header, unless a view set its own."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy_header(settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


# --- learner sessions: short idle expiry on shared office computers ------------------------------

IDLE_SESSION_KEY = "_lms_idle_seconds"
SEEN_SESSION_KEY = "_lms_seen"


def learner_idle_seconds(user) -> int:
    """The idle expiry for this person's sessions: ``LMS_SESSION_IDLE_MINUTES`` for a learner,
    0 (Django's ``SESSION_COOKIE_AGE``) for anyone who may open the Wagtail admin."""
    minutes = settings.LMS_SESSION_IDLE_MINUTES
    if minutes <= 0 or user.is_superuser or user.has_perm("wagtailadmin.access_admin"):
        return 0
    return minutes * 60


def start_learner_session(sender, request, user, **kwargs):
    """``user_logged_in``: decide once, at sign-in, whether this session expires when idle."""
    session = getattr(request, "session", None)
    if session is None:
        return
    seconds = learner_idle_seconds(user)
    if seconds:
        session[IDLE_SESSION_KEY] = seconds
        session[SEEN_SESSION_KEY] = int(time.time())
        session.set_expiry(seconds)


class LearnerSessionIdleMiddleware:
    """Keep a learner's idle expiry sliding: each request moves the end of the session to
    ``LMS_SESSION_IDLE_MINUTES`` from now. The session is written at most once a minute (or once a
    tenth of the idle time), not on every request, so pages cost no extra query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        seconds = session.get(IDLE_SESSION_KEY) if session is not None else None
        if seconds:
            now = int(time.time())
            if now - session.get(SEEN_SESSION_KEY, 0) >= min(60, max(seconds // 10, 1)):
                session[SEEN_SESSION_KEY] = now
                session.set_expiry(seconds)
        return self.get_response(request)
