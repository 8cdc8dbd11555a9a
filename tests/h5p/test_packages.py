"""Package validation (every refusal reason, with crafted archives), extraction, deduplication, replacement."""

import json
import os
import stat
import zipfile
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.test import override_settings
from django.utils import translation

from h5p import demo_package, packages, services
from h5p.models import H5PContent
from tests.h5p.factories import crafted, item, package, raw_zip, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _indonesian():
    with translation.override("id"):
        yield


def stored_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT) / "h5p"
    if not root.exists():
        return set()
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def refusal(upload_file) -> list[str]:
    before = stored_files()
    with pytest.raises(packages.PackageRefused) as caught:
        services.content_create(title="Ditolak", package=upload_file)
    assert stored_files() == before, "a refused package must write nothing"
    assert not H5PContent.objects.filter(title="Ditolak").exists()
    return caught.value.errors


def test_a_valid_package_is_extracted_through_storage():
    content = item(title="Kuis ASN")
    assert content.version and content.main_library == "H5P.KuisSingkat 1.0"
    assert default_storage.exists(f"{content.content_prefix}/h5p.json")
    assert default_storage.exists(f"{content.content_prefix}/content/content.json")
    library = content.library_map["H5P.KuisSingkat-1.0"]
    assert default_storage.exists(f"{library}/library.json")
    assert default_storage.exists(f"{library}/kuis-singkat.js")
    assert content.package.name.endswith("kuis.h5p") and default_storage.exists(content.package.name)
    assert content.file_count == 5


def test_a_file_that_is_not_a_zip_is_refused():
    errors = refusal(upload(b"%PDF-1.7 this is not a zip", name="kuis.h5p"))
    assert errors == ["Berkas ini bukan paket H5P yang sah: tidak dapat dibuka sebagai arsip ZIP (.h5p)."]


def test_a_damaged_member_is_refused():
    stored = package_stored()
    position = stored.index(b"Aparatur Sipil Negara")
    damaged = stored[:position] + b"X" + stored[position + 1 :]
    errors = refusal(upload(damaged))
    assert len(errors) == 1 and "rusak" in errors[0] and "content/content.json" in errors[0]


def package_stored() -> bytes:
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, data in demo_package.package_entries().items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_missing_h5p_json_is_refused():
    errors = refusal(crafted({"h5p.json": None}))
    assert any("h5p.json tidak ada" in error for error in errors)


def test_missing_content_json_is_refused():
    errors = refusal(crafted({"content/content.json": None}))
    assert any("content/content.json tidak ada" in error for error in errors)


def test_h5p_json_without_main_library_or_dependencies_is_refused():
    errors = refusal(crafted({"h5p.json": json.dumps({"title": "x"}).encode()}))
    assert any("mainLibrary" in error for error in errors)
    assert any("preloadedDependencies" in error for error in errors)


def test_a_package_exported_without_libraries_explains_how_to_export_with_them():
    errors = refusal(package(include_libraries=False))
    assert len(errors) == 1
    assert "H5P.KuisSingkat-1.0" in errors[0]
    assert "Lumi" in errors[0] and "dengan pustakanya" in errors[0]


def test_a_library_needed_by_a_library_must_be_present_too():
    definition = json.loads((demo_package.LIBRARY_DIR / "library.json").read_text())
    definition["preloadedDependencies"] = [{"machineName": "FontAwesome", "majorVersion": 4, "minorVersion": 5}]
    errors = refusal(crafted({"H5P.KuisSingkat-1.0/library.json": json.dumps(definition).encode()}))
    assert any("FontAwesome-4.5" in error for error in errors)


def test_a_library_listing_a_missing_script_is_refused():
    errors = refusal(crafted({"H5P.KuisSingkat-1.0/kuis-singkat.js": None}))
    assert any("kuis-singkat.js" in error for error in errors)


@pytest.mark.parametrize(
    "name",
    ["../evil.json", "content/../../outside.json", "/etc/passwd.txt", "C:/windows/win.ini.txt", "content\\..\\x.json"],
)
def test_path_traversal_and_absolute_paths_are_refused(name):
    errors = refusal(crafted({name: b"{}"}))
    assert len(errors) == 1 and "jalur yang tidak aman" in errors[0] and name in errors[0]


def test_symbolic_links_are_refused():
    def add_link(archive):
        info = zipfile.ZipInfo("content/images/link.png")
        info.create_system = 3
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(info, "/etc/passwd")

    errors = refusal(raw_zip(add_link))
    assert any("tautan simbolik" in error and "content/images/link.png" in error for error in errors)


@override_settings(H5P_MAX_FILES=4)
def test_too_many_files_are_refused():
    errors = refusal(package())
    assert any("5 berkas" in error and "4" in error for error in errors)


@override_settings(H5P_MAX_UNPACKED_BYTES=50_000)
def test_a_package_unpacking_beyond_the_size_limit_is_refused():
    errors = refusal(crafted({"content/images/foto.jpg": os.urandom(60_000)}))
    assert any("membuka menjadi" in error for error in errors)


def test_a_zip_bomb_is_refused_before_anything_is_decompressed():
    bomb = crafted({"content/video.mp4": b"\0" * (8 * 1024 * 1024)})
    with mock.patch("zipfile.ZipFile.open", side_effect=AssertionError("must not decompress")):
        errors = refusal(bomb)
    assert len(errors) == 1 and "bom zip" in errors[0] and "content/video.mp4" in errors[0]


def test_files_outside_the_h5p_whitelist_are_refused_by_name_with_every_other_reason():
    errors = refusal(
        crafted(
            {
                "content/run.php": b"<?php ?>",
                "content/page.html": b"<script></script>",
                "H5P.KuisSingkat-1.0/tool.exe": b"MZ",
                "content/content.json": None,
            }
        )
    )
    types = next(error for error in errors if "jenis" in error)
    for name in ("content/run.php", "content/page.html", "H5P.KuisSingkat-1.0/tool.exe"):
        assert name in types
    assert any("content/content.json tidak ada" in error for error in errors), "every reason at once"


