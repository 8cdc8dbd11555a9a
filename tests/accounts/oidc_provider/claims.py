"""The "nip" scope: releases the person's NIP as the "nip" claim, as an agency directory would."""

from oidc_provider.lib.claims import ScopeClaims

from tests.accounts.oidc_provider.people import ACCOUNTS


class NIPScopeClaims(ScopeClaims):
    info_nip = ("NIP", "Your civil-servant number.")

    def scope_nip(self):
        return {"nip": ACCOUNTS.get(self.user.username)}


def userinfo(claims, user):
    claims["name"] = user.get_full_name() or user.username
    claims["email"] = user.email
    return claims
