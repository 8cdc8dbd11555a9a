"""Course pages: CourseIndexPage (catalogue) → CoursePage → ModulePage → LessonPage.

Stable names other apps build on (keep them):
- ``CoursePage`` and ``ModulePage`` accept ``quizzes.QuizPage`` as a child (the quizzes app adds it to
  their ``subpage_types``); a QuizPage is a course item like a lesson (see ``courses/completion.py``).
- ``LessonPage.body`` uses ``courses.blocks.LessonBodyBlock`` (the h5p app adds its block there).
- ``LessonPage.required``: whether the lesson counts toward course completion.
"""

import uuid

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from courses.blocks import LessonBodyBlock
from courses.panels import CourseOutlinePanel
from courses.wagtail_overrides import ViewRestrictionsInOneQueryMixin, route_from_catalogue

RICH_TEXT_FEATURES = ["h3", "bold", "italic", "link", "ol", "ul"]


class CompetencyKind(models.TextChoices):
    TEKNIS = "teknis", _("Technical (teknis)")
    MANAJERIAL = "manajerial", _("Managerial (manajerial)")
    SOSIAL_KULTURAL = "sosial_kultural", _("Socio-cultural (sosial kultural)")


class TrainingMode(models.TextChoices):
    KLASIKAL = "klasikal", _("Classroom (klasikal)")
    NON_KLASIKAL = "non_klasikal", _("Non-classroom (non-klasikal)")


class EnrolmentMode(models.TextChoices):
    OPEN = "open", _("Open: learners enrol themselves")
    REQUEST = "request", _("By request: a trainer approves each request")
    ASSIGNED = "assigned", _("Assigned only: trainers assign people or units")


class EnrolmentWindow(models.TextChoices):
    """Whether a course takes enrolments today (``CoursePage.enrolment_window_state``)."""

    OPEN = "open", _("Enrolment open")
    NOT_YET = "not_yet", _("Enrolment not open yet")
    CLOSED = "closed", _("Enrolment closed")


class CompletionRule(models.TextChoices):
    OPEN = "open", _("When the learner opens the lesson")
    MARK_DONE = "mark_done", _('When the learner presses "mark as done"')
    VIDEO = "video", _("When the learner has watched enough of the video")


# The catalogue's JP filter: (value, label, minimum, maximum or None).
JP_RANGES = [
    ("1-4", _("1–4 JP"), 1, 4),
    ("5-10", _("5–10 JP"), 5, 10),
    ("11+", _("More than 10 JP"), 11, None),
]


