"""Builders for H5P tests: packages (valid and crafted, in the styles real exports use), items, and a
small course with H5P lessons."""

import io
import json
import zipfile
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import Page

from courses.models import (
    CourseIndexPage,
    CoursePage,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
    LessonPage,
    ModulePage,
)
from h5p import demo_package, services
from h5p.models import H5PContent


def upload(data: bytes, name: str = "kuis.h5p") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/zip")


def package(**kwargs) -> SimpleUploadedFile:
    """A valid .h5p upload built from the project's own Kuis Singkat library."""
    return upload(demo_package.build_package(**kwargs))


def crafted(entries: dict[str, bytes], *, base: bool = True, compression=zipfile.ZIP_DEFLATED) -> SimpleUploadedFile:
    """A package with extra or replaced entries (``None`` removes one) on top of a valid package."""
    files = demo_package.package_entries() if base else {}
    for name, data in entries.items():
        if data is None:
            files.pop(name, None)
        else:
            files[name] = data
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return upload(buffer.getvalue())


def raw_zip(build) -> SimpleUploadedFile:
    """A package written by ``build(archive)`` on a valid base, for entries writestr cannot express."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in demo_package.package_entries().items():
            archive.writestr(name, data)
        build(archive)
    return upload(buffer.getvalue())


@dataclass(frozen=True)
class Library:
    """A library of an exported-style package: written here, shaped like the hub's libraries."""

    machine_name: str
    major: int
    minor: int
    patch: int = 0
    preloaded: tuple[str, ...] = ()  # "Machine major.minor"
    editor: tuple[str, ...] = ()
    dynamic: tuple[str, ...] = ()
    files: tuple[tuple[str, bytes], ...] = ()
    js: tuple[str, ...] = ()
    css: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.machine_name} {self.major}.{self.minor}"


