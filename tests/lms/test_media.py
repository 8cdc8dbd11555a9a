"""The plain media route: H5P files are never served there, and no upload runs as a page of ours."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client

from h5p import services
from h5p.models import Requirement
from people.roles import PENGAJAR, PESERTA
from tests.factories import UserFactory
from tests.h5p.factories import course_with_h5p, crafted, enrol

pytestmark = pytest.mark.django_db

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>parent.stolen = document.cookie</script></svg>'
XHTML = (
    b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body>'
    b"<script>fetch('/admin/')</script></body></html>"
)


@pytest.fixture(autouse=True)
def _own_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def hostile():
    """A stored package whose folder also holds an SVG and an XHTML document with script.

    Uploads now refuse SVG and XML in content (as the official H5P library does), so the files are
    written into the package's folder directly: content stored before that rule, or a package from
    a future rule change, must still never be served by the media route."""
    content = services.content_create(title="Paket dengan SVG", package=crafted({}))
    for name, body in (("content/images/x.svg", SVG), ("content/doc.xml", XHTML)):
        default_storage.save(f"{content.content_prefix}/{name}", ContentFile(body))
    return content


def viewers():
    learner = UserFactory(username="peserta-media", roles=[PESERTA])
    trainer = UserFactory(username="pengajar-media", roles=[PENGAJAR])
    admin = get_user_model().objects.create_superuser(username="admin-media", password="x", email="a@b.c")
    return {"anonymous": None, "learner": learner, "trainer": trainer, "superuser": admin}


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_h5p_files_are_stored_under_media_but_never_served_there(settings, hostile):
    enrolled = UserFactory(username="peserta-terdaftar", roles=[PESERTA])
    enrol(enrolled, course_with_h5p([(hostile, Requirement.COMPLETED)]).course)
    prefix = hostile.content_prefix
    for name in ("content/images/x.svg", "content/doc.xml", "h5p.json", "content/content.json"):
        assert (settings.MEDIA_ROOT / prefix / name).is_file(), "the file is there: the 404 is the rule, not chance"
    users = viewers() | {"enrolled learner": enrolled}
    for who, user in users.items():
        client = client_for(user)
        for name in ("content/images/x.svg", "content/doc.xml", "h5p.json"):
            response = client.get(f"/media/{prefix}/{name}")
            assert response.status_code == 404, (who, name)
        assert client.get(f"/media/{hostile.package.name}").status_code == 404, (who, "the uploaded archive")


@pytest.mark.parametrize(
    "variant",
    [
        "/media//{prefix}/content/images/x.svg",
        "/media///{prefix}/content/images/x.svg",
        "/media/./{prefix}/content/images/x.svg",
        "/media/h5p/../{prefix}/content/images/x.svg",
        "/media/lain/../{prefix}/content/images/x.svg",
        "/media/H5P/{rest}/content/images/x.svg",
        "/media/h5P/{rest}/content/doc.xml",
        "/media/h5p%2F{rest_encoded}/content/images/x.svg",
        "/media/%68%35%70/{rest}/content/images/x.svg",
        "/media/{prefix}/content/images/X.SVG",
        "/media/{prefix}//content//images//x.svg",
        "/media/{prefix}/content/images/x.svg/",
        "/media/{prefix}/content/images/x.svg%00.png",
    ],
)
def test_variants_of_the_path_are_refused_too(hostile, variant):
    prefix = hostile.content_prefix
    rest = prefix.removeprefix("h5p/")
    url = variant.format(prefix=prefix, rest=rest, rest_encoded=rest.replace("/", "%2F"))
    admin = get_user_model().objects.create_superuser(username="admin-varian", password="x", email="v@b.c")
    for client in (Client(), client_for(admin)):
        response = client.get(url)
        assert response.status_code in {400, 404}, (url, response.status_code)
        assert b"<script>" not in b"".join(getattr(response, "streaming_content", [response.content]))


def test_the_h5p_route_serves_package_files_sandboxed_and_never_content_svg_or_xml(hostile):
    """Content SVG/XML is outside the package rules (as in the official H5P library), so the player's
    route does not serve it either; what it serves carries a sandbox policy."""
    trainer = UserFactory(username="pengajar-svg", roles=[PENGAJAR])
    client = client_for(trainer)
    for name in ("content/images/x.svg", "content/doc.xml"):
        assert client.get(f"/h5p/{hostile.pk}/v/{hostile.version}/{name}").status_code == 404, name
    response = client.get(f"/h5p/{hostile.pk}/v/{hostile.version}/content/content.json")
    assert response.status_code == 200 and "json" in response["Content-Type"]
    policy = response["Content-Security-Policy"]
    assert policy.startswith("sandbox;") and "allow-scripts" not in policy and "default-src 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert Client().get(f"/h5p/{hostile.pk}/v/{hostile.version}/content/content.json").status_code == 404


@pytest.mark.parametrize(
    ("name", "attachment"),
    [
        ("images/logo.svg", True),
        ("images/logo.SVGZ", True),
        ("documents/surat.xml", True),
        ("documents/halaman.xhtml", True),
        ("documents/halaman.html", True),
        ("documents/halaman.htm", True),
        ("scripts/kode.js", True),
        ("scripts/kode.mjs", True),
        ("images/foto.png", False),
        ("videos/materi.mp4", False),
    ],
)
def test_other_uploads_are_never_live_documents_of_our_origin(settings, name, attachment):
    path = settings.MEDIA_ROOT / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(SVG if attachment else b"\x89PNG\r\n\x1a\n")
    response = Client().get(f"/media/{name}")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox;")
    assert ("attachment" in response.get("Content-Disposition", "")) is attachment
