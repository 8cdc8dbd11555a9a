"""Package files (access, cache headers, paths) and the saved-state endpoint (save, restore, limits, reset)."""

import json

import pytest
from django.test import Client

from h5p import services
from h5p.models import H5PState, Requirement
from people.roles import PENGAJAR, PESERTA
from tests.factories import UserFactory
from tests.h5p.factories import course_with_h5p, enrol, item, package

pytestmark = pytest.mark.django_db


@pytest.fixture
def content():
    return item(title="Kuis ASN")


@pytest.fixture
def learner(client, content):
    tree = course_with_h5p([(content, Requirement.COMPLETED)])
    user = UserFactory(username="peserta-berkas", roles=[PESERTA])
    enrol(user, tree.course)
    client.force_login(user)
    return user


def file_url(content, path):
    return f"/h5p/{content.pk}/v/{content.version}/{path}"


def body(response) -> bytes:
    return b"".join(response.streaming_content)


# ---------------------------------------------------------------------------------------------
# Files


def test_an_enrolled_learner_gets_the_files_the_player_fetches(client, learner, content):
    h5p_json = client.get(file_url(content, "h5p.json"))
    assert h5p_json.status_code == 200 and h5p_json["Content-Type"] == "application/json"
    assert json.loads(body(h5p_json))["mainLibrary"] == "H5P.KuisSingkat"
    assert json.loads(body(client.get(file_url(content, "content/content.json"))))["correct"] == 0
    script = client.get(file_url(content, "libraries/H5P.KuisSingkat-1.0/kuis-singkat.js"))
    assert script.status_code == 200 and script["Content-Type"].startswith("text/javascript")
    assert b"H5P.KuisSingkat" in body(script)
    assert client.get(file_url(content, "libraries/H5P.KuisSingkat-1.0/library.json")).status_code == 200


def test_files_carry_private_cache_headers_and_answer_304(client, learner, content):
    response = client.get(file_url(content, "content/content.json"))
    assert response["Cache-Control"] == "private, max-age=86400"
    assert response["X-Content-Type-Options"] == "nosniff"
    etag = response["ETag"]
    again = client.get(file_url(content, "content/content.json"), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304


def test_files_are_not_served_to_others(client, content, learner):
    url = file_url(content, "content/content.json")
    client.logout()
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(username="bukan-peserta-berkas", roles=[PESERTA]))
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(username="pengajar-berkas", roles=[PENGAJAR]))
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "../h5p.json",
        "content/../../../etc/passwd",
        "libraries/H5P.Lain-1.0/library.json",
        "content/nothing.json",
        "libraries/H5P.KuisSingkat-1.0/../../h5p.json",
        "h5p.json/",
    ],
)
def test_paths_outside_the_package_are_404(client, learner, content, path):
    assert client.get(file_url(content, path)).status_code == 404


def test_an_old_version_url_is_404_after_a_replacement(client, learner, content, django_capture_on_commit_callbacks):
    old = file_url(content, "h5p.json")
    with django_capture_on_commit_callbacks(execute=True):
        services.content_replace(item=content, package=package())
    content.refresh_from_db()
    assert client.get(old).status_code == 404
    assert client.get(file_url(content, "h5p.json")).status_code == 200


# ---------------------------------------------------------------------------------------------
# Saved state


def state_url(content, **query):
    suffix = "&".join(f"{key}={value}" for key, value in query.items())
    return f"/h5p/{content.pk}/state/" + (f"?{suffix}" if suffix else "")


def test_state_is_saved_and_restored(client, learner, content):
    first = client.get(state_url(content)).json()
    assert "data" not in first and first["actor"]["mail"] == f"user-{learner.pk}@lms.invalid"
    assert "http://adlnet.gov/expapi/verbs/completed" in first["verbs"]
    saved = json.dumps({"selected": 0, "answered": True})
    response = client.post(
        state_url(content, dataType="state", subContentId=0), {"data": saved, "preload": 1, "invalidate": 1}
    )
    assert response.json() == {"success": True}
    assert client.get(state_url(content)).json()["data"] == saved
    client.post(state_url(content, dataType="state", subContentId=0), {"data": json.dumps({"selected": 1})})
    assert H5PState.objects.filter(user=learner).count() == 1, "one state per learner and item"


def test_state_is_per_learner(client, learner, content):
    client.post(state_url(content), {"data": json.dumps({"selected": 2})})
    other = UserFactory(username="pengajar-state", roles=[PENGAJAR])
    client.force_login(other)
    assert "data" not in client.get(state_url(content)).json()


