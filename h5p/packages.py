"""H5P packages: validate an uploaded .h5p archive completely, then extract it through the storage API.

``inspect_package`` reads the archive and refuses it, with every reason at once, before a single
byte is written anywhere. ``extract_package`` then writes what the player needs:

- ``h5p/content/<item id>/<version>/h5p.json`` and ``.../content/**`` (a fresh folder per upload,
  so one package's content never overwrites another's, and a replacement never touches the
  version learners are using until it is complete);
- ``h5p/libraries/<Machine>-<major>.<minor>.<patch>-<hash>/**`` for each library the content
  needs: the hash covers every file of the library, so packages that ship an identical library
  share one folder, and a library with the same version but different files gets its own.

Everything goes through Django's storage API (``default_storage``), so it works the same on local
files and on S3-compatible object storage.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import posixpath
import re
import stat
import tempfile
import uuid
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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


@dataclass
class LibraryPlan:
    machine_name: str
    major: int
    minor: int
    patch: int
    folder: str  # the folder inside the archive
    files: dict[str, zipfile.ZipInfo] = field(default_factory=dict)  # path inside the folder → member
    digest: str = ""
    definition: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        """The folder name the player asks for: ``H5P.MultiChoice-1.16``."""
        return f"{self.machine_name}-{self.major}.{self.minor}"

    @property
    def storage_prefix(self) -> str:
        return f"h5p/libraries/{self.key}.{self.patch}-{self.digest[:16]}"


@dataclass
class PackagePlan:
    """What a valid archive holds and where each file will go; nothing has been written yet."""

    h5p_json: dict
    main_library: str
    main_library_label: str  # "H5P.MultiChoice 1.16"
    title: str
    content_files: dict[str, zipfile.ZipInfo]  # "h5p.json", "content/..." → member
    libraries: dict[str, LibraryPlan]  # key → library
    file_count: int
    unpacked_bytes: int


def _size(nbytes: int) -> str:
    return str(filesizeformat(nbytes))


def _unsafe_name(name: str) -> bool:
    if not name or "\\" in name or "\x00" in name or any(ord(char) < 32 for char in name):
        return True
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return True
    return any(part in {"..", "."} for part in name.rstrip("/").split("/"))


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16)


def _extension(name: str) -> str:
    base = posixpath.basename(name)
    return base.rsplit(".", 1)[-1].lower() if "." in base else ""


def _version(value) -> int | None:
    """A version number as H5P's schema allows it: 1–5 digits, as a JSON number or a string."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value <= 99999 else None
    if isinstance(value, str) and VERSION.fullmatch(value):
        return int(value)
    return None


def _library_ref(entry) -> LibraryRef | None:
    """A dependency entry (``{"machineName", "majorVersion", "minorVersion"}``), or None if invalid."""
    if not isinstance(entry, dict):
        return None
    machine = entry.get("machineName")
    major, minor = _version(entry.get("majorVersion")), _version(entry.get("minorVersion"))
    if not isinstance(machine, str) or not MACHINE_NAME.fullmatch(machine) or major is None or minor is None:
        return None
    return LibraryRef(machine, major, minor)


