"""With object storage, H5P files are private in the bucket: private ACL, signed short-lived URLs only."""

from urllib.parse import parse_qs, urlsplit

import pytest

from h5p.storage import MediaStorage


@pytest.fixture
def storage():
    # Signing happens locally: no request reaches any server.
    return MediaStorage(
        bucket_name="lms-media",
        access_key="AKIAEXAMPLE",
        secret_key="secret-example",
        region_name="ap-southeast-3",
        querystring_auth=False,  # the rest of the bucket may be public...
        custom_domain="cdn.lms.example",  # ...and served by a CDN
        default_acl="public-read",
    )


@pytest.mark.parametrize(
    "name", ["h5p/content/1/abc/content/images/x.svg", "h5p/libraries/H5P.X-1.0.0-ab/x.js", "H5P/packages/u/k.h5p"]
)
def test_h5p_objects_are_written_private_and_only_signed_urls_exist(storage, name):
    assert storage.get_object_parameters(name)["ACL"] == "private"
    url = urlsplit(storage.url(name))
    query = parse_qs(url.query)
    assert "cdn.lms.example" not in url.netloc, "never the public CDN address"
    assert query["X-Amz-Signature"] and int(query["X-Amz-Expires"][0]) == 300
    assert urlsplit(storage.url(name, expire=86_400)).query.count("X-Amz-Expires=300") == 1, "never longer-lived"


def test_other_media_keep_the_configured_behaviour(storage):
    assert storage.get_object_parameters("images/foto.png").get("ACL") is None
    assert storage.url("images/foto.png") == "https://cdn.lms.example/images/foto.png"


def test_production_settings_use_it_when_a_bucket_is_set(monkeypatch):
    import importlib

    import lms.settings.base as base

    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", "lms-media")
    try:
        reloaded = importlib.reload(base)
        assert reloaded.STORAGES["default"]["BACKEND"] == "h5p.storage.MediaStorage"
    finally:
        monkeypatch.delenv("AWS_STORAGE_BUCKET_NAME")
        importlib.reload(base)