def test_hidden_files_are_skipped_like_h5p_does():
    content = services.content_create(
        title="Dengan berkas tersembunyi", package=crafted({"__MACOSX/._h5p.json": b"x", "content/.DS_Store": b"x"})
    )
    assert not default_storage.exists(f"{content.content_prefix}/content/.DS_Store")


def test_identical_libraries_are_stored_once_and_content_never_overwrites_another_package():
    first = item(title="Pertama", content=demo_package.demo_content(question="Soal pertama?"))
    second = item(title="Kedua", content=demo_package.demo_content(question="Soal kedua?"))
    assert first.library_map == second.library_map
    assert first.content_prefix != second.content_prefix
    with default_storage.open(f"{first.content_prefix}/content/content.json") as handle:
        assert json.load(handle)["question"] == "Soal pertama?"
    with default_storage.open(f"{second.content_prefix}/content/content.json") as handle:
        assert json.load(handle)["question"] == "Soal kedua?"
    library = first.library_map["H5P.KuisSingkat-1.0"]
    folders = {path.split("/")[1] for path in stored_files() if path.startswith("libraries/")}
    assert folders == {library.split("/")[-1]}


def test_a_library_with_the_same_version_but_other_files_gets_its_own_folder():
    first = item(title="Asli")
    changed = crafted({"H5P.KuisSingkat-1.0/kuis-singkat.css": b".kuis-singkat { color: red; }"})
    second = services.content_create(title="Diubah", package=changed)
    assert first.library_map["H5P.KuisSingkat-1.0"] != second.library_map["H5P.KuisSingkat-1.0"]
    with default_storage.open(first.library_map["H5P.KuisSingkat-1.0"] + "/kuis-singkat.css") as handle:
        assert b"color: red" not in handle.read()


def test_a_refused_replacement_keeps_the_previous_version():
    content = item(title="Kuis")
    before = (content.version, content.content_prefix, content.package.name, dict(content.library_map))
    files_before = stored_files()
    with pytest.raises(packages.PackageRefused):
        services.content_replace(item=content, package=package(include_libraries=False))
    content.refresh_from_db()
    assert (content.version, content.content_prefix, content.package.name, content.library_map) == before
    assert stored_files() == files_before


def test_a_storage_failure_midway_removes_the_new_files_and_keeps_the_previous_version():
    content = item(title="Kuis")
    before = (content.version, content.content_prefix)
    files_before = stored_files()
    real_save = default_storage.save
    calls = {"count": 0}

    def failing_save(name, content_file, **kwargs):
        calls["count"] += 1
        if calls["count"] == 2:
            raise OSError("disk full")
        return real_save(name, content_file, **kwargs)

    with mock.patch.object(default_storage, "save", side_effect=failing_save), pytest.raises(OSError):
        services.content_replace(item=content, package=package(content=demo_package.demo_content(question="Baru?")))
    content.refresh_from_db()
    assert (content.version, content.content_prefix) == before
    assert stored_files() == files_before


def test_a_successful_replacement_switches_version_and_removes_the_old_files_after_commit(
    django_capture_on_commit_callbacks,
):
    content = item(title="Kuis")
    old_prefix, old_package = content.content_prefix, content.package.name
    with django_capture_on_commit_callbacks(execute=True):
        services.content_replace(item=content, package=package(content=demo_package.demo_content(question="Baru?")))
    content.refresh_from_db()
    assert content.content_prefix != old_prefix
    with default_storage.open(f"{content.content_prefix}/content/content.json") as handle:
        assert json.load(handle)["question"] == "Baru?"
    assert not default_storage.exists(f"{old_prefix}/h5p.json")
    assert not default_storage.exists(old_package)
    assert services.orphan_content_folders() == []


def test_storage_names_for_player_paths_stay_inside_the_item():
    content = item()
    name = packages.storage_name_for
    kwargs = {"content_prefix": content.content_prefix, "library_map": content.library_map}
    assert name("h5p.json", **kwargs) == f"{content.content_prefix}/h5p.json"
    assert name("libraries/H5P.KuisSingkat-1.0/kuis-singkat.js", **kwargs).endswith("/kuis-singkat.js")
    for bad in (
        "../h5p.json",
        "content/../../x.json",
        "libraries/Other-1.0/x.js",
        "content/x.php",
        "content/.env",
        "x",
    ):
        assert name(bad, **kwargs) is None


def test_cleanup_command_removes_only_folders_no_item_points_to(settings):
    import io
    import os
    import time

    from django.core.management import call_command

    kept = item(title="Dipakai")
    orphan = item(title="Yatim")
    prefix = orphan.content_prefix
    H5PContent.objects.filter(pk=orphan.pk).delete()
    old = time.time() - 7200
    for path in (Path(settings.MEDIA_ROOT) / prefix).rglob("*"):
        os.utime(path, (old, old))
    out = io.StringIO()
    call_command("h5p_cleanup", "--delete", stdout=out)
    assert prefix in out.getvalue()
    assert not default_storage.exists(f"{prefix}/h5p.json")
    assert default_storage.exists(f"{kept.content_prefix}/h5p.json")


def test_deleting_an_item_removes_its_files_after_commit(django_capture_on_commit_callbacks):
    content = item(title="Dihapus")
    prefix, archive = content.content_prefix, content.package.name
    with django_capture_on_commit_callbacks(execute=True):
        content.delete()
    assert not default_storage.exists(f"{prefix}/h5p.json") and not default_storage.exists(archive)