def _shown(value, length: int = 120) -> str:
    """A JSON value as a trainer can read it in a message, cut to ``length`` characters."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= length else text[: length - 1] + "…"


def _is_parsed_json(name: str) -> bool:
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


def _read_json(archive: zipfile.ZipFile, info: zipfile.ZipInfo, errors: list[str]):
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


def _open_archive(upload):
    upload.seek(0)
    try:
        return zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise PackageRefused(
            [_("The file is not a valid H5P package: it cannot be opened as a ZIP archive (.h5p).")]
        ) from exc


def inspect_package(upload) -> PackagePlan:
    """Check every rule on an uploaded archive (a file object) and return what to extract.

    Raises ``PackageRefused`` listing every reason. Reads the archive only: nothing is written.
    """
    upload_size = getattr(upload, "size", None)
    if upload_size is None:
        upload.seek(0, 2)
        upload_size = upload.tell()
    if upload_size > limit("H5P_MAX_UPLOAD_BYTES"):
        raise PackageRefused(
            [
                _("The file is %(size)s; at most %(limit)s can be uploaded.")
                % {"size": _size(upload_size), "limit": _size(limit("H5P_MAX_UPLOAD_BYTES"))}
            ]
        )
    archive = _open_archive(upload)
    with archive:
        return _inspect_archive(archive)


def _inspect_archive(archive: zipfile.ZipFile) -> PackagePlan:
    try:
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:  # pragma: no cover - infolist is read at open
        raise PackageRefused(
            [_("The file is not a valid H5P package: it cannot be opened as a ZIP archive (.h5p).")]
        ) from exc
    files = _check_archive_safety(members)
    visible = [info for info in files if not HIDDEN_SEGMENT.search(info.filename)]
    errors = _check_file_types(visible)
    digests = _check_integrity(archive, visible, errors)
    by_name = {info.filename: info for info in visible}
    h5p_json, main, dependencies = _read_package_definition(archive, by_name, errors)
    libraries = _resolve_libraries(archive, by_name, dependencies, digests, errors)
    if errors or h5p_json is None or main is None:
        raise PackageRefused(errors)
    return _package_plan(h5p_json, main, by_name, libraries)


def _check_archive_safety(members: list[zipfile.ZipInfo]) -> list[zipfile.ZipInfo]:
    """Phase 1: the archive as a whole, from the central directory only, so a bomb or a traversal
    is refused before any member is decompressed. Returns the file members (not folders)."""
    errors: list[str] = []
    files = [info for info in members if not info.is_dir()]
    unsafe = sorted({info.filename for info in members if _unsafe_name(info.filename)})
    if unsafe:
        errors.append(
            _("The package contains unsafe paths (absolute, or climbing out of the package folder): %(names)s.")
            % {"names": ", ".join(unsafe[:10])}
        )
    links = sorted(info.filename for info in members if _is_symlink(info))
    if links:
        errors.append(
            _("The package contains symbolic links, which are not allowed: %(names)s.")
            % {"names": ", ".join(links[:10])}
        )
    seen: set[str] = set()
    duplicates = sorted({info.filename for info in files if info.filename in seen or seen.add(info.filename)})
    if duplicates:
        errors.append(
            _("These names appear more than once in the package: %(names)s.") % {"names": ", ".join(duplicates[:10])}
        )
    encrypted = sorted(info.filename for info in files if info.flag_bits & 0x1)
    if encrypted:
        errors.append(
            _("These files are password-protected and cannot be read: %(names)s.")
            % {"names": ", ".join(encrypted[:10])}
        )
    if len(files) > limit("H5P_MAX_FILES"):
        errors.append(
            _("The package contains %(count)d files; at most %(limit)d are allowed.")
            % {"count": len(files), "limit": limit("H5P_MAX_FILES")}
        )
    unpacked = sum(info.file_size for info in files)
    if unpacked > limit("H5P_MAX_UNPACKED_BYTES"):
        errors.append(
            _("The package unpacks to %(size)s; at most %(limit)s is allowed.")
            % {"size": _size(unpacked), "limit": _size(limit("H5P_MAX_UNPACKED_BYTES"))}
        )
    bomb = _zip_bomb_error(files, unpacked)
    if bomb:
        errors.append(bomb)
    errors.extend(_json_size_errors(files))
    if errors:
        # Nothing below is safe to do with such an archive.
        raise PackageRefused(errors)
    return files


def _zip_bomb_error(files: list[zipfile.ZipInfo], unpacked: int) -> str | None:
    ratio_limit = limit("H5P_MAX_COMPRESSION_RATIO")
    bombs = []
    for info in files:
        if info.file_size >= limit("H5P_RATIO_MIN_BYTES"):
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > ratio_limit:
                bombs.append(f"{info.filename} ({ratio:.0f}×)")
    packed = sum(info.compress_size for info in files)
    if not bombs and unpacked >= limit("H5P_RATIO_MIN_BYTES") and unpacked / max(packed, 1) > ratio_limit:
        bombs.append(_("the whole package (%(ratio)d×)") % {"ratio": unpacked / max(packed, 1)})
    if not bombs:
        return None
    return _(
        "The package is compressed far more than real content ever is (more than %(limit)d times), "
        "which is how a zip bomb looks: %(names)s."
    ) % {"limit": ratio_limit, "names": ", ".join(bombs[:10])}


def _json_size_errors(files: list[zipfile.ZipInfo]) -> list[str]:
    """The JSON files the checks parse, bounded by their declared size before any is read."""
    errors = []
    for info in files:
        name = info.filename
        if not _is_parsed_json(name) or HIDDEN_SEGMENT.search(name):
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
                % {"size": _size(info.file_size), "limit": _size(size_limit)}
            )
        else:
            errors.append(
                _("%(name)s is %(size)s; at most %(limit)s is allowed for this file.")
                % {"name": name, "size": _size(info.file_size), "limit": _size(size_limit)}
            )
    return errors


def _check_file_types(visible: list[zipfile.ZipInfo]) -> list[str]:
    """Phase 2: H5P's whitelists (content, libraries), every offending file by name; reported with
    the later checks. Like H5P, the extension is compared in lower case (``FOTO.JPG`` is a jpg)."""
    refused_content, refused_library = [], []
    for info in visible:
        name = info.filename
        if name.startswith("content/") or "/" not in name:
            if _extension(name) not in CONTENT_EXTENSIONS:
                refused_content.append(name)
        elif _extension(name) not in LIBRARY_EXTENSIONS:
            refused_library.append(name)
    errors = []
    if refused_content:
        errors.append(
            ngettext(
                "This content file has a type H5P does not allow in content: %(names)s.",
                "These content files have types H5P does not allow in content: %(names)s.",
                len(refused_content),
            )
            % {"names": _names(refused_content)}
            + " "
            + _("Allowed in content: %(types)s.") % {"types": ", ".join(sorted(CONTENT_EXTENSIONS))}
        )
        if any(_extension(name) in SCRIPTABLE_EXTENSIONS for name in refused_content):
            errors.append(
                _(
                    "SVG and XML files can carry scripts, so H5P no longer accepts them as content: "
                    "in the H5P editor, replace such images with PNG or JPG files and export again."
                )
            )
    if refused_library:
        errors.append(
            ngettext(
                "This library file has a type H5P does not allow: %(names)s.",
                "These library files have types H5P does not allow: %(names)s.",
                len(refused_library),
            )
            % {"names": _names(refused_library)}
            + " "
            + _("Allowed in libraries: %(types)s.") % {"types": ", ".join(sorted(LIBRARY_EXTENSIONS))}
        )
    return errors


def _names(names: list[str], shown: int = 20) -> str:
    return ", ".join(names[:shown]) + (" …" if len(names) > shown else "")


def _check_integrity(archive: zipfile.ZipFile, visible: list[zipfile.ZipInfo], errors: list[str]) -> dict[str, str]:
    """Phase 3: every member must decompress to its declared size with a matching CRC; returns each
    member's SHA-256. Declared sizes were bounded in phase 1, so this reads at most the unpacked limit."""
    digests: dict[str, str] = {}
    corrupt = []
    for info in visible:
        hasher = hashlib.sha256()
        try:
            with archive.open(info) as member:
                while chunk := member.read(CHUNK_SIZE):
                    hasher.update(chunk)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError, ValueError):
            corrupt.append(info.filename)
            continue
        digests[info.filename] = hasher.hexdigest()
    if corrupt:
        errors.append(
            _("The package is damaged; these files cannot be read: %(names)s. Export it again.")
            % {"names": ", ".join(corrupt[:10])}
        )
        raise PackageRefused(errors)
    return digests