def test_h5p_deleting_state_with_zero(client, learner, content):
    client.post(state_url(content), {"data": json.dumps({"selected": 2})})
    client.post(state_url(content), {"data": "0"})
    assert not H5PState.objects.exists()


def test_other_data_types_are_acknowledged_but_not_stored(client, learner, content):
    response = client.post(state_url(content, dataType="answers", subContentId=5), {"data": json.dumps({"x": 1})})
    assert response.json() == {"success": True}
    assert not H5PState.objects.exists()


def test_oversized_or_invalid_state_is_refused(client, learner, content):
    too_big = json.dumps({"text": "x" * (services.MAX_STATE_BYTES + 1)})
    response = client.post(state_url(content), {"data": too_big})
    assert response.status_code == 413 and "bita" in response.json()["message"]
    assert client.post(state_url(content), {"data": "{rusak"}).status_code == 400
    assert client.post(state_url(content), {}).status_code == 400
    assert not H5PState.objects.exists()


def test_state_of_a_replaced_package_is_reset(client, learner, content):
    client.post(state_url(content), {"data": json.dumps({"selected": 2})})
    services.content_replace(item=content, package=package())
    answer = client.get(state_url(content)).json()
    assert answer.get("reset") is True and "data" not in answer


def test_state_needs_access_and_csrf(content, learner):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(learner)
    assert browser.post(state_url(content), {"data": "{}"}).status_code == 403
    outsider = Client()
    outsider.force_login(UserFactory(username="orang-luar", roles=[PESERTA]))
    assert outsider.get(state_url(content)).status_code == 404
    assert outsider.post(state_url(content), {"data": "{}"}).status_code == 404
    assert Client().get(state_url(content)).status_code == 403


def test_the_preview_page_renders_the_player_for_a_trainer(client, content):
    client.force_login(UserFactory(username="pengajar-pratinjau", roles=[PENGAJAR]))
    page = client.get(f"/h5p/{content.pk}/").content.decode()
    assert "data-h5p-player" in page and "h5p/js/h5p-player.js" in page
    # The trainer is told what browser-reported results are worth.
    assert "dilaporkan oleh peramban peserta dan dapat dipalsukan" in page
    assert "cdn" not in page.lower()


