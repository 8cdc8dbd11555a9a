"""Builders for H5P tests: packages (valid and crafted), items, and a small course with H5P lessons."""

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