def _read_package_definition(
    archive: zipfile.ZipFile, by_name: dict[str, zipfile.ZipInfo], errors: list[str]
) -> tuple[dict | None, LibraryRef | None, list[LibraryRef]]:
    """Phase 4: h5p.json naming mainLibrary and preloadedDependencies, and content/content.json.
    Returns h5p.json, the main library and the libraries the content needs."""
    h5p_json = None
    wrapped = _wrapping_folder(by_name) if "h5p.json" not in by_name else None
    if wrapped:
        errors.append(
            _(
                "h5p.json is not at the top of the package but inside the folder %(folder)s: the package was "
                "unzipped and zipped again as a folder. Upload the .h5p file exactly as the H5P editor exported "
                "it, or zip the contents of that folder, not the folder itself."
            )
            % {"folder": wrapped}
        )
        return None, None, []
    if "h5p.json" not in by_name:
        errors.append(
            _(
                "h5p.json is missing at the root of the package, so this is not an H5P file. "
                "Export the content again as an .h5p file from Lumi or another H5P editor."
            )
        )
    else:
        h5p_json = _read_json(archive, by_name["h5p.json"], errors)
        if h5p_json is INVALID:
            h5p_json = None
        elif not isinstance(h5p_json, dict):
            errors.append(_("h5p.json is not valid: it must be a JSON object."))
            h5p_json = None
    if CONTENT_JSON not in by_name:
        errors.append(_("content/content.json is missing: the package has no content. Export it again."))
    else:
        _read_json(archive, by_name[CONTENT_JSON], errors)  # parsed to check it; the player reads it
    if h5p_json is None:
        return None, None, []

    main_name = h5p_json.get("mainLibrary")
    if not isinstance(main_name, str) or not main_name:
        errors.append(_("h5p.json does not name its main library (mainLibrary)."))
        main_name = ""
    preloaded = h5p_json.get("preloadedDependencies")
    if not isinstance(preloaded, list) or not preloaded:
        errors.append(_("h5p.json does not list the libraries it needs (preloadedDependencies)."))
        preloaded = []
    # dynamicDependencies are loaded on demand; H5P requires them in the package all the same.
    dynamic = h5p_json.get("dynamicDependencies")
    dependencies = _dependency_refs(preloaded + (dynamic if isinstance(dynamic, list) else []), "h5p.json", errors)
    main = next((ref for ref in _dependency_refs(preloaded, "", []) if ref.machine_name == main_name), None)
    if main_name and main is None:
        errors.append(
            _(
                "h5p.json names %(library)s as its main library but does not list it among its dependencies "
                "(preloadedDependencies lists: %(listed)s)."
            )
            % {
                "library": main_name,
                "listed": ", ".join(ref.label for ref in _dependency_refs(preloaded, "", [])) or "–",
            }
        )
    return h5p_json, main, dependencies


