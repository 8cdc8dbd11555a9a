import pytest

from tests.factories import ASNProfileFactory


@pytest.fixture
def imported():
    """An ASN as the roster import leaves them: an unusable password, never activated."""
    profile = ASNProfileFactory(full_name="Siti Rahmā, S.E., M.Si.")
    user = profile.user
    user.set_unusable_password()
    user.activated_at = None
    user.save()
    return profile
