"""The course page tree, authoring a course in the Wagtail admin, lesson blocks and the outline panel."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses import completion
from courses.blocks import VideoBlock, embed_src
from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage
from courses.permissions import grant_course_page_permissions
from lms.models import HomePage
from people.roles import ADMIN_BPSDM
from tests.courses.factories import build_course, catalogue, trainer, video_media
from tests.factories import UserFactory


def course_item_models():
    """Lessons plus every page type another app registered as a course item (quizzes)."""
    return {LessonPage, *completion.item_models()}


class PageTreeTests(WagtailPageTestCase):
    def test_tree_shape_is_catalogue_course_module_lesson(self):
        self.assertAllowedSubpageTypes(HomePage, {CourseIndexPage})
        self.assertAllowedParentPageTypes(CourseIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(CourseIndexPage, {CoursePage})
        self.assertAllowedParentPageTypes(CoursePage, {CourseIndexPage})
        self.assertAllowedParentPageTypes(ModulePage, {CoursePage})
        self.assertAllowedSubpageTypes(ModulePage, course_item_models())
        self.assertAllowedParentPageTypes(LessonPage, {ModulePage})
        self.assertAllowedSubpageTypes(LessonPage, set())
        # Course-level items (a pre-test) are other apps' pages; never a lesson outside a module.
        self.assertAllowedSubpageTypes(CoursePage, {ModulePage, *(course_item_models() - {LessonPage})})

    def test_pages_cannot_be_created_out_of_place(self):
        self.assertCanNotCreateAt(HomePage, CoursePage)
        self.assertCanNotCreateAt(CourseIndexPage, ModulePage)
        self.assertCanNotCreateAt(CoursePage, LessonPage)
        self.assertCanNotCreateAt(Page, LessonPage)
        self.assertCanCreateAt(ModulePage, LessonPage)

    def test_course_module_and_lesson_pages_render(self):
        tree = build_course(lessons_per_module=1)
        self.assertPageIsRenderable(catalogue())
        self.assertPageIsRenderable(tree.course)
        self.assertPageIsRenderable(tree.modules[0])
        # An anonymous visitor is sent to sign in before any lesson.
        self.assertPageIsRenderable(tree.lessons[0], accept_redirect=True)

    def test_editors_can_preview_course_module_and_lesson(self):
        tree = build_course(lessons_per_module=1, video=video_media())
        for page in (tree.course, tree.modules[0], tree.lessons[0]):
            response = page.make_preview_request()
            assert response.status_code == 200
            assert page.title in response.render().content.decode()


class AuthoringTests(WagtailPageTestCase):
    """Admin BPSDM creates a course and names its trainer; the trainer (Pengajar role, page rights on the
    courses that name them) builds it in the admin."""

    @classmethod
    def setUpTestData(cls):
        cls.index = catalogue()
        grant_course_page_permissions()
        cls.trainer = trainer()
        cls.admin = UserFactory(roles=[ADMIN_BPSDM])

    def setUp(self):
        self.client.force_login(self.trainer)

    def _course(self, **kwargs):
        tree = build_course(**kwargs)
        tree.course.trainers.add(self.trainer)
        tree.course.save()
        return tree

    def test_trainer_creates_course_module_and_video_lesson_through_the_admin(self):
        self.client.force_login(self.admin)
        self.assertCanCreate(
            self.index,
            CoursePage,
            nested_form_data(
                {
                    "title": "Manajemen ASN dan Etika Birokrasi",
                    "summary": "Kebijakan manajemen ASN dan kode etik.",
                    "learning_objectives": rich_text("<ul><li>Memahami sistem merit.</li></ul>"),
                    "competency_kind": "manajerial",
                    "training_mode": "non_klasikal",
                    "jp_value": "6",
                    "enrolment_mode": "request",
                }
            ),
        )
        course = CoursePage.objects.get(title="Manajemen ASN dan Etika Birokrasi")
        assert course.live and course.jp_value == 6 and course.enrolment_mode == "request"
        course.trainers.add(self.trainer)  # Admin BPSDM names the course's trainer
        course.save()

        self.client.force_login(self.trainer)

        self.assertCanCreate(course, ModulePage, nested_form_data({"title": "Sistem Merit", "intro": rich_text("")}))
        module = ModulePage.objects.get(title="Sistem Merit")

        media = video_media(duration=30)
        self.assertCanCreate(
            module,
            LessonPage,
            nested_form_data(
                {
                    "title": "Pengantar Sistem Merit",
                    "body": streamfield(
                        [
                            ("heading", {"text": "Apa itu sistem merit?", "size": "h2"}),
                            ("paragraph", rich_text("<p>Manajemen ASN berdasarkan kualifikasi dan kinerja.</p>")),
                            (
                                "video",
                                {"video": media.pk, "embed_url": "", "caption": "Video", "transcript": rich_text("")},
                            ),
                            ("callout", {"kind": "tip", "title": "Ingat", "text": rich_text("<p>Adil dan wajar.</p>")}),
                        ]
                    ),
                    "estimated_minutes": "12",
                    "required": "on",
                    "completion_rule": "video",
                    "video_threshold_percent": "80",
                }
            ),
        )
        lesson = LessonPage.objects.get(title="Pengantar Sistem Merit")
        assert lesson.completion_rule == "video" and lesson.video_threshold_percent == 80
        assert lesson.tracked_video() == media
        assert [item.title for item in completion.course_outline(course).items] == ["Pengantar Sistem Merit"]

    def test_video_rule_without_an_uploaded_video_is_refused_with_a_clear_error(self):
        tree = self._course(lessons_per_module=0)
        response = self.client.post(
            reverse("wagtailadmin_pages:add", args=["courses", "lessonpage", tree.modules[0].pk]),
            nested_form_data(
                {
                    "title": "Video YouTube",
                    "slug": "video-youtube",
                    "body": streamfield(
                        [
                            (
                                "video",
                                {
                                    "video": "",
                                    "embed_url": "https://www.youtube.com/watch?v=aEmF3Iylvr4",
                                    "caption": "",
                                    "transcript": rich_text(""),
                                },
                            )
                        ]
                    ),
                    "estimated_minutes": "5",
                    "completion_rule": "video",
                    "video_threshold_percent": "90",
                    "action-publish": "action-publish",
                }
            ),
        )
        assert response.status_code == 200
        assert "completion_rule" in response.context["form"].errors
        assert not LessonPage.objects.filter(title="Video YouTube").exists()

    def test_course_edit_page_shows_the_outline_in_order_with_assign_link(self):
        tree = self._course(modules=2, lessons_per_module=2)
        response = self.client.get(reverse("wagtailadmin_pages:edit", args=[tree.course.pk]))
        html = response.content.decode()
        assert response.status_code == 200
        positions = [html.index(title) for title in ["Modul 1", "Materi 1.1", "Materi 1.2", "Modul 2", "Materi 2.2"]]
        assert positions == sorted(positions)
        assert reverse("courses_admin:assign", args=[tree.course.pk]) in html


def test_video_block_needs_exactly_one_source_and_only_known_embeds():
    block = VideoBlock()
    for value in [
        {"video": None, "embed_url": "", "caption": "", "transcript": ""},
        {"video": None, "embed_url": "https://example.com/video.mp4", "caption": "", "transcript": ""},
    ]:
        try:
            block.clean(block.to_python(value))
        except ValidationError:
            continue
        raise AssertionError(f"accepted {value}")


def test_embed_addresses_are_built_without_asking_the_provider():
    assert embed_src("https://www.youtube.com/watch?v=aEmF3Iylvr4") == (
        "https://www.youtube-nocookie.com/embed/aEmF3Iylvr4?rel=0"
    )
    assert embed_src("https://youtu.be/aEmF3Iylvr4?t=10").startswith("https://www.youtube-nocookie.com/embed/aEmF")
    assert embed_src("https://vimeo.com/76979871") == "https://player.vimeo.com/video/76979871?dnt=1"
    assert embed_src("https://evil.example/embed/aEmF3Iylvr4") is None
    assert embed_src("javascript:alert(1)") is None