def test_everything_goes_through_the_storage_api_not_the_local_disk(
    client, settings, django_capture_on_commit_callbacks
):
    """With a storage that has no local paths (like S3), packages are extracted, served and replaced."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    from django.core.files.storage import default_storage

    content = item(title="Di memori")
    assert default_storage.exists(f"{content.content_prefix}/content/content.json")
    client.force_login(UserFactory(username="pengajar-memori", roles=[PENGAJAR]))
    response = client.get(file_url(content, "libraries/H5P.KuisSingkat-1.0/kuis-singkat.js"))
    assert response.status_code == 200 and b"H5P.KuisSingkat" in body(response)
    old_prefix = content.content_prefix
    with django_capture_on_commit_callbacks(execute=True):
        services.content_replace(item=content, package=package())
    assert not default_storage.exists(f"{old_prefix}/h5p.json")


@pytest.mark.parametrize(
    "data",
    ["[" * 30_000, '{"a":' * 5_000 + "1" + "}" * 5_000, "[" * 65 + "]" * 65],
    ids=["open-brackets", "nested-objects", "depth-65"],
)
def test_deeply_nested_state_is_refused_and_nothing_stored(client, learner, content, data):
    response = client.post(state_url(content), {"data": data})
    assert (
        response.status_code == 400 and "JSON" in response.json()["message"] or "tingkat" in response.json()["message"]
    )
    assert not H5PState.objects.exists()


def test_a_state_body_above_the_bound_is_refused_before_it_is_read(client, learner, content):
    # A small state with a large padding field: the bound is on the body, before any parsing.
    body = "data=%7B%7D&padding=" + "1" * (4 * services.MAX_STATE_BYTES)
    response = client.post(state_url(content), body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert not H5PState.objects.exists()


# ---------------------------------------------------------------------------------------------
# The sandboxed player and its file tokens (issue 11, High 2)


def player_url_for(client, content) -> str:
    return client.get(state_url(content)).json()["playerUrl"]


def test_the_player_document_is_sandboxed_without_same_origin(client, learner, content):
    url = player_url_for(client, content)
    assert url.startswith(f"/h5p/{content.pk}/v/{content.version}/t/") and url.endswith("/player/")
    response = Client().get(url)  # the sandboxed frame brings no cookies
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert policy.startswith("sandbox allow-scripts allow-forms;") and "allow-same-origin" not in policy
    assert "frame-ancestors 'self'" in policy and "form-action 'none'" in policy
    assert "connect-src 'self' http://testserver" in policy and "default-src 'none'" in policy
    assert "X-Frame-Options" not in response and response["Referrer-Policy"] == "no-referrer"
    html = response.content.decode()
    assert "h5p-standalone/main.bundle.js" in html and "h5p/js/h5p-frame.js" in html
    # No learner data and no CSRF token in the frame's document.
    assert "csrf" not in html.lower() and str(learner.pk) + "@lms.invalid" not in html


def test_files_are_served_by_token_without_a_session(client, learner, content):
    base = player_url_for(client, content).removesuffix("/player/")
    anonymous = Client()
    answer = anonymous.get(f"{base}/h5p.json")
    assert answer.status_code == 200 and answer["Access-Control-Allow-Origin"] == "*"
    assert answer["Content-Security-Policy"].startswith("sandbox;")
    assert json.loads(body(answer))["mainLibrary"] == "H5P.KuisSingkat"
    script = anonymous.get(f"{base}/libraries/H5P.KuisSingkat-1.0/kuis-singkat.js")
    assert script.status_code == 200 and b"H5P.KuisSingkat" in body(script)


def test_a_token_is_bound_to_its_user_item_version_and_time(client, learner, content, settings):
    import time

    from h5p import player

    base = player_url_for(client, content).removesuffix("/player/")
    token = base.rsplit("/", 1)[1]
    user_id, window, signature = token.split("-")
    anonymous = Client()
    other = item(title="Lain")
    forged = {
        "tampered signature": base.replace(signature, "0" * len(signature)),
        "another user": base.replace(f"/t/{user_id}-", f"/t/{int(user_id) + 1}-"),
        "another window": base.replace(f"-{window}-", f"-{int(window) - 1}-"),
        "another item": base.replace(f"/h5p/{content.pk}/", f"/h5p/{other.pk}/").replace(
            content.version, other.version
        ),
        "malformed": base.replace(token, "abc"),
    }
    for label, url in forged.items():
        assert anonymous.get(f"{url}/h5p.json").status_code == 404, label
        assert anonymous.get(f"{url}/player/").status_code == 404, label
    # Expired: accepted for H5P_FILE_TOKEN_HOURS after its window starts, no longer.
    later = time.time() + player.max_age_seconds() + player.WINDOW_SECONDS
    assert player.token_user(token, item_id=content.pk, version=content.version) == learner
    assert player.token_user(token, item_id=content.pk, version=content.version, now=later) is None


def test_a_token_stops_working_when_access_or_password_changes(client, learner, content):
    from courses.models import Enrolment, EnrolmentStatus

    base = player_url_for(client, content).removesuffix("/player/")
    assert Client().get(f"{base}/h5p.json").status_code == 200
    learner.set_password("sandi-baru-123")
    learner.save()
    assert Client().get(f"{base}/h5p.json").status_code == 404, "a password change ends the token"
    client.force_login(learner)
    base = player_url_for(client, content).removesuffix("/player/")
    Enrolment.objects.filter(user=learner).update(status=EnrolmentStatus.WITHDRAWN)
    assert Client().get(f"{base}/h5p.json").status_code == 404, "access is checked on every file"


def test_a_token_url_after_a_replacement_is_404(client, learner, content, django_capture_on_commit_callbacks):
    base = player_url_for(client, content).removesuffix("/player/")
    with django_capture_on_commit_callbacks(execute=True):
        services.content_replace(item=content, package=package())
    assert Client().get(f"{base}/h5p.json").status_code == 404


def test_every_package_file_is_sandboxed_when_opened_as_a_document(client, learner, content):
    for path in ("h5p.json", "content/content.json", "libraries/H5P.KuisSingkat-1.0/kuis-singkat.js"):
        response = client.get(file_url(content, path))
        assert response["Content-Security-Policy"].startswith("sandbox;"), path
        assert response["X-Content-Type-Options"] == "nosniff"


def test_a_separate_content_origin_serves_the_player_from_there(client, learner, content, settings):
    settings.H5P_CONTENT_ORIGIN = "https://h5p.lms.example/"
    settings.CSRF_TRUSTED_ORIGINS = ["https://lms.example"]
    settings.ALLOWED_HOSTS = ["testserver", "h5p.lms.example"]
    url = player_url_for(client, content)
    assert url.startswith(f"https://h5p.lms.example/h5p/{content.pk}/v/{content.version}/t/")
    response = Client().get(url.removeprefix("https://h5p.lms.example"), HTTP_HOST="h5p.lms.example", secure=True)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors 'self' https://lms.example" in policy and policy.startswith("sandbox allow-scripts")
