"""Package validation (every refusal reason, with crafted archives), extraction, deduplication, replacement."""

import dataclasses
import io
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
from tests.h5p import factories
from tests.h5p.factories import as_json, crafted, exported, exported_entries, item, mac_junk, package, raw_zip, upload

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
    types = " ".join(error for error in errors if "jenis" in error)
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


# --------------------------------------------------------------------------------------------
# Packages as real exports write them (h5p.org, Lumi, Moodle, WordPress): issue 12.

EXPORT_KEYS = {
    "H5P.PilihanGanda-1.16",
    "H5P.Soal-1.5",
    "H5P.JoubelUI-1.3",
    "FontAwesome-4.5",
    "H5P.Transition-1.0",
}


def served(content, path: str) -> bytes:
    name = packages.storage_name_for(path, content_prefix=content.content_prefix, library_map=content.library_map)
    assert name is not None, f"{path} is not served"
    with default_storage.open(name) as handle:
        return handle.read()


@pytest.mark.parametrize("h5p_versions", ["string", "int"])
@pytest.mark.parametrize("library_versions", ["string", "int"])
@pytest.mark.parametrize("folders", ["versioned", "bare"])
@pytest.mark.parametrize("h5p_lists", ["all", "main"])
def test_exported_packages_are_accepted_in_every_style_h5p_allows(h5p_versions, library_versions, folders, h5p_lists):
    package_file = exported(
        h5p_versions=h5p_versions, library_versions=library_versions, folders=folders, h5p_lists=h5p_lists
    )
    content = services.content_create(title="Pilihan ganda", package=package_file)
    assert content.main_library == "H5P.PilihanGanda 1.16"
    # The player asks for libraries/<Machine>-<major>.<minor>/ whatever the folder was called.
    assert set(content.library_map) == EXPORT_KEYS
    assert served(content, "libraries/H5P.Transition-1.0/transition.js") == b"H5P.Transition = {};"
    assert served(content, "libraries/FontAwesome-4.5/fontawesome-webfont.svg").startswith(b"<svg")
    assert json.loads(served(content, "h5p.json"))["mainLibrary"] == "H5P.PilihanGanda"


def test_libraries_reached_only_through_other_libraries_are_extracted_with_their_files():
    content = services.content_create(title="Rantai", package=exported(h5p_lists="main"))
    library_files = {path.split("/", 2)[2] for path in stored_files() if path.startswith("libraries/")}
    assert {"transition.js", "h5p-font-awesome.min.css", "js/joubel-ui.js", "scripts/soal.js"} <= library_files
    assert content.file_count == len(exported_entries(h5p_lists="main"))


def test_editor_dependencies_left_out_of_the_export_are_not_required_nor_stored():
    editor = factories.Library("H5PEditor.PilihanGanda", 1, 0, files=(("editor.js", b"//"),), js=("editor.js",))
    with_editor = factories.EXPORT_LIBRARIES + (editor,)
    content = services.content_create(title="Dengan editor", package=exported(libraries=with_editor, h5p_lists="main"))
    assert "H5PEditor.PilihanGanda-1.0" not in content.library_map, "the player never loads editor libraries"
    content = services.content_create(title="Tanpa editor", package=exported())
    assert set(content.library_map) == EXPORT_KEYS


def test_a_missing_dynamic_dependency_is_refused_like_h5p_does():
    main, *rest = factories.EXPORT_LIBRARIES
    dynamic = dataclasses.replace(main, dynamic=("H5P.Gambar 1.1",))
    errors = refusal(exported(libraries=(dynamic, *rest)))
    assert len(errors) == 1 and "H5P.Gambar-1.1" in errors[0] and "Lumi" in errors[0]


def test_content_in_sub_folders_and_upper_case_extensions_is_extracted_and_served():
    content = services.content_create(title="Media", package=exported())
    assert served(content, "content/images/Kantor.JPG").startswith(b"\xff\xd8")
    assert served(content, "content/audios/petunjuk.MP3").startswith(b"ID3")


