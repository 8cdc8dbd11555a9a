"""Where a ``next`` parameter may send someone: only to this site (never an open redirect)."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request, candidate: str | None) -> str:
    """``candidate`` if it points at this site (a path, or an absolute URL on an allowed host with the
    request's scheme), else ``""``. Rejects ``https://evil…``, ``//evil…``, ``\\\\evil``, ``/\\evil``,
    ``javascript:`` and control characters, as Django's own sign-in view does."""
    if not candidate:
        return ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""