def _dependency_refs(entries: list, source: str, errors: list[str]) -> list[LibraryRef]:
    """The valid entries of a dependency list; the invalid ones are named in one reason."""
    refs, invalid = [], []
    for entry in entries:
        ref = _library_ref(entry)
        if ref is None:
            invalid.append(_shown(entry))
        else:
            refs.append(ref)
    if invalid and source:
        errors.append(
            _(
                "%(file)s lists a library H5P cannot read (each needs a machineName, and a majorVersion and "
                "minorVersion of 1 to 5 digits): %(entries)s."
            )
            % {"file": source, "entries": "; ".join(invalid[:5])}
        )
    return refs


def _wrapping_folder(by_name: dict[str, zipfile.ZipInfo]) -> str | None:
    """The folder holding h5p.json when a package was unzipped and zipped again as a folder
    ("Compress" on macOS, "Send to → Compressed folder" on Windows)."""
    wrapped = sorted(name.split("/", 1)[0] for name in by_name if name.count("/") == 1 and name.endswith("/h5p.json"))
    return wrapped[0] if wrapped else None


def _library_folders(by_name: dict[str, zipfile.ZipInfo]) -> dict[str, dict[str, zipfile.ZipInfo]]:
    """Top-level folders other than ``content``: folder → {path inside the folder → member}."""
    folders: dict[str, dict[str, zipfile.ZipInfo]] = {}
    for name, info in by_name.items():
        if "/" in name and not name.startswith("content/"):
            folder, rest = name.split("/", 1)
            folders.setdefault(folder, {})[rest] = info
    return folders


def _resolve_libraries(
    archive: zipfile.ZipFile,
    by_name: dict[str, zipfile.ZipInfo],
    dependencies: list[LibraryRef],
    digests: dict[str, str],
    errors: list[str],
) -> dict[str, LibraryPlan]:
    """Phase 5: every library the content needs, and every library those need (preloaded and
    dynamic dependencies, recursively), must be in the package with a library.json that matches.

    A library's folder is named ``<machineName>-<major>.<minor>`` or just ``<machineName>``, as
    H5P allows. Editor dependencies are not followed: the player never loads them, and h5p.org
    exports often leave them out."""
    folders = _library_folders(by_name)
    libraries: dict[str, LibraryPlan] = {}
    missing: list[str] = []
    queue = list(dependencies)
    while queue:
        ref = queue.pop(0)
        if ref.key in libraries or ref.key in missing:
            continue
        folder = next(
            (name for name in (ref.key, ref.machine_name) if "library.json" in folders.get(name, {})),
            None,
        )
        if folder is None:
            missing.append(ref.key)
            continue
        library = _library_plan(archive, ref, folder, folders[folder], digests, errors)
        if library is None:
            continue
        libraries[ref.key] = library
        definition = library.definition
        needed = [
            entry
            for field_name in ("preloadedDependencies", "dynamicDependencies")
            if isinstance(definition.get(field_name), list)
            for entry in definition[field_name]
        ]
        queue.extend(_dependency_refs(needed, f"{folder}/library.json", errors))
    if missing:
        errors.append(_missing_libraries_error(missing))
    return libraries