def test_mac_and_h5p_org_junk_entries_are_skipped_not_refused_nor_stored():
    entries = mac_junk(exported_entries(folders="bare"))
    content = services.content_create(title="Dari Mac", package=upload(demo_package.zip_entries(entries)))
    assert set(content.library_map) == EXPORT_KEYS
    assert not [path for path in stored_files() if "__MACOSX" in path or ".DS_Store" in path or "/._" in path]


@pytest.mark.parametrize(
    "version",
    ["1.16", "", "satu", "-1", "１", 100000, -1, 1.0, True, None, [1], "123456"],
    ids=repr,
)
def test_a_version_h5p_cannot_read_is_refused_naming_the_entry(version):
    h5p_json = json.loads(exported_entries()["h5p.json"])
    h5p_json["preloadedDependencies"][1]["majorVersion"] = version
    errors = refusal(exported(extra={"h5p.json": as_json(h5p_json)}))
    unreadable = next(error for error in errors if "tidak dapat dibaca H5P" in error)
    assert "H5P.Soal" in unreadable and "h5p.json" in unreadable


@pytest.mark.parametrize("version", ["0", "00", "99999", 0, 99999])
def test_every_version_h5p_can_read_is_accepted(version):
    main, *rest = factories.EXPORT_LIBRARIES
    odd = factories.Library("H5P.Catatan", 0, 0, files=(("catatan.js", b"//"),), js=("catatan.js",))
    number = int(version)
    odd = dataclasses.replace(odd, major=number, minor=number)
    main = dataclasses.replace(main, preloaded=(*main.preloaded, odd.label))
    content = services.content_create(title="Versi", package=exported(h5p_lists="main", libraries=(main, *rest, odd)))
    assert f"H5P.Catatan-{number}.{number}" in content.library_map


def test_the_main_library_missing_from_the_dependencies_is_refused_with_what_is_listed():
    h5p_json = json.loads(exported_entries()["h5p.json"])
    h5p_json["preloadedDependencies"] = h5p_json["preloadedDependencies"][1:]
    errors = refusal(exported(extra={"h5p.json": as_json(h5p_json)}))
    main_error = next(error for error in errors if "pustaka utama" in error)
    assert "H5P.PilihanGanda" in main_error and "H5P.Soal 1.5" in main_error


def test_a_bare_folder_holding_another_version_is_refused_naming_both():
    entries = exported_entries(folders="bare")
    definition = json.loads(entries["H5P.Soal/library.json"])
    definition["minorVersion"] = 6
    entries["H5P.Soal/library.json"] = as_json(definition)
    errors = refusal(upload(demo_package.zip_entries(entries)))
    assert any("H5P.Soal 1.5" in error and "H5P.Soal 1.6" in error and "H5P.Soal" in error for error in errors)


def test_a_package_zipped_again_inside_a_folder_says_so():
    entries = {f"Pilihan Ganda/{name}": data for name, data in exported_entries().items()}
    errors = refusal(upload(demo_package.zip_entries(entries)))
    assert len(errors) == 1, errors  # one reason, not "h5p.json missing" and "content.json missing"
    assert "di dalam folder Pilihan Ganda" in errors[0] and "zip isi folder" in errors[0]


@pytest.mark.parametrize("path", ["\\js\\pilihan-ganda.js", "/js/pilihan-ganda.js", "js\\pilihan-ganda.js"])
def test_script_paths_written_with_backslashes_or_a_leading_slash_are_found(path):
    entries = exported_entries()
    definition = json.loads(entries["H5P.PilihanGanda-1.16/library.json"])
    definition["preloadedJs"] = [{"path": path}]
    entries["H5P.PilihanGanda-1.16/library.json"] = as_json(definition)
    content = services.content_create(title="Jalur", package=upload(demo_package.zip_entries(entries)))
    assert "H5P.PilihanGanda-1.16" in content.library_map


