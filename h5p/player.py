"""The isolated H5P player: signed file tokens, the player document's headers, and its address.

Package code (a trainer's upload) must never run with the viewer's session. The lesson page
therefore shows each item in an ``<iframe sandbox="allow-scripts allow-forms">`` WITHOUT
``allow-same-origin``, whose document (``views.player_page``) is also served with
``Content-Security-Policy: sandbox allow-scripts allow-forms``: it runs in an opaque origin
("null"), so it can read neither the page, nor the cookies, nor storage of the LMS, and its requests to the LMS carry no session cookie (it is
cross-site to everything, and the LMS's cookies are SameSite=Lax) and an ``Origin: null`` that
Django's CSRF check refuses.

Such a frame cannot prove who it is with cookies, so the package files it loads are authorised by
a token in the URL path (``/h5p/<id>/v/<version>/t/<token>/<path>``): an HMAC (``SECRET_KEY``)
over the user, the item, its version, the user's session hash (a password change or sign-out of
all sessions ends it) and a time window. In the path, not the query, so that the relative URLs
inside library CSS (fonts, images) keep it. The window is an hour, so the URLs of one item stay
the same for a while and the browser's cache works; a token is accepted for
``H5P_FILE_TOKEN_HOURS`` (default 4) after its window starts. Every file request re-checks that
the user may still open the item, so a withdrawn enrolment takes effect at once.

The frame talks to the page only by ``postMessage``; the page (``h5p-player.js``) validates
sender and shape, and it alone sends the learner's xAPI statements and saved state, with its
own CSRF token (see docs/h5p.md, "Isolation").
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

SIGNING_SALT = "h5p.player.file-token"
WINDOW_SECONDS = 3600


def max_age_seconds() -> int:
    return int(getattr(settings, "H5P_FILE_TOKEN_HOURS", 4) * 3600)


def _signature(*, user, item_id: int, version: str, window: int) -> str:
    message = f"{user.pk}:{item_id}:{version}:{window}:{user.get_session_auth_hash()}"
    return salted_hmac(SIGNING_SALT, message, algorithm="sha256").hexdigest()[:40]


def file_token(*, user, item, now: float | None = None) -> str:
    """A token for ``user`` to fetch the files of ``item`` at its current version."""
    window = int((now if now is not None else time.time()) // WINDOW_SECONDS)
    return f"{user.pk}-{window}-{_signature(user=user, item_id=item.pk, version=item.version, window=window)}"


def token_user(token: str, *, item_id: int, version: str, now: float | None = None):
    """The active user a valid, unexpired token for this item version names, else None. One query."""
    try:
        user_id, window, signature = token.split("-")
        user_id, window = int(user_id), int(window)
    except ValueError:
        return None
    now = now if now is not None else time.time()
    started = window * WINDOW_SECONDS
    if started > now or now - started > max_age_seconds():
        return None
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return None
    expected = _signature(user=user, item_id=item_id, version=version, window=window)
    return user if constant_time_compare(signature, expected) else None


def content_origin() -> str:
    """``H5P_CONTENT_ORIGIN`` (e.g. ``https://h5p.lms.example``): serve the player from another
    origin as well as in a sandbox. Empty: the LMS's own host (still an opaque, sandboxed origin)."""
    return (getattr(settings, "H5P_CONTENT_ORIGIN", "") or "").rstrip("/")


def files_base(*, item, token: str) -> str:
    return reverse("h5p:token_file", args=[item.pk, item.version, token, "h5p.json"]).removesuffix("/h5p.json")


def player_url(*, item, token: str) -> str:
    return content_origin() + reverse("h5p:player", args=[item.pk, item.version, token])


def frame_ancestors() -> str:
    """Who may frame the player: the LMS itself (and its configured origins when the player has
    an origin of its own)."""
    sources = ["'self'"]
    if content_origin():
        sources += list(getattr(settings, "CSRF_TRUSTED_ORIGINS", []))
    return " ".join(sources)


def player_csp(*, origin: str) -> str:
    """The player document's policy: a sandbox without same-origin (the isolation), and requests
    only to the LMS itself (no data sent elsewhere by package code, nothing fetched from a CDN).

    Script may be inline and eval'd: H5P core writes its content frames with inline script, and
    the sandbox, not the script policy, is what keeps package code away from the LMS session.
    """
    own = f"'self' {origin}".strip()
    return "; ".join(
        [
            "sandbox allow-scripts allow-forms",
            "default-src 'none'",
            f"script-src {own} 'unsafe-inline' 'unsafe-eval'",
            f"style-src {own} 'unsafe-inline'",
            f"img-src {own} data: blob:",
            f"media-src {own} data: blob:",
            f"font-src {own} data:",
            f"connect-src {own}",
            "frame-src 'self' blob: data:",
            "form-action 'none'",
            "base-uri 'none'",
            f"frame-ancestors {frame_ancestors()}",
        ]
    )
