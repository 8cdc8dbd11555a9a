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

``rules`` holds the limits, whitelists, names and versions; ``json_files`` the bounded reading of the
JSON files the checks parse; ``inspection`` the checks, phase by phase; ``storage`` the writing,
deleting and serving paths. Import from ``h5p.packages``.
"""

from h5p.packages.inspection import LibraryPlan, PackagePlan, inspect_package
from h5p.packages.rules import CONTENT_EXTENSIONS, LIBRARY_EXTENSIONS, LibraryRef, PackageRefused, limit
from h5p.packages.storage import Extraction, delete_files, delete_tree, extract_package, storage_name_for

__all__ = [
    "CONTENT_EXTENSIONS",
    "LIBRARY_EXTENSIONS",
    "Extraction",
    "LibraryPlan",
    "LibraryRef",
    "PackagePlan",
    "PackageRefused",
    "delete_files",
    "delete_tree",
    "extract_package",
    "inspect_package",
    "limit",
    "storage_name_for",
]