@pytest.mark.parametrize("name", ["content/images/logo.svg", "content/images/LOGO.SVG", "content/data.xml"])
def test_svg_and_xml_content_is_refused_like_current_h5p_with_the_reason(name):
    errors = refusal(exported(extra={name: b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'}))
    assert any(name in error and "dalam konten" in error for error in errors)
    assert any("dapat membawa skrip" in error and "PNG" in error for error in errors)


@pytest.mark.parametrize(
    "name",
    ["content/run.php", "content/page.HTML", "H5P.Soal-1.5/tool.exe", "H5P.Soal-1.5/scripts/x.phtml", "sneaky.sh"],
)
def test_the_whitelist_still_refuses_other_types_in_exported_packages(name):
    errors = refusal(exported(extra={name: b"<?php system($_GET['c']); ?>"}))
    assert any(name in error and "tidak diizinkan H5P" in error for error in errors)


@pytest.mark.parametrize("folders", ["versioned", "bare"])
@pytest.mark.parametrize(
    "hostile",
    ["traversal", "absolute", "symlink", "bomb", "too_many_files"],
)
def test_every_safety_check_still_refuses_exported_packages(folders, hostile, settings):
    entries = exported_entries(folders=folders)
    if hostile == "too_many_files":
        settings.H5P_MAX_FILES = len(entries) - 1
    if hostile == "traversal":
        entries["content/../../../etc/cron.d/x.json"] = b"{}"
    if hostile == "absolute":
        entries["/tmp/x.json"] = b"{}"
    if hostile == "bomb":
        entries["content/video.mp4"] = b"\0" * (8 * 1024 * 1024)

    def build(archive):
        for name, data in entries.items():
            archive.writestr(name, data)
        if hostile == "symlink":
            info = zipfile.ZipInfo("H5P.Soal-1.5/scripts/link.js" if folders == "versioned" else "H5P.Soal/link.js")
            info.create_system = 3
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, "/etc/passwd")

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        build(archive)
    errors = refusal(upload(buffer.getvalue()))
    expected = {
        "traversal": "jalur yang tidak aman",
        "absolute": "jalur yang tidak aman",
        "symlink": "tautan simbolik",
        "bomb": "bom zip",
        "too_many_files": "berkas; paling banyak",
    }[hostile]
    assert any(expected in error for error in errors), errors


def test_every_real_style_upload_passes_the_admin_form(client):
    from people.roles import PENGAJAR
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="pengajar-unggah", roles=[PENGAJAR]))
    for number, style in enumerate(({"folders": "bare"}, {"h5p_versions": "int"}, {"h5p_lists": "main"})):
        response = client.post(
            "/admin/snippets/h5p/h5pcontent/add/", {"title": f"Ekspor {number}", "upload": exported(**style)}
        )
        assert response.status_code == 302, response.content.decode()[:3000]
    assert H5PContent.objects.filter(main_library="H5P.PilihanGanda 1.16").count() == 3


# --------------------------------------------------------------------------------------------
# Hostile JSON: deep nesting (issue 11 Low #7) and size (issue 11 Low #9).

DEEP_PAYLOADS = {
    "lists": "[" * 30_000 + "]" * 30_000,
    "objects": '{"a":' * 30_000 + "1" + "}" * 30_000,
    "unclosed": "[" * 100_000,
    "in a string-laden file": '{"t": "[[[{{{", "x": ' + "[" * 5_000 + "]" * 5_000 + "}",
}
PARSED_JSON_FILES = [
    "h5p.json",
    "content/content.json",
    "H5P.Soal-1.5/library.json",
    "H5P.PilihanGanda-1.16/semantics.json",
]


