"""Issue 11 Low #10: Content-Security-Policy and Permissions-Policy on every page; a response that sets
its own policy (the H5P content routes) keeps it. The browser side is tests/browser/test_csp.py."""

import re

import pytest
from csp.decorators import csp_exempt
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import reverse

from lms.middleware import ContentSecurityPolicyMiddleware, PermissionsPolicyMiddleware, permissions_policy_header
from people.roles import ADMIN_BPSDM
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


@pytest.mark.parametrize("url", ["/", "/masuk/", "/katalog/", "/tidak-ada-halaman-ini/"])
def test_site_pages_carry_a_strict_policy(client, url):
    response = client.get(url)
    policy = directives(response["Content-Security-Policy"])
    # Scripts: our origin (and a per-request nonce when a page needs one); never inline or eval.
    assert policy["script-src"][0] == "'self'"
    assert all(word == "'self'" or word.startswith("'nonce-") for word in policy["script-src"])
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert "Permissions-Policy" in response


def test_the_nonce_is_fresh_per_request_and_in_the_header_when_a_page_uses_it():
    from django.template import engines

    template = engines["django"].from_string('<script nonce="{{ request.csp_nonce }}">1</script>')

    def view(request):
        return HttpResponse(template.render({}, request))

    middleware = ContentSecurityPolicyMiddleware(view)
    nonces = []
    for _ in range(2):
        request = RequestFactory().get("/")
        middleware.process_request(request)
        response = middleware.process_response(request, view(request))
        body_nonce = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
        assert f"'nonce-{body_nonce}'" in directives(response["Content-Security-Policy"])["script-src"]
        nonces.append(body_nonce)
    assert nonces[0] != nonces[1]


def test_the_admin_gets_its_own_policy(client):
    client.force_login(UserFactory(roles=[ADMIN_BPSDM]))
    response = client.get("/admin/")
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["connect-src"] == ["'self'"]


def test_a_response_with_its_own_policy_keeps_it_untouched():
    """CONTRACT with the H5P player/content routes: their sandbox policy is neither replaced nor merged."""
    own = "sandbox allow-scripts; default-src 'self'; script-src 'self' 'unsafe-eval'"

    def view(request):
        response = HttpResponse("player")
        response["Content-Security-Policy"] = own
        return response

    for path in ["/h5p/1/v/abc/content/content.json", "/admin/anything/", "/katalog/"]:
        request = RequestFactory().get(path)
        middleware = ContentSecurityPolicyMiddleware(view)
        middleware.process_request(request)
        response = middleware.process_response(request, view(request))
        assert response["Content-Security-Policy"] == own
        assert list(response.items()).count(("Content-Security-Policy", own)) == 1


def test_csp_exempt_responses_get_no_policy():
    @csp_exempt()
    def view(request):
        return HttpResponse("raw")

    request = RequestFactory().get("/")
    middleware = ContentSecurityPolicyMiddleware(view)
    middleware.process_request(request)
    assert "Content-Security-Policy" not in middleware.process_response(request, view(request))


def test_h5p_package_files_keep_their_sandbox_policy(client):
    """Through the whole middleware stack, a view at the H5P file route answers with its own policy."""
    own = "sandbox; default-src 'none'"

    def fake_view(request, **kwargs):
        response = HttpResponse("<svg/>", content_type="image/svg+xml")
        response["Content-Security-Policy"] = own
        return response

    from django.urls import path

    urlpatterns = [path("h5p/<int:pk>/v/<str:version>/<path:path>", fake_view)]
    with override_settings(ROOT_URLCONF=type("urls", (), {"urlpatterns": urlpatterns})):
        response = client.get("/h5p/1/v/x/content/images/a.svg")
    assert response["Content-Security-Policy"] == own


def test_permissions_policy_denies_devices_and_keeps_fullscreen_for_our_player_and_embeds(client):
    header = client.get(reverse("login"))["Permissions-Policy"]
    features = dict(item.strip().split("=", 1) for item in header.split(","))
    for feature in ["camera", "microphone", "geolocation", "payment", "usb"]:
        assert features[feature] == "()"
    assert features["fullscreen"].startswith("(self ")
    assert '"https://www.youtube-nocookie.com"' in features["fullscreen"]


def test_permissions_policy_header_format_and_a_view_of_its_own_wins():
    assert permissions_policy_header({"camera": [], "fullscreen": ["self", "https://a.example"]}) == (
        'camera=(), fullscreen=(self "https://a.example")'
    )

    def view(request):
        response = HttpResponse()
        response["Permissions-Policy"] = "fullscreen=*"
        return response

    assert PermissionsPolicyMiddleware(view)(RequestFactory().get("/"))["Permissions-Policy"] == "fullscreen=*"


def test_object_storage_origins_can_be_allowed_for_media(monkeypatch):
    """CSP_MEDIA_ORIGINS (environment) adds the bucket's origin to img-src and media-src."""
    import importlib

    import lms.settings.base as base

    monkeypatch.setenv("CSP_MEDIA_ORIGINS", "https://media.example.go.id")
    try:
        reloaded = importlib.reload(base)
        assert "https://media.example.go.id" in reloaded.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"]
        assert "https://media.example.go.id" in reloaded.LMS_ADMIN_CSP["media-src"]
    finally:
        monkeypatch.delenv("CSP_MEDIA_ORIGINS")
        importlib.reload(base)


def test_a_separate_h5p_content_origin_may_be_framed(monkeypatch):
    """H5P_CONTENT_ORIGIN (the player on an origin of its own) is added to frame-src, nowhere else."""
    import importlib

    import lms.settings.base as base

    monkeypatch.setenv("H5P_CONTENT_ORIGIN", "https://h5p.example.go.id/")
    try:
        reloaded = importlib.reload(base)
        directives = reloaded.CONTENT_SECURITY_POLICY["DIRECTIVES"]
        assert "https://h5p.example.go.id" in directives["frame-src"]
        assert "https://h5p.example.go.id" not in directives["script-src"]
        assert "https://h5p.example.go.id" not in directives["connect-src"]
    finally:
        monkeypatch.delenv("H5P_CONTENT_ORIGIN")
        importlib.reload(base)
