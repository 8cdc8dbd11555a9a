"""Checking an uploaded .h5p archive completely, phase by phase, before anything is written."""

from __future__ import annotations

import hashlib
import posixpath
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from h5p.packages.json_files import INVALID, json_size_errors, read_json
from h5p.packages.rules import (
    CHUNK_SIZE,
    CONTENT_EXTENSIONS,
    CONTENT_JSON,
    HIDDEN_SEGMENT,
    LIBRARY_EXTENSIONS,
    SCRIPTABLE_EXTENSIONS,
    LibraryRef,
    PackageRefused,
    extension,
    is_symlink,
    library_ref,
    limit,
    shown,
    size_text,
    unsafe_name,
    version_number,
)


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


def open_archive(upload):
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
                % {"size": size_text(upload_size), "limit": size_text(limit("H5P_MAX_UPLOAD_BYTES"))}
            ]
        )
    archive = open_archive(upload)
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
    unsafe = sorted({info.filename for info in members if unsafe_name(info.filename)})
    if unsafe:
        errors.append(
            _("The package contains unsafe paths (absolute, or climbing out of the package folder): %(names)s.")
            % {"names": ", ".join(unsafe[:10])}
        )
    links = sorted(info.filename for info in members if is_symlink(info))
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
            % {"size": size_text(unpacked), "limit": size_text(limit("H5P_MAX_UNPACKED_BYTES"))}
        )
    bomb = _zip_bomb_error(files, unpacked)
    if bomb:
        errors.append(bomb)
    errors.extend(json_size_errors(files))
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


def _scriptable_note(names: list[str]) -> str | None:
    if not any(extension(name) in SCRIPTABLE_EXTENSIONS for name in names):
        return None
    return _(
        "SVG and XML files can carry scripts, so H5P no longer accepts them as content: "
        "in the H5P editor, replace such images with PNG or JPG files and export again."
    )


# Where a file sits → what may sit there, the message naming the files refused (its plural form chosen
# by "count"), the sentence naming the allowed types, and a note on why some are refused (or None).
FILE_TYPE_RULES = {
    "content": (
        CONTENT_EXTENSIONS,
        ngettext_lazy(
            "This content file has a type H5P does not allow in content: %(names)s.",
            "These content files have types H5P does not allow in content: %(names)s.",
            "count",
        ),
        gettext_lazy("Allowed in content: %(types)s."),
        _scriptable_note,
    ),
    "library": (
        LIBRARY_EXTENSIONS,
        ngettext_lazy(
            "This library file has a type H5P does not allow: %(names)s.",
            "These library files have types H5P does not allow: %(names)s.",
            "count",
        ),
        gettext_lazy("Allowed in libraries: %(types)s."),
        None,
    ),
}


def _check_file_types(visible: list[zipfile.ZipInfo]) -> list[str]:
    """Phase 2: H5P's whitelists (content, libraries), every offending file by name; reported with
    the later checks. Like H5P, the extension is compared in lower case (``FOTO.JPG`` is a jpg)."""
    refused: dict[str, list[str]] = {place: [] for place in FILE_TYPE_RULES}
    for info in visible:
        name = info.filename
        place = "content" if name.startswith("content/") or "/" not in name else "library"
        if extension(name) not in FILE_TYPE_RULES[place][0]:
            refused[place].append(name)
    errors = []
    for place, (allowed, refused_message, allowed_message, note) in FILE_TYPE_RULES.items():
        names = refused[place]
        if not names:
            continue
        errors.append(
            refused_message % {"names": _names(names), "count": len(names)}
            + " "
            + allowed_message % {"types": ", ".join(sorted(allowed))}
        )
        if note is not None and (text := note(names)):
            errors.append(text)
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
        h5p_json = read_json(archive, by_name["h5p.json"], errors)
        if h5p_json is INVALID:
            h5p_json = None
        elif not isinstance(h5p_json, dict):
            errors.append(_("h5p.json is not valid: it must be a JSON object."))
            h5p_json = None
    if CONTENT_JSON not in by_name:
        errors.append(_("content/content.json is missing: the package has no content. Export it again."))
    else:
        read_json(archive, by_name[CONTENT_JSON], errors)  # parsed to check it; the player reads it
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
        ref = library_ref(entry)
        if ref is None:
            invalid.append(shown(entry))
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
    definition = read_json(archive, files["library.json"], errors)
    if definition is INVALID:
        return None
    found = library_ref(definition)
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
        read_json(archive, files["semantics.json"], errors)
    library = LibraryPlan(
        machine_name=ref.machine_name,
        major=ref.major,
        minor=ref.minor,
        patch=version_number(definition.get("patchVersion")) or 0,
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
                    "path": path if isinstance(path, str) else shown(asset),
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
