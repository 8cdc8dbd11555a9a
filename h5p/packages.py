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

# H5P's default whitelist (H5PCore::$defaultContentWhitelist), for content files and libraries.
CONTENT_EXTENSIONS = frozenset(
    [
        "json",
        "png",
        "jpg",
        "jpeg",
        "gif",
        "bmp",
        "tif",
        "tiff",
        "svg",
        "eot",
        "ttf",
        "woff",
        "woff2",
        "otf",
        "webm",
        "mp4",
        "ogg",
        "mp3",
        "m4a",
        "wav",
        "txt",
        "pdf",
        "rtf",
        "doc",
        "docx",
        "xls",
        "xlsx",
        "ppt",
        "pptx",
        "odt",
        "ods",
        "odp",
        "xml",
        "csv",
        "diff",
        "patch",
        "swf",
        "md",
        "textile",
        "vtt",
        "webvtt",
        "gltf",
        "glb",
    ]
)
# H5PCore::$defaultLibraryWhitelistExtras: libraries may also carry code and styles.
LIBRARY_EXTENSIONS = CONTENT_EXTENSIONS | {"js", "css"}

# H5P skips (does not extract) any file or folder whose name starts with "." or "_"
# (__MACOSX/, .DS_Store, ...); so do we, after the safety checks.
HIDDEN_SEGMENT = re.compile(r"(^|/)[._]")
MACHINE_NAME = re.compile(r"^[A-Za-z][\w.-]*$")

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
    }
    return int(getattr(settings, name, defaults[name]))


