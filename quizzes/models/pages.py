"""QuizPage: a quiz placed in a module (or directly under a course for a pre-/post-test), its settings
and its questions (chosen ones and random draws from the bank)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    MultipleChooserPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from quizzes.models.bank import Question, QuestionCategory


class GradingMethod(models.TextChoices):
    HIGHEST = "highest", _("Highest grade")
    AVERAGE = "average", _("Average grade")
    FIRST = "first", _("First attempt")
    LAST = "last", _("Last attempt")


class Navigation(models.TextChoices):
    FREE = "free", _("Free: any page, in any order")
    SEQUENTIAL = "sequential", _("Sequential: forward only")


class ReviewTiming(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately after submitting")
    AFTER_CLOSE = "after_close", _("After the quiz closes")


class QuizRole(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary quiz")
    PRETEST = "pretest", _("Pre-test")
    POSTTEST = "posttest", _("Post-test")


class QuizPage(Page):
    """A quiz. Learners see the rules and their attempts here; the attempt itself has its own URLs."""

    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=["bold", "italic", "ol", "ul", "link"],
        help_text=_("What the quiz covers; the rules (time, attempts, pass mark) are shown automatically."),
    )
    required = models.BooleanField(
        _("required for course completion"),
        default=True,
        help_text=_("The course counts as complete only when the learner passes this quiz."),
    )
    quiz_role = models.CharField(_("quiz role"), max_length=10, choices=QuizRole.choices, default=QuizRole.ORDINARY)
    paired_pretest = models.ForeignKey(
        "quizzes.QuizPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="paired_posttests",
        verbose_name=_("paired pre-test"),
        help_text=_("Post-test only: the pre-test whose scores this post-test is compared with (learning gain)."),
    )
    open_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    close_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    time_limit_minutes = models.PositiveIntegerField(
        _("time limit (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Empty for no limit. When time is up the attempt is submitted with the answers saved so far."),
    )
    attempts_allowed = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=0, help_text=_("0 = unlimited (remedial retakes).")
    )
    grading_method = models.CharField(
        _("grading method"),
        max_length=10,
        choices=GradingMethod.choices,
        default=GradingMethod.HIGHEST,
        help_text=_("How several attempts make the learner's grade."),
    )
    pass_mark = models.DecimalField(
        _("pass mark (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("70"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    shuffle_questions = models.BooleanField(_("shuffle question order"), default=False)
    shuffle_options = models.BooleanField(
        _("shuffle option order"), default=True, help_text=_("Stable within an attempt: a reload keeps the order.")
    )
    questions_per_page = models.PositiveSmallIntegerField(
        _("questions per page"), default=5, help_text=_("0 = all questions on one page.")
    )
    navigation = models.CharField(_("navigation"), max_length=10, choices=Navigation.choices, default=Navigation.FREE)
    review_correctness = models.BooleanField(
        _("review shows whether each answer was right"),
        default=True,
        help_text=_("The score is always shown once the attempt is graded."),
    )
    review_feedback = models.BooleanField(_("review shows feedback"), default=True)
    review_right_answers = models.BooleanField(_("review shows the right answers"), default=False)
    review_timing = models.CharField(
        _("review available"), max_length=12, choices=ReviewTiming.choices, default=ReviewTiming.IMMEDIATELY
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        # Its "add" button opens the question chooser in Wagtail's multiple-selection mode.
        MultipleChooserPanel(
            "quiz_questions", chooser_field_name="question", heading=_("Chosen questions"), label=_("question")
        ),
        InlinePanel("random_draws", heading=_("Random questions"), label=_("random draw")),
    ]
    settings_panels_quiz = [
        MultiFieldPanel(
            [FieldPanel("quiz_role"), FieldPanel("paired_pretest"), FieldPanel("required")], heading=_("Role")
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("open_at"), FieldPanel("close_at")]), FieldPanel("time_limit_minutes")],
            heading=_("Timing"),
        ),
        MultiFieldPanel(
            [FieldPanel("attempts_allowed"), FieldPanel("grading_method"), FieldPanel("pass_mark")],
            heading=_("Attempts and grade"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("shuffle_questions"), FieldPanel("shuffle_options")]),
                FieldRowPanel([FieldPanel("questions_per_page"), FieldPanel("navigation")]),
            ],
            heading=_("Layout"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("review_correctness"),
                FieldPanel("review_feedback"),
                FieldPanel("review_right_answers"),
                FieldPanel("review_timing"),
            ],
            heading=_("Review options"),
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(settings_panels_quiz, heading=_("Quiz settings")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )

    parent_page_types = ["courses.ModulePage", "courses.CoursePage"]
    subpage_types: list[str] = []
    template = "quizzes/quiz_page.html"

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def clean(self):
        super().clean()
        errors = {}
        if self.open_at and self.close_at and self.close_at <= self.open_at:
            errors["close_at"] = _("The closing time must be after the opening time.")
        if self.paired_pretest_id:
            if self.quiz_role != QuizRole.POSTTEST:
                errors["paired_pretest"] = _("Only a post-test is paired with a pre-test.")
            elif self.paired_pretest.quiz_role != QuizRole.PRETEST:
                errors["paired_pretest"] = _("The paired quiz must have the role pre-test.")
            elif self.pk and self.paired_pretest_id == self.pk:
                errors["paired_pretest"] = _("A quiz cannot be paired with itself.")
        if errors:
            raise ValidationError(errors)

    # --- rules used by views and services (no queries) ------------------------------------------

    def is_open(self, *, now=None, close_at=None) -> bool:
        now = now or timezone.now()
        close_at = close_at or self.close_at
        if self.open_at and now < self.open_at:
            return False
        return not (close_at and now >= close_at)

    def is_closed(self, *, now=None, close_at=None) -> bool:
        now = now or timezone.now()
        close_at = close_at or self.close_at
        return bool(close_at and now >= close_at)

    # The learner's part of the page (rules with overrides, attempts, grade) is read by
    # ``quizzes.selectors.quiz_intro_context`` and handed to ``get_context``, which stays a pure read.
    # selectors and services are imported inside the two methods below, not at the top: both import these
    # models (quizzes.models), so a module-level import would be a cycle.

    def serve(self, request, *args, **kwargs):
        """Close the learner's attempt whose time ran out ("on the next request": a write, so here and not in
        ``get_context``), then render with the learner's intro passed in explicitly."""
        from quizzes import selectors, services

        if request.user.is_authenticated:
            services.expired_attempts_close(quiz=self, user=request.user)
        intro = selectors.quiz_intro_context(quiz=self, user=request.user)
        return super().serve(request, *args, intro=intro, **kwargs)

    def get_preview_context(self, request, mode_name):
        from quizzes import selectors

        return self.get_context(request, intro=selectors.quiz_intro_context(quiz=self, user=request.user))

    def get_context(self, request, *args, intro: dict | None = None, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(intro or {"quiz": self})
        return context


class QuizQuestion(Orderable):
    """A question chosen for a quiz, with the mark it carries in this quiz."""

    page = ParentalKey(QuizPage, on_delete=models.CASCADE, related_name="quiz_questions")
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="quiz_links", verbose_name=_("question")
    )
    mark = models.DecimalField(
        _("mark"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Empty: the question's default mark."),
    )

    panels = [FieldRowPanel([FieldPanel("question"), FieldPanel("mark")])]

    class Meta(Orderable.Meta):
        verbose_name = _("chosen question")
        verbose_name_plural = _("chosen questions")


class QuizRandomDraw(Orderable):
    """N questions drawn at random from a category for each attempt (different learners, different questions)."""

    page = ParentalKey(QuizPage, on_delete=models.CASCADE, related_name="random_draws")
    category = models.ForeignKey(
        QuestionCategory, on_delete=models.PROTECT, related_name="+", verbose_name=_("category")
    )
    include_subcategories = models.BooleanField(_("include subcategories"), default=True)
    tag_names = models.CharField(
        _("tags"),
        max_length=255,
        blank=True,
        help_text=_("Comma-separated; only questions that have all these tags. Empty: any question."),
    )
    count = models.PositiveSmallIntegerField(_("number of questions"), default=5, validators=[MinValueValidator(1)])
    mark = models.DecimalField(
        _("mark per question"),
        max_digits=7,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )

    panels = [
        FieldRowPanel([FieldPanel("category"), FieldPanel("include_subcategories")]),
        FieldRowPanel([FieldPanel("tag_names"), FieldPanel("count"), FieldPanel("mark")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("random draw")
        verbose_name_plural = _("random draws")

    @property
    def tags(self) -> list[str]:
        return [name.strip() for name in self.tag_names.split(",") if name.strip()]

    def candidates(self):
        """Questions this draw picks from (one query when evaluated)."""
        questions = Question.objects.all()
        if self.include_subcategories:
            category = self.category
            questions = questions.filter(category__path__startswith=category.path)
        else:
            questions = questions.filter(category_id=self.category_id)
        for tag in self.tags:
            questions = questions.filter(tags__name__iexact=tag)
        return questions.distinct()

    def clean(self):
        super().clean()
        if self.category_id and self.count and self.candidates().count() < self.count:
            raise ValidationError({"count": _("The category has fewer matching questions than the number to draw.")})
