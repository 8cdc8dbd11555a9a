"""Writing a checked package through Django's storage API, deleting it, and mapping player paths to stored files."""

from __future__ import annotations

import contextlib
import os
import tempfile
import uuid
import zipfile
from dataclasses import dataclass

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage

from h5p.packages.inspection import PackagePlan, open_archive
from h5p.packages.rules import (
    CHUNK_SIZE,
    CONTENT_EXTENSIONS,
    HIDDEN_SEGMENT,
    LIBRARY_EXTENSIONS,
    SPOOL_LIMIT,
    extension,
    unsafe_name,
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
    archive = open_archive(upload)
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
    if unsafe_name(path) or path.endswith("/") or HIDDEN_SEGMENT.search(path):
        return None
    if path == "h5p.json" or path.startswith("content/"):
        if path != "h5p.json" and extension(path) not in CONTENT_EXTENSIONS:
            return None
        return f"{content_prefix}/{path}"
    if path.startswith("libraries/"):
        parts = path.split("/", 2)
        if len(parts) != 3 or extension(parts[2]) not in LIBRARY_EXTENSIONS:
            return None
        prefix = library_map.get(parts[1])
        return f"{prefix}/{parts[2]}" if prefix else None
    return None
