"""Single sign-on (accounts/oidc.py) against a real OpenID Connect provider run locally.

The provider is django-oidc-provider in a tiny Django project of its own (tests/accounts/oidc_provider/),
served from another process on a free port with its own SQLite file. A test drives the whole
authorization-code flow: our app (Django's test client) sends the browser to the provider, the "browser"
(``requests``) signs in there and is sent back with a code, and our app exchanges it at the provider's
token endpoint, checks the signed ID token against the provider's JWKS and reads the userinfo endpoint.
Nothing of mozilla-django-oidc is mocked.
"""

import logging
import os
import re
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit, urlunsplit

import pytest
import requests
from axes.models import AccessAttempt, AccessLog
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from accounts import audit, oidc
from accounts.models import ActivationCode
from accounts.services import activation_codes_generate
from people.models import User
from tests.accounts.oidc_provider import people
from tests.factories import ASNProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]
CALLBACK = "http://testserver/sso/callback/"
STARTUP_SECONDS = 120  # a generous bound on a busy machine; the provider is usually up in a few seconds


@pytest.fixture(scope="module")
def provider():
    """The provider's issuer URL, for the tests of this module; the process goes when they end."""
    with tempfile.TemporaryDirectory(prefix="lms-oidc-provider-") as folder:
        env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
        # Its log goes to a file: a pipe nobody reads would fill up and stall the provider.
        log_path = Path(folder) / "provider.log"
        with open(log_path, "w") as log:
            process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
                [
                    sys.executable,
                    "-m",
                    "tests.accounts.oidc_provider.serve",
                    str(Path(folder) / "provider.sqlite3"),
                    CALLBACK,
                ],
                cwd=REPO,
                env=env,
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
            )
        ready: list[str] = []
        reader = threading.Thread(target=lambda: ready.append(process.stdout.readline()), daemon=True)
        reader.start()
        reader.join(STARTUP_SECONDS)
        try:
            line = ready[0] if ready else ""
            if not line.startswith("READY "):
                process.kill()
                pytest.fail(f"the test OIDC provider did not start: {line!r} {log_path.read_text()[-2000:]}")
            yield line.split()[1]
        finally:
            process.terminate()
            process.wait(30)
            process.stdout.close()


@pytest.fixture
def sso(settings, provider):
    """SSO configured as the environment would configure it, pointing at the test provider."""
    settings.LMS_OIDC_ISSUER = provider
    settings.LMS_OIDC_CLIENT_ID = people.CLIENT_ID
    settings.LMS_OIDC_CLIENT_SECRET = people.CLIENT_SECRET
    settings.LMS_OIDC_SCOPES = "openid nip"
    settings.LMS_OIDC_NIP_CLAIM = "nip"
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, oidc.BACKEND]
    return provider


@pytest.fixture
def matched():
    """The ASN the provider's "siti" is: imported, never activated."""
    profile = ASNProfileFactory(nip=people.MATCHED_NIP, full_name="Siti Rahma, S.E.")
    user = profile.user
    user.set_unusable_password()
    user.activated_at = None
    user.save()
    return profile


def at_provider(issuer: str, url: str) -> str:
    assert url.startswith(issuer), f"expected the provider, went to {url}"
    return url


