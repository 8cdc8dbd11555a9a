"""Activation codes: the alphabet, how a typed code is read, and the keyed digest that is stored."""

import hashlib
import hmac
import secrets

from django.conf import settings

# No 0/O, 1/I/L, 2/Z, 5/S or 8/B: codes are read off paper and typed on a phone.
ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
LENGTH = 8  # 25^8 ≈ 1.5 × 10^11 codes; with throttling and expiry, guessing one is hopeless.
GROUP = 4  # printed as ``ACDE-FGHJ``


def generate() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def printed(code: str) -> str:
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def normalise(typed: str) -> str:
    """A code as typed (any case, with spaces or dashes) as stored: ``acde fghj`` → ``ACDEFGHJ``."""
    return "".join(ch for ch in (typed or "").upper() if ch.isalnum())


def digest(*, user_id: int, code: str) -> str:
    """HMAC-SHA256 of the code, keyed with SECRET_KEY and bound to the account: a copy of the
    database alone does not let anyone recover or try codes, and a code is only good for its person.
    A fast keyed hash rather than a password hasher: codes are random, expire, and tries are throttled,
    and 10,000 of them are made in one request."""
    message = f"{user_id}:{normalise(code)}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()