class CourseCategory(models.Model):
    """A catalogue category (e.g. Pelayanan Publik); managed as a snippet by trainers."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("course category")
        verbose_name_plural = _("course categories")
        ordering = ["name"]

    def __str__(self):
        return self.name


class CourseIndexPage(Page):
    """The catalogue: lists the published courses below it, with search, filters and pages."""

    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text=_("Shown above the course list."),
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["lms.HomePage"]
    subpage_types = ["courses.CoursePage"]
    page_description = _("The course catalogue. Courses are added below it.")
    per_page = 12

    class Meta:
        verbose_name = _("course catalogue")

    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        return route_from_catalogue(self, request, path_components)

    def get_context(self, request, *args, **kwargs):
        from courses import selectors  # selectors read these models: imported once they are loaded

        context = super().get_context(request, *args, **kwargs)
        filters = selectors.CatalogueFilters.from_query(request.GET)
        results = selectors.catalogue_courses(index_page=self, filters=filters)
        paginator = Paginator(results, self.per_page)
        try:
            courses_page = paginator.page(request.GET.get("halaman", 1))
        except PageNotAnInteger:
            courses_page = paginator.page(1)
        except EmptyPage:
            courses_page = paginator.page(paginator.num_pages)
        courses = list(courses_page.object_list)
        statuses = {}
        if request.user.is_authenticated:
            statuses = selectors.enrolment_statuses(user=request.user, course_ids=[course.pk for course in courses])
        context.update(
            filters=filters,
            courses=[(course, statuses.get(course.pk)) for course in courses],
            courses_page=courses_page,
            categories=CourseCategory.objects.all(),
            competency_kinds=CompetencyKind.choices,
            training_modes=TrainingMode.choices,
            jp_ranges=[(value, label) for value, label, _low, _high in JP_RANGES],
            querystring_without_page=filters.querystring(),
        )
        return context


class CoursePage(ViewRestrictionsInOneQueryMixin, Page):
    """A course: what it teaches, how many JP it carries and who may enrol how."""

    summary = models.TextField(
        _("summary"),
        max_length=500,
        help_text=_("One or two sentences shown in the catalogue and at the top of the course."),
    )
    learning_objectives = RichTextField(
        _("learning objectives"),
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text=_("What participants can do after the course. A bulleted list works best."),
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("cover image"),
        help_text=_("Landscape, at least 800 × 450 pixels."),
    )
    category = models.ForeignKey(
        CourseCategory,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="courses",
        verbose_name=_("category"),
    )
    competency_kind = models.CharField(
        _("competency kind"), max_length=20, choices=CompetencyKind.choices, default=CompetencyKind.TEKNIS
    )
    training_mode = models.CharField(
        _("training mode"), max_length=20, choices=TrainingMode.choices, default=TrainingMode.NON_KLASIKAL
    )
    jp_value = models.PositiveSmallIntegerField(
        _("JP value"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
        help_text=_("Lesson hours (1 JP = 45 minutes) credited to a participant who completes the course."),
    )
    trainers = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="courses_taught",
        verbose_name=_("trainers"),
        limit_choices_to={"groups__name": "Pengajar"},
        help_text=_("Trainers of this course may approve enrolment requests and assign participants."),
    )
    enrolment_mode = models.CharField(
        _("enrolment"), max_length=10, choices=EnrolmentMode.choices, default=EnrolmentMode.OPEN
    )
    enrolment_opens = models.DateField(
        _("enrolment opens"), null=True, blank=True, help_text=_("Optional. Empty: enrolment is open now.")
    )
    enrolment_closes = models.DateField(
        _("enrolment closes"), null=True, blank=True, help_text=_("Optional. The last day people can enrol.")
    )
    starts_on = models.DateField(_("course starts"), null=True, blank=True)
    ends_on = models.DateField(_("course ends"), null=True, blank=True)
    sequential_modules = models.BooleanField(
        _("modules in order"),
        default=False,
        help_text=_("Tick to lock each module until the participant has completed the one before it."),
    )
    pretest_before_modules = models.BooleanField(
        _("pre-test before the modules"),
        default=True,
        help_text=_(
            "With a pre-test placed directly under the course: the modules open only after the participant "
            "has submitted it (passing is not required). The post-test always opens when every module is complete."
        ),
    )
    # Names the current state of the pages below the course (titles, order, live, required flags).
    # A fresh value (never an earlier one) is written by courses/signals.py whenever a page at, above
    # or below the course is saved, published, unpublished, moved or deleted, in the same transaction;
    # the cached outline structure is keyed by it (courses/completion.py), so every process sees a
    # change at its next request. Read with the course row the request loads anyway.
    outline_version = models.UUIDField(default=uuid.uuid4, editable=False)

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("learning_objectives"),
        index.AutocompleteField("summary"),
        index.FilterField("category"),
        index.FilterField("competency_kind"),
        index.FilterField("training_mode"),
        index.FilterField("jp_value"),
    ]

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("learning_objectives"),
        FieldPanel("cover_image"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("category"), FieldPanel("competency_kind")]),
                FieldRowPanel([FieldPanel("training_mode"), FieldPanel("jp_value")]),
                FieldPanel("trainers", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("Classification and trainers"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("enrolment_mode"),
                FieldRowPanel([FieldPanel("enrolment_opens"), FieldPanel("enrolment_closes")]),
                FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
                FieldRowPanel([FieldPanel("sequential_modules"), FieldPanel("pretest_before_modules")]),
            ],
            heading=_("Enrolment and schedule"),
        ),
        CourseOutlinePanel(),
    ]

    parent_page_types = ["courses.CourseIndexPage"]
    # The quizzes app adds "quizzes.QuizPage" here (pre-test / post-test at course level).
    subpage_types = ["courses.ModulePage", "quizzes.QuizPage"]
    page_description = _("A course with its modules. Participants enrol here.")

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def clean(self):
        super().clean()
        errors = {}
        if self.enrolment_opens and self.enrolment_closes and self.enrolment_closes < self.enrolment_opens:
            errors["enrolment_closes"] = _("Enrolment cannot close before it opens.")
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The course cannot end before it starts.")
        if errors:
            raise ValidationError(errors)

    def enrolment_window_state(self, today=None) -> EnrolmentWindow:
        """Whether the course takes enrolments on ``today`` (by default today in the project's time zone, WIB)."""
        today = today or timezone.localdate()
        if self.enrolment_opens and today < self.enrolment_opens:
            return EnrolmentWindow.NOT_YET
        if self.enrolment_closes and today > self.enrolment_closes:
            return EnrolmentWindow.CLOSED
        return EnrolmentWindow.OPEN

    def get_admin_display_title(self):
        return self.draft_title or self.title

    def permissions_for_user(self, user):
        from courses.permissions import CoursePermissionTester  # it imports these models: at call time

        return CoursePermissionTester(user, self)

    def get_context(self, request, *args, **kwargs):
        from courses import selectors  # selectors read these models: imported once they are loaded

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.course_page_context(course=self, user=request.user, preview=_is_preview(request)))
        return context


