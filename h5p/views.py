"""H5P views: the package files the player fetches, the xAPI and saved-state endpoints, a preview page."""

from __future__ import annotations

import json
import mimetypes
import posixpath

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponseNotModified, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from h5p import packages, selectors, services, xapi
from h5p.models import H5PContent, H5PState

# Files of one version never change (a replacement gets a new version, hence new URLs), but access
# can be withdrawn: keep them in the learner's own browser cache only, for a day.
FILE_CACHE_CONTROL = "private, max-age=86400"
TYPES = {
    ".js": "text/javascript",
    ".json": "application/json",
    ".css": "text/css",
    ".vtt": "text/vtt",
    ".webvtt": "text/vtt",
}
# Types a browser could run script in when opened directly: never as a document of our origin.
SANDBOXED = {".svg", ".xml", ".pdf", ".swf", ".md", ".textile", ".txt", ".csv", ".diff", ".patch"}


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"success": False, "message": message}, status=status)


@require_GET
def package_file(request, pk: int, version: str, path: str):
    """Stream one file of an item's package from storage, to a learner enrolled where it is placed
    (or a trainer). The player fetches ``h5p.json``, ``content/...`` and ``libraries/<name>/...``."""
    item = selectors.item_for_user(user=request.user, pk=pk)
    if item is None or item.version != version:
        raise Http404
    name = packages.storage_name_for(path, content_prefix=item.content_prefix, library_map=item.library_map)
    if name is None:
        raise Http404
    # An ETag is scoped to its URL: the version names a content file's bytes, and a library folder
    # is named by a hash of its files.
    etag = f'"{version}"' if path == "h5p.json" or path.startswith("content/") else f'"{name.split("/")[2]}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
        response["ETag"] = etag
        response["Cache-Control"] = FILE_CACHE_CONTROL
        return response
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    extension = posixpath.splitext(path)[1].lower()
    content_type = TYPES.get(extension) or mimetypes.guess_type(path)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = FILE_CACHE_CONTROL
    response["ETag"] = etag
    response["X-Content-Type-Options"] = "nosniff"
    if extension in SANDBOXED:
        response["Content-Security-Policy"] = (
            "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'"
        )
    patch_vary_headers(response, ["Cookie"])
    return response


def _activity_path(pk: int) -> str:
    return reverse("h5p:activity", args=[pk])


@require_POST
def statement(request, pk: int):
    """Record one xAPI statement from the player for this item. 400 malformed / another person or
    activity, 403 not signed in, 404 not accessible, 413 too large; nothing changes on any 4xx."""
    if not request.user.is_authenticated:
        return _error(_("Sign in again to record your work."), 403)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > xapi.MAX_STATEMENT_BYTES:
        return _error(_("The statement is larger than %(limit)d bytes.") % {"limit": xapi.MAX_STATEMENT_BYTES}, 413)
    try:
        parsed = xapi.parse_statement(request.body, activity_path=_activity_path(pk), user=request.user)
    except xapi.StatementInvalid as exc:
        return _error(str(exc), 400)
    item, result = selectors.item_with_result(user=request.user, pk=pk)
    if item is None:
        return _error(_("This interactive content is not available to you."), 404)
    outcome = services.statement_record(user=request.user, item=item, statement=parsed, result=result)
    return JsonResponse(
        {
            "success": True,
            "stored": outcome.stored,
            "completionChanged": outcome.completion_changed,
            "summary": selectors.result_summary(outcome.result),
        }
    )


@never_cache
@require_http_methods(["GET", "POST"])
def state(request, pk: int):
    """The player's saved state ("content user data") for this learner and item.

    GET answers what the page needs to start the player: the state to resume from, the xAPI actor,
    the learner's summary and a CSRF token. POST is H5P core's own save (form fields ``data``,
    ``preload``, ``invalidate``; ``data=0`` deletes). Only the main state is kept
    (``dataType=state``, ``subContentId=0``); H5P's other data types are acknowledged, not stored.
    """
    if not request.user.is_authenticated:
        return _error(_("Sign in again to record your work."), 403)
    item, result = selectors.item_with_result(user=request.user, pk=pk)
    if item is None:
        return _error(_("This interactive content is not available to you."), 404)
    main_state = request.GET.get("dataType", "state") == "state" and request.GET.get("subContentId", "0") in {"0", ""}
    if request.method == "POST":
        if not main_state:
            return JsonResponse({"success": True})
        data = request.POST.get("data")
        if data is None:
            return _error(_("The saved state is missing."), 400)
        if data in {"0", ""}:
            services.state_delete(user=request.user, item=item)
            return JsonResponse({"success": True})
        try:
            json.loads(data)
        except ValueError:
            return _error(_("The saved state is not valid JSON."), 400)
        try:
            services.state_save(user=request.user, item=item, data=data)
        except services.StateTooLarge:
            return _error(
                _("The saved state is larger than %(limit)d bytes.") % {"limit": services.MAX_STATE_BYTES}, 413
            )
        return JsonResponse({"success": True})

    payload = {
        "success": True,
        "actor": {"name": request.user.display_name, "mail": xapi.actor_mbox(request.user).removeprefix("mailto:")},
        "summary": selectors.result_summary(result),
        "csrfToken": get_token(request),
        "verbs": xapi.RECORDED_VERB_IRIS,
    }
    if main_state:
        saved = (
            H5PState.objects.filter(user=request.user, content_id=item.pk)
            .values_list("data", "content_version")
            .first()
        )
        if saved is not None:
            if saved[1] == item.version:
                payload["data"] = saved[0]
            else:
                # The package was replaced since: H5P tells the learner and starts over.
                payload["reset"] = True
    return JsonResponse(payload)


@login_required
@require_GET
def activity(request, pk: int):
    """The item on its own page (trainers' preview; the activity IRI of its xAPI statements)."""
    if selectors.item_for_user(user=request.user, pk=pk) is None:
        raise Http404
    item = H5PContent.objects.get(pk=pk)
    return render(request, "h5p/content_page.html", {"item": item, "value": {"item": item, "requirement": ""}})
