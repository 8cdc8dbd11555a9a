"""H5P views: the sandboxed player document and the package files it fetches, the xAPI and
saved-state endpoints, a preview page. See ``h5p.player`` for how the player is isolated."""

from __future__ import annotations

import mimetypes
import posixpath

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponseNotModified, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from h5p import packages, player, selectors, services, xapi
from h5p.models import H5PContent, H5PState
from lms.media import protect_upload_response

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
# Every package file opened as a document is sandboxed (no script, nothing loaded from elsewhere):
# SVG and XML may carry script, and even a JavaScript or JSON file must not become a page of ours.
FILE_CSP = "sandbox; default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'"


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"success": False, "message": message}, status=status)


@require_GET
def package_file(request, pk: int, version: str, path: str, token: str | None = None):
    """Stream one file of an item's package from storage, to a learner enrolled where it is placed
    (or a trainer). The player fetches ``h5p.json``, ``content/...`` and ``libraries/<name>/...``.

    Two ways in: signed in (``/h5p/<id>/v/<version>/<path>``, the session decides), or with a file
    token in the path (``.../v/<version>/t/<token>/<path>``), which is how the sandboxed player
    asks, since its opaque origin sends no cookies. Either way the access rule is checked again.
    """
    user = request.user if token is None else player.token_user(token, item_id=pk, version=version)
    if user is None:
        raise Http404
    item = selectors.item_for_user(user=user, pk=pk)
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
        _file_access_headers(response, token=token)
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
    response["Content-Security-Policy"] = FILE_CSP
    # Inline, not as attachments: the player shows SVG images; the sandbox above keeps them inert.
    protect_upload_response(response, name=path, content_type=content_type, inline_ok=True)
    _file_access_headers(response, token=token)
    return response


def _file_access_headers(response, *, token: str | None) -> None:
    if token is None:
        patch_vary_headers(response, ["Cookie"])
    else:
        # The sandboxed player's fetch() of h5p.json / content.json comes from origin "null": let
        # it read the answer. No credentials are involved; the token in the URL is the access.
        response["Access-Control-Allow-Origin"] = "*"
        response["Referrer-Policy"] = "no-referrer"


@xframe_options_exempt  # framing is decided by the CSP's frame-ancestors below
@require_GET
def player_page(request, pk: int, version: str, token: str):
    """The player document shown in the lesson's sandboxed frame (see ``h5p.player``).

    Authorised by the file token only: a sandboxed frame is cross-site, so no session comes with
    it. It holds no learner data; the page sends the saved state and the actor by postMessage.
    """
    user = player.token_user(token, item_id=pk, version=version)
    item = selectors.item_for_user(user=user, pk=pk) if user is not None else None
    if item is None or item.version != version:
        raise Http404
    config = {
        "contentId": str(item.pk),
        "filesBase": player.files_base(item=item, token=token),
        "frameJs": static("h5p/vendor/h5p-standalone/frame.bundle.js"),
        "frameCss": static("h5p/vendor/h5p-standalone/styles/h5p.css"),
        "bridgeJs": static("h5p/js/h5p-frame.js"),
    }
    response = render(request, "h5p/player.html", {"item": item, "config": config})
    origin = f"{request.scheme}://{request.get_host()}"
    response["Content-Security-Policy"] = player.player_csp(origin=origin)
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _activity_path(pk: int) -> str:
    return reverse("h5p:activity", args=[pk])


# The form around a state: percent-encoding makes a byte up to three, plus H5P's few other fields.
MAX_STATE_BODY_BYTES = 3 * services.MAX_STATE_BYTES + 4096


def _body_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _state_too_large() -> JsonResponse:
    return _error(_("The saved state is larger than %(limit)d bytes.") % {"limit": services.MAX_STATE_BYTES}, 413)


@require_POST
def statement(request, pk: int):
    """Record one xAPI statement from the player for this item. 400 malformed / another person or
    activity, 403 not signed in, 404 not accessible, 413 too large; nothing changes on any 4xx."""
    if not request.user.is_authenticated:
        return _error(_("Sign in again to record your work."), 403)
    if _body_length(request) > xapi.MAX_STATEMENT_BYTES:
        return _error(_("The statement is larger than %(limit)d bytes.") % {"limit": xapi.MAX_STATEMENT_BYTES}, 413)
    if request.content_type != "application/json":
        return _error(_("A statement must be sent as application/json."), 415)
    try:
        parsed = xapi.parse_statement(
            request.body, activity_path=_activity_path(pk), user=request.user, host=request.get_host()
        )
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
        if _body_length(request) > MAX_STATE_BODY_BYTES:
            return _state_too_large()
        if not main_state:
            return JsonResponse({"success": True})
        data = request.POST.get("data")
        if data is None:
            return _error(_("The saved state is missing."), 400)
        if data in {"0", ""}:
            services.state_delete(user=request.user, item=item)
            return JsonResponse({"success": True})
        if len(data) > services.MAX_STATE_BYTES:
            return _state_too_large()
        try:
            xapi.loads_bounded(
                data,
                too_deep_message=_("The saved state is nested more than %(depth)d levels deep.")
                % {"depth": xapi.MAX_JSON_DEPTH},
                invalid_message=_("The saved state is not valid JSON."),
            )
        except xapi.StatementInvalid as exc:
            return _error(str(exc), 400)
        try:
            services.state_save(user=request.user, item=item, data=data)
        except services.StateTooLarge:
            return _state_too_large()
        return JsonResponse({"success": True})

    token = player.file_token(user=request.user, item=item)
    payload = {
        "success": True,
        "playerUrl": player.player_url(item=item, token=token),
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