@pytest.mark.parametrize("name", PARSED_JSON_FILES)
@pytest.mark.parametrize("payload", DEEP_PAYLOADS, ids=str)
def test_deeply_nested_json_in_any_package_file_is_a_clean_refusal(name, payload):
    errors = refusal(exported(extra={name: DEEP_PAYLOADS[payload].encode()}))
    assert any(name in error and "lebih dari 512 tingkat" in error for error in errors), errors


def test_deeply_nested_json_is_refused_in_the_admin_with_the_message_not_a_500(client):
    from people.roles import PENGAJAR
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="pengajar-json", roles=[PENGAJAR]))
    hostile = exported(extra={"content/content.json": DEEP_PAYLOADS["lists"].encode()})
    response = client.post("/admin/snippets/h5p/h5pcontent/add/", {"title": "Bersarang", "upload": hostile})
    assert response.status_code == 200
    assert "content/content.json bersarang lebih dari 512 tingkat" in response.content.decode()
    assert not H5PContent.objects.exists()


@pytest.mark.parametrize("depth, accepted", [(512, True), (513, False)])
def test_the_nesting_bound_is_the_one_h5p_uses(depth, accepted):
    content = {"question": "Soal", "nested": json.loads("[" * (depth - 1) + "]" * (depth - 1))}
    package_file = exported(content=content)
    if accepted:
        assert services.content_create(title="Dalam", package=package_file).version
    else:
        assert any("lebih dari 512 tingkat" in error for error in refusal(package_file))


def test_brackets_inside_strings_do_not_count_as_nesting():
    content = {"question": "[" * 2000 + "{" * 2000 + '\\" [[[ \\\\', "answers": ["]]]" * 100]}
    assert services.content_create(title="Kurung", package=exported(content=content)).version


def incompressible_json(megabytes: float) -> bytes:
    """A content.json of about ``megabytes`` MB that compresses like real text (no zip bomb)."""
    texts = [os.urandom(48).hex() for _ in range(int(megabytes * 1024 * 1024 / 110))]
    return json.dumps({"question": "Soal", "pages": [{"text": text} for text in texts]}).encode()


def test_a_content_json_above_the_default_bound_is_refused_before_anything_is_decompressed():
    hostile = exported(extra={"content/content.json": incompressible_json(5.5)})
    with mock.patch("zipfile.ZipFile.open", side_effect=AssertionError("must not decompress")):
        errors = refusal(hostile)
    assert len(errors) == 1
    assert "content/content.json" in errors[0] and "5,0\xa0MB" in errors[0] and "beberapa konten H5P" in errors[0]


@override_settings(H5P_MAX_CONTENT_JSON_BYTES=200_000)
def test_the_content_json_bound_is_a_setting():
    assert services.content_create(
        title="Kecil", package=exported(extra={"content/content.json": incompressible_json(0.15)})
    )
    errors = refusal(exported(extra={"content/content.json": incompressible_json(0.25)}))
    assert any("content/content.json" in error and "195,3\xa0KB" in error for error in errors)


@override_settings(H5P_MAX_DEFINITION_JSON_BYTES=10_000)
@pytest.mark.parametrize("name", ["h5p.json", "H5P.Soal-1.5/library.json", "H5P.PilihanGanda-1.16/semantics.json"])
def test_definition_json_files_are_bounded_too(name):
    padding = json.dumps({"description": os.urandom(8000).hex()})
    errors = refusal(exported(extra={name: padding.encode()}))
    assert any(error.startswith(f"Ukuran {name} ") and "9,8\xa0KB" in error for error in errors), errors


def test_json_files_the_checks_do_not_parse_are_not_bounded_by_the_json_settings(settings):
    settings.H5P_MAX_DEFINITION_JSON_BYTES = 2_000
    settings.H5P_MAX_CONTENT_JSON_BYTES = 2_000
    big_language = as_json({"semantics": [{"label": os.urandom(3_000).hex()}]})
    content = services.content_create(
        title="Bahasa", package=exported(extra={"H5P.PilihanGanda-1.16/language/id.json": big_language})
    )
    assert content.version