class PackageRefused(Exception):
    """The archive cannot be used; ``errors`` lists every reason, in the active language."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


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
    title: str
    content_files: dict[str, zipfile.ZipInfo]  # "h5p.json", "content/..." → member
    libraries: dict[str, LibraryPlan]  # key → library
    file_count: int
    unpacked_bytes: int

    @property
    def main_library_label(self) -> str:
        for dependency in self.h5p_json.get("preloadedDependencies", []):
            if dependency.get("machineName") == self.main_library:
                return f"{self.main_library} {dependency.get('majorVersion')}.{dependency.get('minorVersion')}"
        return self.main_library


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


def _dependency_key(dependency) -> str | None:
    if not isinstance(dependency, dict):
        return None
    machine = dependency.get("machineName")
    major, minor = dependency.get("majorVersion"), dependency.get("minorVersion")
    if not isinstance(machine, str) or not MACHINE_NAME.match(machine):
        return None
    if not isinstance(major, int) or not isinstance(minor, int) or isinstance(major, bool) or isinstance(minor, bool):
        return None
    return f"{machine}-{major}.{minor}"


def _read_json(archive: zipfile.ZipFile, info: zipfile.ZipInfo):
    return json.loads(archive.read(info).decode("utf-8-sig"))


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
    h5p_json, main_library, dependencies = _read_package_definition(archive, by_name, errors)
    libraries = _resolve_libraries(archive, by_name, dependencies, digests, errors)
    if errors:
        raise PackageRefused(errors)
    return _package_plan(h5p_json, main_library, by_name, libraries)


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


def _check_file_types(visible: list[zipfile.ZipInfo]) -> list[str]:
    """Phase 2: H5P's whitelist, every offending file by name (reported with the later checks)."""
    refused_types = []
    for info in visible:
        name = info.filename
        allowed = CONTENT_EXTENSIONS if name.startswith("content/") or "/" not in name else LIBRARY_EXTENSIONS
        if _extension(name) not in allowed:
            refused_types.append(name)
    if not refused_types:
        return []
    return [
        ngettext(
            "This file has a type H5P does not allow: %(names)s.",
            "These files have types H5P does not allow: %(names)s.",
            len(refused_types),
        )
        % {"names": ", ".join(refused_types[:20]) + (" …" if len(refused_types) > 20 else "")}
        + " "
        + _("Allowed types: %(types)s.") % {"types": ", ".join(sorted(LIBRARY_EXTENSIONS))}
    ]


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
) -> tuple[dict | None, str, list[str]]:
    """Phase 4: h5p.json naming mainLibrary and preloadedDependencies, and content/content.json.
    Returns h5p.json, the main library's machine name and the dependency keys it lists."""
    h5p_json = None
    if "h5p.json" not in by_name:
        errors.append(
            _(
                "h5p.json is missing at the root of the package, so this is not an H5P file. "
                "Export the content again as an .h5p file from Lumi or another H5P editor."
            )
        )
    else:
        try:
            h5p_json = _read_json(archive, by_name["h5p.json"])
        except (ValueError, UnicodeDecodeError):
            errors.append(_("h5p.json is not valid JSON."))
        else:
            if not isinstance(h5p_json, dict):
                errors.append(_("h5p.json is not valid: it must be a JSON object."))
                h5p_json = None
    if "content/content.json" not in by_name:
        errors.append(_("content/content.json is missing: the package has no content. Export it again."))
    else:
        try:
            json.loads(archive.read(by_name["content/content.json"]).decode("utf-8-sig"))
        except (ValueError, UnicodeDecodeError):
            errors.append(_("content/content.json is not valid JSON."))

    main_library = ""
    dependencies: list[str] = []
    if h5p_json is not None:
        main_library = h5p_json.get("mainLibrary")
        preloaded = h5p_json.get("preloadedDependencies")
        if not isinstance(main_library, str) or not main_library:
            errors.append(_("h5p.json does not name its main library (mainLibrary)."))
            main_library = ""
        if not isinstance(preloaded, list) or not preloaded:
            errors.append(_("h5p.json does not list the libraries it needs (preloadedDependencies)."))
            preloaded = []
        keys = [_dependency_key(dependency) for dependency in preloaded]
        if any(key is None for key in keys):
            errors.append(_("h5p.json lists a library without a valid machineName, majorVersion and minorVersion."))
        dependencies = [key for key in keys if key]
        if main_library and not any(key.rsplit("-", 1)[0] == main_library for key in dependencies):
            errors.append(
                _("h5p.json names %(library)s as its main library but does not list it among its dependencies.")
                % {"library": main_library}
            )
    return h5p_json, main_library, dependencies


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
    dependencies: list[str],
    digests: dict[str, str],
    errors: list[str],
) -> dict[str, LibraryPlan]:
    """Phase 5: every library the content needs, and every library those need, must be in the
    package with a library.json that matches its folder."""
    folders = _library_folders(by_name)
    libraries: dict[str, LibraryPlan] = {}
    missing: list[str] = []
    queue = list(dependencies)
    while queue:
        key = queue.pop(0)
        if key in libraries or key in missing:
            continue
        machine, version = key.rsplit("-", 1)
        folder = key if key in folders else (machine if machine in folders else None)
        if folder is None or "library.json" not in folders[folder]:
            missing.append(key)
            continue
        try:
            definition = _read_json(archive, folders[folder]["library.json"])
        except (ValueError, UnicodeDecodeError):
            errors.append(_("%(folder)s/library.json is not valid JSON.") % {"folder": folder})
            continue
        if not isinstance(definition, dict) or _dependency_key(definition) != key:
            errors.append(
                _("%(folder)s/library.json does not describe library %(library)s.") % {"folder": folder, "library": key}
            )
            continue
        patch = definition.get("patchVersion", 0)
        library = LibraryPlan(
            machine_name=machine,
            major=int(definition["majorVersion"]),
            minor=int(definition["minorVersion"]),
            patch=patch if isinstance(patch, int) and not isinstance(patch, bool) and patch >= 0 else 0,
            folder=folder,
            files=folders[folder],
            definition=definition,
        )
        _check_library_assets(library, key, errors)
        library.digest = _library_digest(library, digests)
        libraries[key] = library
        for dependency in definition.get("preloadedDependencies") or []:
            dependency_key = _dependency_key(dependency)
            if dependency_key is None:
                errors.append(
                    _("%(folder)s/library.json lists a library without a valid name and version.") % {"folder": folder}
                )
            else:
                queue.append(dependency_key)
    if missing:
        errors.append(_missing_libraries_error(missing))
    return libraries


def _check_library_assets(library: LibraryPlan, key: str, errors: list[str]) -> None:
    definition = library.definition
    for asset in list(definition.get("preloadedJs") or []) + list(definition.get("preloadedCss") or []):
        path = asset.get("path") if isinstance(asset, dict) else None
        if not isinstance(path, str) or posixpath.normpath(path) not in library.files:
            errors.append(
                _("Library %(library)s needs the file %(path)s, which is not in the package.")
                % {"library": key, "path": path}
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
    h5p_json: dict, main_library: str, by_name: dict[str, zipfile.ZipInfo], libraries: dict[str, LibraryPlan]
) -> PackagePlan:
    content_files = {name: info for name, info in by_name.items() if name == "h5p.json" or name.startswith("content/")}
    title = h5p_json.get("title") if isinstance(h5p_json.get("title"), str) else ""
    return PackagePlan(
        h5p_json=h5p_json,
        main_library=main_library,
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
