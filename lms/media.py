"""Serving locally stored media with HTTP Range support, so video seeking works without a CDN."""

import mimetypes
import re
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.utils._os import safe_join
from django.utils.http import http_date
from django.views.decorators.http import require_GET

RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK_SIZE = 64 * 1024


class _RangeFile:
    """Iterate over ``length`` bytes of an open file from ``start``."""

    def __init__(self, handle, start: int, length: int):
        self.handle = handle
        self.handle.seek(start)
        self.remaining = length

    def __iter__(self):
        while self.remaining > 0:
            chunk = self.handle.read(min(CHUNK_SIZE, self.remaining))
            if not chunk:
                break
            self.remaining -= len(chunk)
            yield chunk

    def close(self):
        self.handle.close()


@require_GET
def serve_media(request, path: str):
    """Serve a file below MEDIA_ROOT; answer a single byte range with 206 Partial Content.

    Django's own static ``serve`` view ignores Range, so browsers cannot seek in a video served
    by it. Only local storage uses this view; object storage (S3) serves ranges itself.
    """
    try:
        full_path = Path(safe_join(settings.MEDIA_ROOT, path))
    except ValueError as exc:
        raise Http404 from exc
    if not full_path.is_file():
        raise Http404
    size = full_path.stat().st_size
    content_type, encoding = mimetypes.guess_type(str(full_path))
    content_type = content_type or "application/octet-stream"
    mtime = full_path.stat().st_mtime

    range_header = request.headers.get("Range", "")
    match = RANGE_RE.match(range_header.strip()) if range_header else None
    if match and (match.group(1) or match.group(2)):
        first, last = match.group(1), match.group(2)
        if first:
            start = int(first)
            end = min(int(last), size - 1) if last else size - 1
        else:  # suffix range: the last N bytes
            start = max(size - int(last), 0)
            end = size - 1
        if start >= size or start > end:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        length = end - start + 1
        handle = open(full_path, "rb")  # noqa: SIM115 - closed by the response
        response = FileResponse(_RangeFile(handle, start, length), status=206, content_type=content_type)
        response["Content-Length"] = str(length)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    else:
        response = FileResponse(open(full_path, "rb"), content_type=content_type)  # noqa: SIM115
        response["Content-Length"] = str(size)
    response["Accept-Ranges"] = "bytes"
    response["Last-Modified"] = http_date(mtime)
    response["Cache-Control"] = "private, max-age=3600"
    if encoding:
        response["Content-Encoding"] = encoding
    response["X-Content-Type-Options"] = "nosniff"
    return response