# A content type that needs a question library, which needs a UI library, which needs an icon font
# and a transition library: the same shape as H5P.MultiChoice → H5P.Question → H5P.JoubelUI →
# FontAwesome / H5P.Transition, with an editor library the export leaves out.
EXPORT_LIBRARIES = (
    Library(
        "H5P.PilihanGanda",
        1,
        16,
        patch=4,
        preloaded=("H5P.Soal 1.5", "H5P.JoubelUI 1.3"),
        editor=("H5PEditor.PilihanGanda 1.0", "H5PEditor.ShowWhen 1.0"),
        files=(
            ("js/pilihan-ganda.js", b"H5P.PilihanGanda = function () {};"),
            ("css/pilihan-ganda.css", b".h5p-pilihan { color: #123; }"),
            ("semantics.json", b'[{"name": "question", "type": "text", "label": "Pertanyaan"}]'),
            ("language/id.json", b'{"semantics": [{"label": "Pertanyaan"}]}'),
            ("icon.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>'),
            ("upgrades.js", b"// content upgrades"),
        ),
        js=("js/pilihan-ganda.js",),
        css=("css/pilihan-ganda.css",),
    ),
    Library(
        "H5P.Soal",
        1,
        5,
        patch=12,
        preloaded=("H5P.JoubelUI 1.3",),
        files=(("scripts/soal.js", b"H5P.Soal = function () {};"), ("styles/soal.css", b".h5p-soal {}")),
        js=("scripts/soal.js",),
        css=("styles/soal.css",),
    ),
    Library(
        "H5P.JoubelUI",
        1,
        3,
        patch=19,
        preloaded=("FontAwesome 4.5", "H5P.Transition 1.0"),
        files=(("js/joubel-ui.js", b"H5P.JoubelUI = {};"), ("css/joubel-ui.css", b".joubel {}")),
        js=("js/joubel-ui.js",),
        css=("css/joubel-ui.css",),
    ),
    Library(
        "FontAwesome",
        4,
        5,
        patch=4,
        files=(
            ("h5p-font-awesome.min.css", b".fa {}"),
            ("fontawesome-webfont.woff2", b"wOF2"),
            ("fontawesome-webfont.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>'),
        ),
        css=("h5p-font-awesome.min.css",),
    ),
    Library(
        "H5P.Transition",
        1,
        0,
        patch=4,
        files=(("transition.js", b"H5P.Transition = {};"),),
        js=("transition.js",),
    ),
)


def _reference(label: str, versions: str) -> dict:
    machine, version = label.rsplit(" ", 1)
    major, minor = (int(number) for number in version.split("."))
    if versions == "string":
        return {"machineName": machine, "majorVersion": str(major), "minorVersion": str(minor)}
    return {"machineName": machine, "majorVersion": major, "minorVersion": minor}


def exported_entries(
    *,
    h5p_versions: str = "string",
    library_versions: str = "int",
    folders: str = "versioned",
    h5p_lists: str = "all",
    libraries: tuple[Library, ...] = EXPORT_LIBRARIES,
    content: dict | None = None,
    extra: dict[str, bytes] | None = None,
) -> dict[str, bytes]:
    """The entries of a package as h5p.org, Lumi, Moodle or WordPress export it.

    ``h5p_versions``/``library_versions``: "string" (``"1"``, as h5p.org writes h5p.json) or "int";
    ``folders``: "versioned" (``H5P.Soal-1.5``) or "bare" (``H5P.Soal``), both allowed by H5P;
    ``h5p_lists``: "all" (every library, as exports do) or "main" (only the main library: the rest
    are reached through the libraries' own dependencies). Editor libraries are left out.
    """
    main = libraries[0]
    listed = [library.label for library in libraries] if h5p_lists == "all" else [main.label]
    h5p_json = {
        "title": "Pilihan Ganda: Etika ASN",
        "language": "id",
        "mainLibrary": main.machine_name,
        "embedTypes": ["iframe"],
        "license": "CC BY-SA",
        "licenseVersion": "4.0",
        "authors": [{"name": "BPSDM Provinsi Jambi", "role": "Author"}],
        "source": "https://h5p.org/node/1234",
        "yearsFrom": "2024",
        "changes": [{"date": "01-02-24 10:00:00", "author": "BPSDM", "log": "Dibuat"}],
        "defaultLanguage": "id",
        "extraTitle": "Pilihan Ganda: Etika ASN",
        "metaKeywords": "etika, asn",
        "preloadedDependencies": [_reference(label, h5p_versions) for label in listed],
    }
    entries = {
        "h5p.json": json.dumps(h5p_json, ensure_ascii=False).encode(),
        "content/content.json": json.dumps(
            content
            or {
                "question": "<p>Nilai dasar ASN adalah…</p>",
                "answers": [{"text": "BerAKHLAK", "correct": True}, {"text": "Bebas", "correct": False}],
                "media": {"file": {"path": "images/Kantor.JPG", "mime": "image/jpeg"}},
            },
            ensure_ascii=False,
        ).encode(),
        "content/images/Kantor.JPG": b"\xff\xd8\xff\xe0 not really a jpeg",
        "content/audios/petunjuk.MP3": b"ID3 not really an mp3",
    }
    for library in libraries:
        folder = (
            f"{library.machine_name}-{library.major}.{library.minor}"
            if folders == "versioned"
            else library.machine_name
        )
        version = (
            {"majorVersion": str(library.major), "minorVersion": str(library.minor), "patchVersion": str(library.patch)}
            if library_versions == "string"
            else {"majorVersion": library.major, "minorVersion": library.minor, "patchVersion": library.patch}
        )
        definition = {
            "title": library.machine_name,
            "machineName": library.machine_name,
            **version,
            "runnable": 1 if library is main else 0,
            "author": "BPSDM",
            "license": "MIT",
            "coreApi": {"majorVersion": 1, "minorVersion": 24},
            "embedTypes": ["iframe"] if library is main else [],
            "preloadedJs": [{"path": path} for path in library.js],
            "preloadedCss": [{"path": path} for path in library.css],
        }
        for key, labels in (
            ("preloadedDependencies", library.preloaded),
            ("editorDependencies", library.editor),
            ("dynamicDependencies", library.dynamic),
        ):
            if labels:
                definition[key] = [_reference(label, library_versions) for label in labels]
        entries[f"{folder}/library.json"] = json.dumps(definition).encode()
        for path, data in library.files:
            entries[f"{folder}/{path}"] = data
    for name, data in (extra or {}).items():
        if data is None:
            entries.pop(name, None)
        else:
            entries[name] = data
    return entries


def exported(**kwargs) -> SimpleUploadedFile:
    """An exported-style package (see ``exported_entries``) as an upload."""
    return upload(demo_package.zip_entries(exported_entries(**kwargs)), name="pilihan-ganda.h5p")


def mac_junk(entries: dict[str, bytes]) -> dict[str, bytes]:
    """What a Mac adds when it zips a folder: AppleDouble files under __MACOSX/ and .DS_Store."""
    junk = {f"__MACOSX/{posixpath_dir(name)}._{name.rsplit('/', 1)[-1]}": b"\x00\x05\x16\x07" for name in entries}
    junk[".DS_Store"] = b"Bud1"
    junk["content/.DS_Store"] = b"Bud1"
    junk["content/images/._Kantor.JPG"] = b"\x00\x05\x16\x07"
    return {**entries, **junk}


def posixpath_dir(name: str) -> str:
    return name.rsplit("/", 1)[0] + "/" if "/" in name else ""


def item(title: str = "Kuis ASN", **kwargs) -> H5PContent:
    return services.content_create(title=title, package=package(**kwargs))


def as_json(data) -> bytes:
    return json.dumps(data).encode()


@dataclass
class CourseTree:
    course: CoursePage
    module: ModulePage
    lessons: list[LessonPage] = field(default_factory=list)


def home_page():
    """The site's home page; recreated (with locale, root and site) when a transactional test before
    this one flushed what the migrations had created."""
    from django.conf import settings
    from wagtail.models import Collection, Locale, Site

    from lms.models import HomePage

    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    home = HomePage.objects.first()
    if home is not None:
        return home
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = root.add_child(instance=HomePage(title="Beranda", slug="beranda"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "LMS"}
    )
    return home


def course_with_h5p(
    *placements, rule: str = "open", title: str = "Pelayanan Publik Prima", slug: str = "kursus", filler: int = 0
) -> CourseTree:
    """A published course with one module and one lesson per entry of ``placements``.

    Each entry is a list of (item, requirement) pairs placed in that lesson's body.
    """
    home = home_page()
    index = CourseIndexPage.objects.first()
    if index is None:
        index = home.add_child(instance=CourseIndexPage(title="Katalog Kursus", slug="katalog"))
    course = index.add_child(instance=CoursePage(title=title, slug=slug, summary="Ringkasan.", jp_value=2))
    module = course.add_child(instance=ModulePage(title="Modul 1", slug="modul-1"))
    tree = CourseTree(course=course, module=module)
    for number, blocks in enumerate(placements or [[]], start=1):
        body = [
            {"type": "paragraph", "value": "<p>Bacalah lalu kerjakan.</p>"},
            *(
                {"type": "paragraph", "value": f"<p>Paragraf bacaan {n}. " + "Isi materi. " * 40 + "</p>"}
                for n in range(filler)
            ),
            *(
                {"type": "h5p", "value": {"item": content.pk, "requirement": requirement}}
                for content, requirement in blocks
            ),
        ]
        lesson = LessonPage(
            title=f"Materi {number}", slug=f"materi-{number}", completion_rule=rule, body=json.dumps(body)
        )
        module.add_child(instance=lesson)
        lesson.save_revision().publish()
        lesson.refresh_from_db()
        tree.lessons.append(lesson)
    return tree


def enrol(user, course: CoursePage) -> Enrolment:
    return Enrolment.objects.create(
        user=user,
        course=course,
        course_title=course.title,
        status=EnrolmentStatus.ACTIVE,
        source=EnrolmentSource.ASSIGNED,
    )