def _library_plan(
    archive: zipfile.ZipFile,
    ref: LibraryRef,
    folder: str,
    files: dict[str, zipfile.ZipInfo],
    digests: dict[str, str],
    errors: list[str],
) -> LibraryPlan | None:
    """One needed library, from its folder: library.json must describe it, the scripts and styles
    it lists must be there, and semantics.json (when present) must be valid JSON."""
    definition = _read_json(archive, files["library.json"], errors)
    if definition is INVALID:
        return None
    found = _library_ref(definition)
    if not isinstance(definition, dict) or found is None:
        errors.append(
            _(
                "%(folder)s/library.json does not describe a library: it needs a machineName, and a "
                "majorVersion and minorVersion of 1 to 5 digits."
            )
            % {"folder": folder}
        )
        return None
    if found != ref:
        errors.append(
            _("The package needs library %(library)s, but its folder %(folder)s holds %(found)s.")
            % {"library": ref.label, "folder": folder, "found": found.label}
        )
        return None
    if "semantics.json" in files:
        _read_json(archive, files["semantics.json"], errors)
    library = LibraryPlan(
        machine_name=ref.machine_name,
        major=ref.major,
        minor=ref.minor,
        patch=_version(definition.get("patchVersion")) or 0,
        folder=folder,
        files=files,
        definition=definition,
    )
    _check_library_assets(library, errors)
    library.digest = _library_digest(library, digests)
    return library


def _check_library_assets(library: LibraryPlan, errors: list[str]) -> None:
    definition = library.definition
    assets = [
        asset
        for field_name in ("preloadedJs", "preloadedCss")
        if isinstance(definition.get(field_name), list)
        for asset in definition[field_name]
    ]
    for asset in assets:
        path = asset.get("path") if isinstance(asset, dict) else None
        # H5P reads "\\" as "/" and allows a leading slash.
        normalised = posixpath.normpath(path.replace("\\", "/").lstrip("/")) if isinstance(path, str) else None
        if normalised not in library.files:
            errors.append(
                _("Library %(library)s needs the file %(path)s, which is not in the package.")
                % {
                    "library": f"{library.machine_name} {library.major}.{library.minor}",
                    "path": path if isinstance(path, str) else _shown(asset),
                }
            )


def _library_digest(library: LibraryPlan, digests: dict[str, str]) -> str:
    return hashlib.sha256(
        "\n".join(f"{rest}:{digests[info.filename]}" for rest, info in sorted(library.files.items())).encode()
    ).hexdigest()


def _missing_libraries_error(missing: list[str]) -> str:
    return _(
        "The package does not contain the libraries it needs: %(names)s. It was probably exported without "
        "its libraries. Export it again with libraries: in Lumi, open the content and choose File → Export "
        'with the H5P (.h5p) format; in Moodle, WordPress or Drupal use the "Reuse" → "Download as an '
        '.h5p file" button. A complete file holds, next to the content folder, one folder per library, '
        "named like H5P.MultiChoice-1.16."
    ) % {"names": ", ".join(missing)}


def _package_plan(
    h5p_json: dict, main: LibraryRef, by_name: dict[str, zipfile.ZipInfo], libraries: dict[str, LibraryPlan]
) -> PackagePlan:
    content_files = {name: info for name, info in by_name.items() if name == "h5p.json" or name.startswith("content/")}
    title = h5p_json.get("title") if isinstance(h5p_json.get("title"), str) else ""
    return PackagePlan(
        h5p_json=h5p_json,
        main_library=main.machine_name,
        main_library_label=main.label,
        title=title[:200],
        content_files=content_files,
        libraries=libraries,
        file_count=len(content_files) + sum(len(library.files) for library in libraries.values()),
        unpacked_bytes=sum(info.file_size for info in content_files.values())
        + sum(info.file_size for library in libraries.values() for info in library.files.values()),
    )


@dataclass
class Extraction:
    """What ``extract_package`` wrote: the content folder and where each library lives."""

    version: str
    content_prefix: str
    library_map: dict[str, str]
    written: list[str]


