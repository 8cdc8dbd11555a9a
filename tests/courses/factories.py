"""Builders for course page trees and learners used by the courses tests."""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.http import QueryDict
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page, Site
from wagtailmedia.models import Media

from courses.models import CourseIndexPage, CoursePage, Enrolment, EnrolmentStatus, LessonPage, ModulePage
from lms.models import HomePage
from people.roles import PENGAJAR, PESERTA
from quizzes import services as quiz_services
from tests.factories import ASNProfileFactory, UserFactory


def home_page() -> HomePage:
    """The site's home page. Migrations create it, but a transactional test that ran earlier
    flushed the database (and flushing restores only what post_migrate creates): rebuild it then."""
    home = HomePage.objects.first()
    if home is not None:
        return home
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = HomePage(title="Beranda", slug="beranda")
    root.add_child(instance=home)
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": home, "site_name": "LMS ASN"}
    )
    return home


def root_collection() -> Collection:
    return Collection.get_first_root_node() or Collection.add_root(name="Root")


def catalogue() -> CourseIndexPage:
    """The catalogue below the home page (created once per test database state)."""
    existing = CourseIndexPage.objects.first()
    if existing is not None:
        return existing
    home = home_page()
    index = CourseIndexPage(title="Katalog Kursus", slug="katalog")
    home.add_child(instance=index)
    return index


def video_media(*, duration: float = 10, title: str = "Video materi") -> Media:
    """A tiny stand-in video file (the bytes are never decoded in these tests)."""
    media = Media(title=title, type="video", duration=duration, width=320, height=180, collection=root_collection())
    media.file.save("materi.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 2048), save=False)
    media.save()
    return media


@dataclass
class CourseTree:
    course: CoursePage
    modules: list[ModulePage] = field(default_factory=list)
    lessons: list[LessonPage] = field(default_factory=list)


def lesson_body(*, video: Media | None = None, text: str = "Isi materi pelayanan publik.") -> list:
    body = [("heading", {"text": "Bagian pertama", "size": "h2"}), ("paragraph", f"<p>{text}</p>")]
    if video is not None:
        body.append(("video", {"video": video, "embed_url": "", "caption": "Video materi", "transcript": ""}))
    return body


def build_course(
    *,
    title: str = "Pelayanan Publik Prima",
    modules: int = 1,
    lessons_per_module: int = 2,
    rule: str = "mark_done",
    video: Media | None = None,
    index: CourseIndexPage | None = None,
    **course_fields,
) -> CourseTree:
    """A published course with modules and lessons (all required), in tree order."""
    index = index or catalogue()
    course_fields.setdefault("summary", f"Ringkasan kursus {title}.")
    course_fields.setdefault("jp_value", 4)
    slug = course_fields.pop("slug", None) or title.lower().replace(" ", "-")
    course = CoursePage(title=title, slug=slug, **course_fields)
    index.add_child(instance=course)
    tree = CourseTree(course=course)
    for module_number in range(1, modules + 1):
        module = ModulePage(title=f"Modul {module_number}", slug=f"modul-{module_number}")
        course.add_child(instance=module)
        tree.modules.append(module)
        for lesson_number in range(1, lessons_per_module + 1):
            lesson = LessonPage(
                title=f"Materi {module_number}.{lesson_number}",
                slug=f"materi-{lesson_number}",
                completion_rule=rule,
                body=lesson_body(video=video),
            )
            module.add_child(instance=lesson)
            tree.lessons.append(lesson)
    return tree


def learner(**profile_fields):
    """A signed-up ASN learner (Peserta role) with a profile."""
    user = UserFactory(roles=[PESERTA])
    ASNProfileFactory(user=user, **profile_fields)
    return user


def trainer(*courses):
    """A trainer (Pengajar role), named as trainer on ``courses``: their page rights and every staff
    screen follow from that list (lms/scoping.py)."""
    user = UserFactory(roles=[PENGAJAR, PESERTA])
    ASNProfileFactory(user=user)
    for course in courses:
        course.trainers.add(user)
        course.save()  # ParentalManyToManyField: written on save
    return user


def enrol(user, course, *, status=EnrolmentStatus.ACTIVE) -> Enrolment:
    """An enrolment row straight in the database (tests of other behaviour than enrolling)."""
    return Enrolment.objects.create(user=user, course=course, course_title=course.title, status=status, source="self")


def take(quiz, user, *, right: bool):
    """One submitted attempt at a one-question true/false quiz (``tests.quizzes.factories.true_false``):
    100 % or 0 %."""
    attempt = quiz_services.attempt_start(quiz=quiz, user=user)
    data = QueryDict(mutable=True)
    data["q1"] = "1" if right else "0"
    quiz_services.attempt_save(attempt_id=attempt.pk, user=user, seq=1, post=data, slot_numbers=[1])
    return quiz_services.attempt_submit(attempt_id=attempt.pk, user=user)
