"""Serving locally stored media with HTTP Range support, so video seeking works without a CDN.

Uploads are other people's files: none of them may run as a document of the LMS origin. Every
answer carries a sandboxing Content-Security-Policy and ``nosniff``; types a browser can run script
in (SVG, XML, HTML, JavaScript, ...) are sent as attachments. H5P files are never served here:
only ``/h5p/<id>/v/<version>/...`` (``h5p.views``) serves them, with its access check.
"""

import mimetypes
import re
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404, HttpResponse
from django.utils._os import safe_join
from django.utils.http import http_date
from django.views.decorators.http import require_GET

RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK_SIZE = 64 * 1024
# Storage prefixes served by their own views (with their own access rules), never as plain media.
PRIVATE_PREFIXES = frozenset({"h5p"})
# A document of any of these types can run script when opened directly.
ACTIVE_EXTENSIONS = frozenset(
    {
        ".svg",
        ".svgz",
        ".xml",
        ".xsl",
        ".xslt",
        ".xhtml",
        ".xht",
        ".html",
        ".htm",
        ".shtml",
        ".mht",
        ".mhtml",
        ".js",
        ".mjs",
        ".cjs",
        ".json",
        ".swf",
        ".rdf",
        ".vtt",
        ".webvtt",
        ".md",
        ".txt",
    }
)
ACTIVE_TYPE_RE = re.compile(r"(html|xml|javascript|ecmascript|svg|json|x-shockwave-flash)", re.IGNORECASE)
# Applies only if a media file is opened as a document: no script, no plugins, no requests out.
SANDBOX_CSP = "sandbox; default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'"


def is_private_path(relative: str) -> bool:
    """Whether a path below MEDIA_ROOT (already resolved, no ``..``) belongs to a private prefix.

    Compared case-insensitively, so a case-insensitive file system cannot be used to reach
    ``H5P/...`` around the rule.
    """
    parts = PurePosixPath(relative.replace("\\", "/")).parts
    return bool(parts) and parts[0].lower() in PRIVATE_PREFIXES


def is_active_type(name: str, content_type: str | None) -> bool:
    return PurePosixPath(name).suffix.lower() in ACTIVE_EXTENSIONS or bool(
        content_type and ACTIVE_TYPE_RE.search(content_type)
    )


def protect_upload_response(response, *, name: str, content_type: str | None, inline_ok: bool = False) -> None:
    """Headers for a response that carries an uploaded file: never sniffed, never a live document
    of our origin. Active types are also sent as attachments unless ``inline_ok`` (a caller whose
    own CSP already sandboxes them, like the H5P player's files)."""
    response["X-Content-Type-Options"] = "nosniff"
    if "Content-Security-Policy" not in response:
        response["Content-Security-Policy"] = SANDBOX_CSP
    if not inline_ok and is_active_type(name, content_type):
        response["Content-Disposition"] = "attachment"


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
    root = Path(settings.MEDIA_ROOT).resolve()
    try:
        full_path = Path(safe_join(root, path)).resolve()
        relative = full_path.relative_to(root).as_posix()
    except (ValueError, SuspiciousFileOperation) as exc:
        raise Http404 from exc
    # H5P packages: only their own route may serve them (enrolment check, sandbox). The same 404
    # for a file that exists and one that does not, so nothing is learnt about what is stored.
    if is_private_path(relative) or not full_path.is_file():
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
    protect_upload_response(response, name=full_path.name, content_type=content_type)
    return response
