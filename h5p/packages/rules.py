"""The rules an H5P package is held to: limits (settings), whitelists, names and versions as H5P's schemas allow them."""

from __future__ import annotations

import json
import posixpath
import re
import stat
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat

# H5P's default whitelists (H5PCore::$defaultContentWhitelist and $defaultLibraryWhitelistExtras of
# h5p-php-library, since 2024): SVG and XML may carry script, so content may no longer hold them;
# libraries (fonts, icons) may.
H5P_CONTENT_WHITELIST = (
    "json png jpg jpeg gif bmp tif tiff eot ttf woff woff2 otf webm mp4 ogg mp3 m4a wav txt pdf rtf doc docx "
    "xls xlsx ppt pptx odt ods odp csv diff patch swf md textile vtt webvtt gltf glb"
)
CONTENT_EXTENSIONS = frozenset(H5P_CONTENT_WHITELIST.split())
LIBRARY_EXTENSIONS = CONTENT_EXTENSIONS | {"js", "css", "svg", "xml"}
# Types refused in content that real exports from before 2024 may still hold: the message says why.
SCRIPTABLE_EXTENSIONS = frozenset({"svg", "xml"})

# H5P skips (does not extract) any file or folder whose name starts with "." or "_"
# (__MACOSX/, .DS_Store, ...); so do we, after the safety checks.
HIDDEN_SEGMENT = re.compile(r"(^|/)[._]")
# H5P's schemas (H5PValidator::$h5pRequired, $libraryRequired): a machine name of letters, digits,
# "_", "-" and "."; versions of 1–5 digits, which h5p.json files write as numbers or as strings.
MACHINE_NAME = re.compile(r"[\w.-]{1,255}", re.ASCII)
VERSION = re.compile(r"[0-9]{1,5}", re.ASCII)
# The JSON files the checks parse; each is bounded in size before it is read, and in depth.
CONTENT_JSON = "content/content.json"
DEFINITION_JSON = frozenset({"library.json", "semantics.json"})

CHUNK_SIZE = 64 * 1024
SPOOL_LIMIT = 8 * 1024 * 1024


def limit(name: str) -> int:
    """A package limit from settings (see ``H5P_*`` in the docs), with the built-in default."""
    defaults = {
        "H5P_MAX_UPLOAD_BYTES": 200 * 1024 * 1024,
        "H5P_MAX_UNPACKED_BYTES": 500 * 1024 * 1024,
        "H5P_MAX_FILES": 5000,
        "H5P_MAX_COMPRESSION_RATIO": 100,
        # Small files (JSON, SVG) compress far better than media; only big ones can be bombs.
        "H5P_RATIO_MIN_BYTES": 1024 * 1024,
        # Real content.json files are well under 1 MB; a parsed JSON file takes several times its
        # size in memory, so these bound what one upload can cost a worker.
        "H5P_MAX_CONTENT_JSON_BYTES": 5 * 1024 * 1024,
        # h5p.json, library.json and semantics.json (real ones: a few KB to 40 KB).
        "H5P_MAX_DEFINITION_JSON_BYTES": 1024 * 1024,
        # PHP's json_decode, which H5P uses, stops at 512 levels; real packages nest about 25.
        "H5P_MAX_JSON_DEPTH": 512,
    }
    return int(getattr(settings, name, defaults[name]))


class PackageRefused(Exception):
    """The archive cannot be used; ``errors`` lists every reason, in the active language."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class LibraryRef:
    """A library as a dependency names it: machine name and major.minor version."""

    machine_name: str
    major: int
    minor: int

    @property
    def key(self) -> str:
        """The folder name the player asks for: ``H5P.MultiChoice-1.16``."""
        return f"{self.machine_name}-{self.major}.{self.minor}"

    @property
    def label(self) -> str:
        return f"{self.machine_name} {self.major}.{self.minor}"


def size_text(nbytes: int) -> str:
    return str(filesizeformat(nbytes))


def unsafe_name(name: str) -> bool:
    if not name or "\\" in name or "\x00" in name or any(ord(char) < 32 for char in name):
        return True
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return True
    return any(part in {"..", "."} for part in name.rstrip("/").split("/"))


def is_symlink(info: zipfile.ZipInfo) -> bool:
    return info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16)


def extension(name: str) -> str:
    base = posixpath.basename(name)
    return base.rsplit(".", 1)[-1].lower() if "." in base else ""


def version_number(value) -> int | None:
    """A version number as H5P's schema allows it: 1–5 digits, as a JSON number or a string."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value <= 99999 else None
    if isinstance(value, str) and VERSION.fullmatch(value):
        return int(value)
    return None


def library_ref(entry) -> LibraryRef | None:
    """A dependency entry (``{"machineName", "majorVersion", "minorVersion"}``), or None if invalid."""
    if not isinstance(entry, dict):
        return None
    machine = entry.get("machineName")
    major, minor = version_number(entry.get("majorVersion")), version_number(entry.get("minorVersion"))
    if not isinstance(machine, str) or not MACHINE_NAME.fullmatch(machine) or major is None or minor is None:
        return None
    return LibraryRef(machine, major, minor)


def shown(value, length: int = 120) -> str:
    """A JSON value as a trainer can read it in a message, cut to ``length`` characters."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= length else text[: length - 1] + "…"
