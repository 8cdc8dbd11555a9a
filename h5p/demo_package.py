"""Build .h5p archives from the project's own minimal H5P library (H5P.KuisSingkat), for tests and demo data.

The project cannot fetch content types from the H5P hub, so it ships one tiny content type of its
own (``h5p/demo_library/``) and zips it into a package on demand.
"""

import io
import json
import zipfile
from pathlib import Path

LIBRARY_FOLDER = "H5P.KuisSingkat-1.0"
LIBRARY_DIR = Path(__file__).resolve().parent / "demo_library" / LIBRARY_FOLDER
DEPENDENCY = {"machineName": "H5P.KuisSingkat", "majorVersion": 1, "minorVersion": 0}


def demo_content(
    *,
    question: str = "Apa kepanjangan dari ASN?",
    options: tuple[str, ...] = ("Aparatur Sipil Negara", "Aparatur Sektor Nasional", "Abdi Sipil Negara"),
    correct: int = 0,
) -> dict:
    """``content/content.json`` of a Kuis Singkat question, with its texts in Bahasa Indonesia."""
    return {
        "question": question,
        "options": list(options),
        "correct": correct,
        "checkLabel": "Periksa jawaban",
        "chooseFirst": "Pilih salah satu jawaban terlebih dahulu.",
        "correctText": "Benar!",
        "wrongText": "Belum tepat.",
    }


def h5p_json(title: str) -> dict:
    return {
        "title": title,
        "language": "id",
        "mainLibrary": DEPENDENCY["machineName"],
        "embedTypes": ["iframe"],
        "license": "U",
        "preloadedDependencies": [dict(DEPENDENCY)],
    }


def library_files() -> dict[str, bytes]:
    """The library's files by their path inside the archive."""
    return {
        f"{LIBRARY_FOLDER}/{path.name}": path.read_bytes() for path in sorted(LIBRARY_DIR.iterdir()) if path.is_file()
    }


def package_entries(
    *, title: str = "Kuis Singkat: ASN", content: dict | None = None, include_libraries: bool = True
) -> dict[str, bytes]:
    entries = {
        "h5p.json": json.dumps(h5p_json(title), ensure_ascii=False).encode(),
        "content/content.json": json.dumps(content or demo_content(), ensure_ascii=False).encode(),
    }
    if include_libraries:
        entries.update(library_files())
    return entries


def zip_entries(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def build_package(**kwargs) -> bytes:
    """A complete, valid .h5p archive (bytes) holding one Kuis Singkat question."""
    return zip_entries(package_entries(**kwargs))
