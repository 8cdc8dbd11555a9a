"""Uploaded lesson video is served with HTTP Range support, so seeking works in the player."""

import pytest
from django.core.files import File
from wagtail.models import Collection
from wagtailmedia.models import Media

from courses.demo import DEMO_VIDEO

pytestmark = pytest.mark.django_db


@pytest.fixture
def video():
    with DEMO_VIDEO.open("rb") as handle:
        media = Media(title="Video", type="video", duration=6, collection=Collection.get_first_root_node())
        media.file.save("seek-test.mp4", File(handle), save=True)
    return media


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_range_request_answers_206_with_exactly_the_asked_bytes(client, video):
    original = DEMO_VIDEO.read_bytes()
    response = client.get(video.url, HTTP_RANGE="bytes=1000-1999")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 1000-1999/{len(original)}"
    assert response["Content-Length"] == "1000"
    assert response["Content-Type"] == "video/mp4"
    assert body(response) == original[1000:2000]


def test_open_ended_and_suffix_ranges(client, video):
    original = DEMO_VIDEO.read_bytes()
    tail = client.get(video.url, HTTP_RANGE=f"bytes={len(original) - 10}-")
    assert tail.status_code == 206 and body(tail) == original[-10:]
    suffix = client.get(video.url, HTTP_RANGE="bytes=-500")
    assert suffix.status_code == 206 and body(suffix) == original[-500:]


def test_range_beyond_the_end_is_refused_with_416(client, video):
    size = len(DEMO_VIDEO.read_bytes())
    response = client.get(video.url, HTTP_RANGE=f"bytes={size + 10}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{size}"


def test_whole_file_advertises_range_support(client, video):
    response = client.get(video.url)
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert body(response) == DEMO_VIDEO.read_bytes()


def test_shipped_demo_video_is_small():
    assert DEMO_VIDEO.stat().st_size <= 200 * 1024
