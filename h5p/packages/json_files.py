"""The package's JSON files that the checks parse: bounded in size (from the ZIP directory, before
anything is decompressed) and in nesting (before the parser, which recurses once per level)."""

from __future__ import annotations

import json
import re
import zipfile

from django.utils.translation import gettext as _

from h5p.packages.rules import CONTENT_JSON, DEFINITION_JSON, HIDDEN_SEGMENT, limit, size_text


def is_parsed_json(name: str) -> bool:
    if name in {"h5p.json", CONTENT_JSON}:
        return True
    parts = name.split("/")
    return len(parts) == 2 and parts[0] != "content" and parts[1] in DEFINITION_JSON


def _json_size_limit(name: str) -> str:
    return "H5P_MAX_CONTENT_JSON_BYTES" if name == CONTENT_JSON else "H5P_MAX_DEFINITION_JSON_BYTES"


# A JSON string (escapes included) or a bracket: strings are skipped whole, so brackets inside them
# do not count.
JSON_NESTING_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)


def _nesting_exceeds(text: str, max_depth: int) -> bool:
    """Whether ``text`` opens more than ``max_depth`` lists/objects inside each other, found without
    parsing it (the parser recurses once per level, so a deep file must never reach it)."""
    depth = 0
    for match in JSON_NESTING_TOKEN.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > max_depth:
                return True
        elif token in ("]", "}"):
            depth -= 1
    return False


class _Invalid:
    """Marks a JSON file that could not be used (the reason is already among the errors)."""


INVALID = _Invalid()


def read_json(archive: zipfile.ZipFile, info: zipfile.ZipInfo, errors: list[str]):
    """Parse one of the package's JSON files; on failure add a reason naming the file, return INVALID.

    Its size was bounded in phase 1 (from the ZIP directory, and ``ZipFile.open`` never returns
    more than the declared size)."""
    name = info.filename
    try:
        text = archive.read(info).decode("utf-8-sig")
    except UnicodeDecodeError:
        errors.append(_("%(name)s is not valid JSON: it is not UTF-8 text.") % {"name": name})
        return INVALID
    max_depth = limit("H5P_MAX_JSON_DEPTH")
    if _nesting_exceeds(text, max_depth):
        errors.append(_nesting_error(name, max_depth))
        return INVALID
    try:
        return json.loads(text)
    except RecursionError:  # pragma: no cover - the nesting check above refuses such files first
        errors.append(_nesting_error(name, max_depth))
    except json.JSONDecodeError as exc:
        errors.append(
            _("%(name)s is not valid JSON (line %(line)d, column %(column)d). Export the content again.")
            % {"name": name, "line": exc.lineno, "column": exc.colno}
        )
    return INVALID


def _nesting_error(name: str, max_depth: int) -> str:
    return _(
        "%(name)s nests lists and objects more than %(limit)d levels deep; real H5P content never does. "
        "The file is damaged or was made to overload the server: export the content again."
    ) % {"name": name, "limit": max_depth}


def json_size_errors(files: list[zipfile.ZipInfo]) -> list[str]:
    """The JSON files the checks parse, bounded by their declared size before any is read."""
    errors = []
    for info in files:
        name = info.filename
        if not is_parsed_json(name) or HIDDEN_SEGMENT.search(name):
            continue
        size_limit = limit(_json_size_limit(name))
        if info.file_size <= size_limit:
            continue
        if name == CONTENT_JSON:
            errors.append(
                _(
                    "content/content.json is %(size)s; at most %(limit)s is allowed. Content this large usually "
                    "holds pasted images or very long texts: add images as image files in the H5P editor, or "
                    "split the content into several H5P items."
                )
                % {"size": size_text(info.file_size), "limit": size_text(size_limit)}
            )
        else:
            errors.append(
                _("%(name)s is %(size)s; at most %(limit)s is allowed for this file.")
                % {"name": name, "size": size_text(info.file_size), "limit": size_text(size_limit)}
            )
    return errors
