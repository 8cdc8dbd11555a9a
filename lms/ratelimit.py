"""A counter per key in the shared cache (Redis at scale, so every gunicorn process counts together)."""

from django.core.cache import cache


def hit(key: str, *, window: int) -> int:
    """Add one to ``key``'s counter, which lives ``window`` seconds from its first hit; the new count."""
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def client_address(request) -> str:
    return getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR", "")