class ModulePage(ViewRestrictionsInOneQueryMixin, Page):
    """A module of a course: an introduction and its lessons (and quizzes), in tree order."""

    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text=_("What this module covers, in a few sentences."),
    )
    locked_until_previous = models.BooleanField(
        _("locked until the previous module is complete"),
        default=False,
        help_text=_("Participants open this module only after completing the module before it."),
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("locked_until_previous")]
    parent_page_types = ["courses.CoursePage"]
    # The quizzes app adds "quizzes.QuizPage" here.
    subpage_types = ["courses.LessonPage", "quizzes.QuizPage"]
    page_description = _("A module groups the lessons of a course.")

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def get_context(self, request, *args, **kwargs):
        from courses import selectors  # selectors read these models: imported once they are loaded

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.module_page_context(module=self, user=request.user, preview=_is_preview(request)))
        return context


class LessonPage(ViewRestrictionsInOneQueryMixin, Page):
    """A lesson (materi): a body of text, images, video and documents, and how it is completed."""

    # The class, built on first use, once every app has registered its blocks (courses.blocks).
    body = StreamField(LessonBodyBlock, blank=True, verbose_name=_("content"))
    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated duration (minutes)"), default=10, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    required = models.BooleanField(
        _("required"),
        default=True,
        help_text=_("Required lessons must be completed to complete the course."),
    )
    completion_rule = models.CharField(
        _("completed when"),
        max_length=10,
        choices=CompletionRule.choices,
        default=CompletionRule.MARK_DONE,
        help_text=_('"Watched enough of the video" needs an uploaded video in the content; it follows the first one.'),
    )
    video_threshold_percent = models.PositiveSmallIntegerField(
        _("video share to watch (%)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("For the video rule: how much of the video must really be played (not skipped)."),
    )

    search_fields = Page.search_fields + [index.SearchField("body")]

    content_panels = Page.content_panels + [
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("estimated_minutes"), FieldPanel("required")]),
                FieldRowPanel([FieldPanel("completion_rule"), FieldPanel("video_threshold_percent")]),
                HelpPanel(
                    content=_(
                        "Completion: the lesson is complete when its rule is met and every interactive item it "
                        "requires is done."
                    )
                ),
            ],
            heading=_("Duration and completion"),
        ),
    ]

    parent_page_types = ["courses.ModulePage"]
    subpage_types: list[str] = []
    page_description = _("A lesson: text, images, video and documents.")

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def clean(self):
        super().clean()
        if self.completion_rule == CompletionRule.VIDEO and self.tracked_video_block() is None:
            raise ValidationError(
                {
                    "completion_rule": _(
                        "This rule needs an uploaded video in the content. An embedded video (YouTube) cannot "
                        'report what was watched: choose "mark as done" for it.'
                    )
                }
            )

    # The body's HTML is the same for every learner while it holds only these blocks, so it is cached
    # per revision and language (blocks of other apps may show per-learner state: never cached).
    CACHEABLE_BLOCK_TYPES = frozenset({"heading", "paragraph", "image", "video", "document", "callout"})

    def body_cache_key(self) -> str | None:
        block_types = {block["type"] for block in self.body.raw_data}
        if not block_types <= self.CACHEABLE_BLOCK_TYPES:
            return None
        published = self.last_published_at.timestamp() if self.last_published_at else 0
        return f"{self.pk}.{self.latest_revision_id}.{published}"

    def tracked_video_block(self):
        """The first uploaded video in the body: the one the video rule measures (or None)."""
        for block in self.body:
            if block.block_type == "video" and block.value.get("video") is not None:
                return block
        return None

    def tracked_video(self):
        block = self.tracked_video_block()
        return block.value["video"] if block is not None else None

    def serve(self, request, *args, **kwargs):
        """Enrolled learners get the lesson with tracking; trainers who may edit it an untracked view; a
        learner whose module is still locked a 403 page; everyone else is sent to the course page. What
        was decided reaches ``get_context`` as ``access``."""
        from courses import selectors  # selectors read these models: imported once they are loaded

        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        access = selectors.lesson_access(user=request.user, lesson=self)
        if access.course is None:
            raise Http404
        can_edit = False
        if not access.allowed:
            can_edit = self.permissions_for_user(request.user).can_edit()
            if not can_edit and access.is_active:
                context = self.get_context(request, *args, access=access, **kwargs)
                return TemplateResponse(request, self.get_template(request, *args, **kwargs), context, status=403)
            if not can_edit:
                messages.info(request, gettext("Enrol in this course to open its lessons."))
                return redirect(access.course.url)
        return super().serve(request, *args, access=access, can_edit=can_edit, **kwargs)

    def get_context(self, request, *args, access=None, can_edit=False, **kwargs):
        """``access`` comes from ``serve``; a preview (``serve_preview``) has none and is untracked."""
        from courses import selectors  # selectors read these models: imported once they are loaded

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.lesson_page_context(lesson=self, access=access, can_edit=can_edit))
        return context


def _is_preview(request) -> bool:
    return getattr(request, "is_preview", False)