def sign_in_at_provider(issuer: str, authorize_url: str, username: str) -> str:
    """What a person does in the browser at the provider: open the authorization request, sign in there.
    Returns the address the provider sends the browser back to (our callback, with code and state)."""
    browser = requests.Session()
    answer = browser.get(at_provider(issuer, authorize_url), allow_redirects=False, timeout=30)
    assert answer.status_code == 302, answer.text[:500]
    login_url = urljoin(issuer, answer.headers["Location"])
    page = browser.get(at_provider(issuer, login_url), timeout=30)
    assert page.status_code == 200
    next_url = parse_qs(urlsplit(login_url).query)["next"][0]
    answer = browser.post(
        login_url,
        data={
            "username": username,
            "password": people.PASSWORD,
            "next": next_url,
            "csrfmiddlewaretoken": browser.cookies["csrftoken"],
        },
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code == 302, answer.text[:500]
    answer = browser.get(urljoin(issuer, answer.headers["Location"]), allow_redirects=False, timeout=30)
    assert answer.status_code == 302, answer.text[:500]
    back = answer.headers["Location"]
    assert back.startswith(CALLBACK), back
    return back


def local(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(("", "", parts.path, parts.query, ""))


def start(client, **query) -> str:
    response = client.get(reverse("sso_start") + (f"?{urlencode(query)}" if query else ""))
    assert response.status_code == 302
    return response["Location"]


def sso_sign_in(client, issuer: str, username: str, **query):
    return client.get(local(sign_in_at_provider(issuer, start(client, **query), username)))


def signed_in_user(client):
    return client.get(reverse("dashboard")).wsgi_request.user


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --------------------------------------------------------------------------------------------------
# Signing in


def test_a_matched_nip_signs_in_counts_as_activation_and_lands_on_kursus_saya(client, sso, matched, caplog):
    caplog.set_level(logging.INFO, logger="accounts.oidc")
    activation_codes_generate(user_ids=[matched.user_id], created_by=None)
    response = sso_sign_in(client, sso, "siti")

    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    user = signed_in_user(client)
    assert user.is_authenticated and user.pk == matched.user_id
    assert client.session["_auth_user_backend"] == oidc.BACKEND
    assert User.objects.get(pk=matched.user_id).activated_at is not None
    dashboard = client.get(reverse("dashboard"))
    assert dashboard.status_code == 200 and "Kursus Saya" in text(dashboard)
    # Logged as every sign-in is (django-axes' access log), and nobody else was made.
    assert AccessLog.objects.filter(username=matched.user.username).count() == 1
    assert User.objects.count() == 1
    assert f"SSO sign-in: user {matched.user_id}" in caplog.text
    # The activation is in the audit log like the other methods', with an open code voided.
    entry = ModelLogEntry.objects.get(action=audit.ACTIVATED, object_id=str(matched.user_id))
    assert entry.data == {"method": "sso"} and entry.user_id == matched.user_id
    assert not ActivationCode.objects.usable().filter(user_id=matched.user_id).exists()


def test_the_authorization_request_carries_state_nonce_and_pkce_and_the_asked_scopes(client, sso):
    query = parse_qs(urlsplit(start(client)).query)
    assert query["client_id"] == [people.CLIENT_ID]
    assert query["redirect_uri"] == [CALLBACK]
    assert query["scope"] == ["openid nip"]
    assert query["code_challenge_method"] == ["S256"]
    assert query["state"][0] and query["nonce"][0] and query["code_challenge"][0]


def test_a_safe_next_address_is_honoured_and_an_earlier_activation_is_kept(client, sso, matched):
    earlier = timezone.now() - timezone.timedelta(days=30)
    User.objects.filter(pk=matched.user_id).update(activated_at=earlier)

    response = sso_sign_in(client, sso, "siti", next=reverse("course_catalogue"))

    assert response["Location"] == reverse("course_catalogue")
    assert User.objects.get(pk=matched.user_id).activated_at == earlier
    assert not ModelLogEntry.objects.filter(action=audit.ACTIVATED).exists()  # activated once, logged once


def test_a_next_address_on_another_site_is_ignored(client, sso, matched):
    response = sso_sign_in(client, sso, "siti", next="https://evil.example/")
    assert response["Location"] == reverse("dashboard")


def test_the_callback_runs_a_fixed_number_of_queries(client, sso, matched, django_assert_max_num_queries):
    ASNProfileFactory.create_batch(
        20, birth_date=timezone.datetime(1990, 5, 5).date()
    )  # other people change nothing: the match is one indexed lookup
    back = local(sign_in_at_provider(sso, start(client), "siti"))
    # Sessions (the library reloads it), axes' checks and access log, the match, activation (open codes
    # voided, the audit log), login.
    with django_assert_max_num_queries(30):
        assert client.get(back).status_code == 302
    client.logout()
    back = local(sign_in_at_provider(sso, start(client), "asing"))
    with django_assert_max_num_queries(8):
        assert client.get(back).status_code == 403


def test_a_profile_made_inactive_after_an_sso_sign_in_is_signed_out_on_its_next_request(client, sso, matched):
    sso_sign_in(client, sso, "siti")
    User.objects.filter(pk=matched.user_id).update(is_active=False)
    assert not signed_in_user(client).is_authenticated


# --------------------------------------------------------------------------------------------------
# Refusals: a clear page, nobody created, nobody signed in


def assert_refused(client, response, status: int, words: str):
    assert response.status_code == status
    assert words in text(response)
    assert "Kembali ke halaman masuk" in text(response)
    assert not signed_in_user(client).is_authenticated


def test_an_unknown_nip_is_refused_with_the_page_and_no_account_is_made(client, sso, matched):
    users = User.objects.count()
    response = sso_sign_in(client, sso, "asing")

    assert_refused(client, response, 403, "Tidak ada profil ASN untuk NIP ini")
    assert "19700101 199001 1 999" in text(response)  # their own NIP, as the provider sent it
    assert User.objects.count() == users
    # Not a failed password: a refused SSO sign-in does not count toward django-axes' lockouts.
    assert AccessAttempt.objects.count() == 0


def test_an_account_without_an_asn_profile_is_refused_even_when_its_username_is_the_nip(client, sso):
    # The password sign-in would find this account by username; SSO matches profiles only.
    staff = UserFactory(username=people.NO_PROFILE_NIP)
    response = sso_sign_in(client, sso, "tanpaprofil")

    assert_refused(client, response, 403, "Tidak ada profil ASN untuk NIP ini")
    assert User.objects.get(pk=staff.pk).activated_at is None


def test_an_inactive_account_is_refused_and_not_activated(client, sso):
    profile = ASNProfileFactory(nip=people.INACTIVE_NIP, gender="P", birth_date=timezone.datetime(1980, 1, 1).date())
    User.objects.filter(pk=profile.user_id).update(is_active=False, activated_at=None)

    response = sso_sign_in(client, sso, "nonaktif")

    assert_refused(client, response, 403, "Akun Anda di platform ini tidak aktif")
    assert User.objects.get(pk=profile.user_id).activated_at is None


def test_a_provider_that_sends_no_nip_claim_is_refused(client, sso, matched):
    response = sso_sign_in(client, sso, "tanpanip")
    assert_refused(client, response, 403, "tidak mengirim NIP yang sah")


def test_a_claim_name_the_provider_does_not_release_is_refused(client, sso, matched, settings):
    settings.LMS_OIDC_NIP_CLAIM = "nip_baru"
    response = sso_sign_in(client, sso, "siti")
    assert_refused(client, response, 403, "tidak mengirim NIP yang sah")
    assert User.objects.get(pk=matched.user_id).activated_at is None


def test_a_forged_state_is_refused_without_a_server_error(client, sso, matched):
    back = sign_in_at_provider(sso, start(client), "siti")
    query = parse_qs(urlsplit(back).query)
    forged = reverse("sso_callback") + "?" + urlencode({"code": query["code"][0], "state": "forged-state"})

    response = client.get(forged)

    assert_refused(client, response, 400, "Masuk dengan SSO tidak dapat diselesaikan")
    assert User.objects.get(pk=matched.user_id).activated_at is None


def test_a_callback_from_another_browser_or_replayed_is_refused(client, sso, matched, django_user_model):
    from django.test import Client

    back = local(sign_in_at_provider(sso, start(client), "siti"))
    # Another browser (no state in its session) cannot use the code: no login CSRF.
    stranger = Client()
    assert_refused(stranger, stranger.get(back), 400, "Masuk dengan SSO tidak dapat diselesaikan")
    # The right browser can, once.
    assert client.get(back).status_code == 302
    client.logout()
    assert_refused(client, client.get(back), 400, "Masuk dengan SSO tidak dapat diselesaikan")


def test_a_code_the_provider_never_issued_is_refused(client, sso, matched):
    back = sign_in_at_provider(sso, start(client), "siti")
    query = parse_qs(urlsplit(back).query)
    response = client.get(reverse("sso_callback") + "?" + urlencode({"code": "not-a-code", "state": query["state"][0]}))
    assert_refused(client, response, 400, "Masuk dengan SSO tidak dapat diselesaikan")


def test_an_id_token_signed_otherwise_than_configured_is_refused(client, sso, matched, settings):
    settings.LMS_OIDC_SIGN_ALGO = "HS256"  # the provider signs RS256: a downgrade is not accepted
    response = sso_sign_in(client, sso, "siti")
    assert_refused(client, response, 400, "Masuk dengan SSO tidak dapat diselesaikan")
    assert User.objects.get(pk=matched.user_id).activated_at is None


def test_a_sign_in_cancelled_at_the_provider_gets_its_own_words(client, sso):
    state = parse_qs(urlsplit(start(client)).query)["state"][0]
    response = client.get(reverse("sso_callback") + "?" + urlencode({"error": "access_denied", "state": state}))
    assert_refused(client, response, 403, "dibatalkan atau ditolak")


def test_an_unreachable_provider_gets_a_page_not_a_server_error(client, sso, settings):
    settings.LMS_OIDC_ISSUER = "http://127.0.0.1:9"  # discard port: nothing listens
    response = client.get(reverse("sso_start"))
    assert_refused(client, response, 503, "tidak dapat dihubungi")


def test_an_issuer_that_does_not_match_the_discovery_document_is_not_trusted(client, sso, settings):
    settings.LMS_OIDC_ISSUER = sso.replace("127.0.0.1", "localhost")
    response = client.get(reverse("sso_start"))
    assert response.status_code == 503


# --------------------------------------------------------------------------------------------------
# Off unless configured


def test_without_settings_there_is_no_button_and_the_urls_answer_404(client, settings):
    settings.LMS_OIDC_ISSUER = ""
    settings.LMS_OIDC_CLIENT_ID = ""
    assert oidc.BACKEND not in settings.AUTHENTICATION_BACKENDS  # the test settings have none

    page = client.get(reverse("login"))
    assert page.status_code == 200 and "Masuk dengan SSO" not in text(page)
    assert reverse("sso_start") not in text(page)
    assert client.get(reverse("sso_start")).status_code == 404
    assert client.get(reverse("sso_callback") + "?code=x&state=y").status_code == 404


def test_with_settings_the_sign_in_page_offers_sso_keeping_the_next_address(client, sso):
    page = client.get(reverse("login") + "?next=" + reverse("course_catalogue"))
    assert "Masuk dengan SSO" in text(page)
    assert f'href="{reverse("sso_start")}?next=/katalog-kursus/"' in page.content.decode()


SETTINGS_PROBE = (
    "import django; django.setup(); from django.conf import settings; from accounts import oidc; "
    "print(oidc.BACKEND in settings.AUTHENTICATION_BACKENDS, oidc.enabled(), settings.LMS_OIDC_NIP_CLAIM)"
)


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, "False False nip"),
        ({"LMS_OIDC_ISSUER": "https://sso.example.go.id/realms/asn"}, "False False nip"),  # no client id
        (
            {
                "LMS_OIDC_ISSUER": "https://sso.example.go.id/realms/asn/",
                "LMS_OIDC_CLIENT_ID": "lms",
                "LMS_OIDC_CLIENT_SECRET": "s3cret",
                "LMS_OIDC_NIP_CLAIM": "nip_asn",
            },
            "True True nip_asn",
        ),
    ],
)
def test_single_sign_on_is_configured_from_the_environment_alone_without_touching_the_network(environment, expected):
    # The issuer above does not exist: starting with it configured must not try to reach it.
    env = {key: value for key, value in os.environ.items() if not key.startswith("LMS_OIDC_")}
    env.update({"DJANGO_SETTINGS_MODULE": "lms.settings.test", **environment})
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SETTINGS_PROBE], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