def _member_file(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> File:
    if info.file_size <= SPOOL_LIMIT:
        return ContentFile(archive.read(info))
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the caller through File.close()
    with archive.open(info) as member:
        while chunk := member.read(CHUNK_SIZE):
            spool.write(chunk)
    spool.seek(0)
    return File(spool)


def _save(storage: Storage, name: str, content: File) -> str:
    try:
        return storage.save(name, content)
    finally:
        content.close()


def extract_package(upload, plan: PackagePlan, *, owner_key: str, storage: Storage | None = None) -> Extraction:
    """Write a package checked by ``inspect_package`` to storage.

    Content goes to a new folder named by a fresh version id below ``h5p/content/<owner_key>/``;
    libraries are reused when an identical copy is already stored. If anything fails midway, the
    files written so far are removed and the exception propagates: the previous version, which
    lives in another folder, is untouched.
    """
    storage = storage or default_storage
    version = uuid.uuid4().hex
    content_prefix = f"h5p/content/{owner_key}/{version}"
    written: list[str] = []
    library_map: dict[str, str] = {}
    archive = _open_archive(upload)
    try:
        with archive:
            for name, info in sorted(plan.content_files.items()):
                target = f"{content_prefix}/{name}"
                saved = _save(storage, target, _member_file(archive, info))
                written.append(saved)
                if saved != target:  # pragma: no cover - a fresh uuid folder cannot hold the name yet
                    raise OSError(f"storage renamed {target} to {saved}")
            for key, library in sorted(plan.libraries.items()):
                prefix = library.storage_prefix
                library_map[key] = prefix
                if storage.exists(f"{prefix}/library.json"):
                    continue  # identical library already stored (library.json is written last)
                # library.json last: its presence marks a complete copy for the next package.
                names = sorted(library.files, key=lambda rest: (rest == "library.json", rest))
                for rest in names:
                    target = f"{prefix}/{rest}"
                    saved = _save(storage, target, _member_file(archive, library.files[rest]))
                    if saved != target:
                        # Another upload stored the same file at the same moment: the bytes are
                        # identical (same hash), so keep theirs and drop our copy.
                        storage.delete(saved)
    except Exception:
        delete_files(written, storage=storage)
        raise
    return Extraction(version=version, content_prefix=content_prefix, library_map=library_map, written=written)


def delete_files(names, *, storage: Storage | None = None) -> None:
    storage = storage or default_storage
    for name in names:
        with contextlib.suppress(OSError):  # best effort clean-up
            storage.delete(name)


def delete_tree(prefix: str, *, storage: Storage | None = None) -> None:
    """Delete every file below ``prefix`` (a folder written by ``extract_package``)."""
    storage = storage or default_storage
    if not prefix.startswith("h5p/content/"):
        raise ValueError("only extracted content folders may be deleted")
    try:
        folders, files = storage.listdir(prefix)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        delete_files([f"{prefix}/{name}"], storage=storage)
    for folder in folders:
        delete_tree(f"{prefix}/{folder}", storage=storage)
    try:
        local_folder = storage.path(prefix)
    except NotImplementedError:  # object storage has no folders to leave behind
        return
    if local_folder:
        # Local storage leaves empty folders behind; remove them so the tree really goes.
        for root, dirnames, _files in os.walk(local_folder, topdown=False):
            for dirname in dirnames:
                with contextlib.suppress(OSError):
                    os.rmdir(os.path.join(root, dirname))
        with contextlib.suppress(OSError):
            os.rmdir(local_folder)


# The served path inside an item's URL space: "h5p.json", "content/...", "libraries/<key>/...".
def storage_name_for(path: str, *, content_prefix: str, library_map: dict[str, str]) -> str | None:
    """Map a path the player asks for to the stored file, or None when it is not part of the item."""
    if _unsafe_name(path) or path.endswith("/") or HIDDEN_SEGMENT.search(path):
        return None
    if path == "h5p.json" or path.startswith("content/"):
        if path != "h5p.json" and _extension(path) not in CONTENT_EXTENSIONS:
            return None
        return f"{content_prefix}/{path}"
    if path.startswith("libraries/"):
        parts = path.split("/", 2)
        if len(parts) != 3 or _extension(parts[2]) not in LIBRARY_EXTENSIONS:
            return None
        prefix = library_map.get(parts[1])
        return f"{prefix}/{parts[2]}" if prefix else None
    return None


__all__ = [
    "CONTENT_EXTENSIONS",
    "LIBRARY_EXTENSIONS",
    "Extraction",
    "PackagePlan",
    "PackageRefused",
    "delete_tree",
    "extract_package",
    "inspect_package",
    "storage_name_for",
]