# --------------------------------------------------------------------------------------------------
# The ID token checks the library leaves out. The provider above always signs for our client and as
# itself, so these sign with the client secret (HS256) as a provider configured so would.


@pytest.fixture
def hs256(settings):
    settings.LMS_OIDC_ISSUER = "https://sso.example.go.id"
    settings.LMS_OIDC_CLIENT_ID = "lms"
    settings.LMS_OIDC_CLIENT_SECRET = "a-client-secret-long-enough-for-hs256"
    settings.LMS_OIDC_SIGN_ALGO = "HS256"
    return settings


def id_token(settings, **claims) -> str:
    import jwt

    now = int(timezone.now().timestamp())
    payload = {"iss": settings.LMS_OIDC_ISSUER, "aud": settings.LMS_OIDC_CLIENT_ID, "sub": "42", "nonce": "n"}
    payload.update({"iat": now, "exp": now + 300, **claims})
    return jwt.encode(payload, settings.LMS_OIDC_CLIENT_SECRET, algorithm="HS256")


def test_an_id_token_of_this_issuer_for_this_client_is_accepted(hs256):
    payload = oidc.NIPOIDCBackend().verify_token(id_token(hs256, aud=["other", "lms"]), nonce="n")
    assert payload["sub"] == "42"


@pytest.mark.parametrize(
    "claims",
    [{"aud": "another-site"}, {"iss": "https://evil.example"}, {"nonce": "replayed"}],
    ids=["audience", "issuer", "nonce"],
)
def test_an_id_token_for_another_client_or_from_another_issuer_is_refused(hs256, claims):
    from django.core.exceptions import SuspiciousOperation

    with pytest.raises(SuspiciousOperation):
        oidc.NIPOIDCBackend().verify_token(id_token(hs256, **claims), nonce="n")
