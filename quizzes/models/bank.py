"""The question bank: nestable categories, tagged questions of every type, and immutable versions."""

import hashlib
import json
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.fields import RichTextField
from wagtail.models import Orderable

from lms.tree import NamedTreeNode
from quizzes import qtypes

QUESTION_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link", "image", "superscript", "subscript", "code"]


class QuestionType(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUEFALSE = "truefalse", _("True/false")
    SHORTANSWER = "shortanswer", _("Short answer")
    NUMERICAL = "numerical", _("Numerical")
    MATCHING = "matching", _("Matching")
    ORDERING = "ordering", _("Ordering")
    ESSAY = "essay", _("Essay")


class QuestionCategory(NamedTreeNode):
    """A folder of the question bank. Categories nest; "with subcategories" is one path-prefix query."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta(NamedTreeNode.Meta):
        verbose_name = _("question category")
        verbose_name_plural = _("question categories")


class QuestionTag(TaggedItemBase):
    content_object = ParentalKey("quizzes.Question", on_delete=models.CASCADE, related_name="tagged_items")


class Question(ClusterableModel):
    """A question in the bank. Every save that changes what a learner sees or how it is graded adds a
    ``QuestionVersion``; attempts point at the version they were shown, so edits never regrade the past."""

    category = models.ForeignKey(
        QuestionCategory, on_delete=models.PROTECT, related_name="questions", verbose_name=_("category")
    )
    qtype = models.CharField(_("question type"), max_length=20, choices=QuestionType.choices)
    name = models.CharField(
        _("name"),
        max_length=255,
        help_text=_("A short name that finds the question in the bank; learners do not see it."),
    )
    text = RichTextField(_("question text"), features=QUESTION_TEXT_FEATURES)
    default_mark = models.DecimalField(
        _("default mark"),
        max_digits=7,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    general_feedback = models.TextField(
        _("general feedback"),
        blank=True,
        help_text=_("Shown in the review, whatever the answer, when the quiz allows it."),
    )
    shuffle_options = models.BooleanField(
        _("shuffle options"),
        default=True,
        help_text=_("For choice, matching and ordering questions, when the quiz also shuffles."),
    )
    case_sensitive = models.BooleanField(
        _("case sensitive"), default=False, help_text=_("Short answer: whether 'Jambi' and 'jambi' differ.")
    )
    ignore_spaces = models.BooleanField(
        _("ignore spaces"),
        default=False,
        help_text=_(
            "Short answer: compare answers with every space removed ('PP 11/2017' = 'PP11/2017'). "
            "Leading, trailing and repeated spaces are always ignored."
        ),
    )
    correct_true = models.BooleanField(
        _("the statement is true"), default=True, help_text=_("True/false: the right answer.")
    )
    true_feedback = models.TextField(_("feedback for 'true'"), blank=True)
    false_feedback = models.TextField(_("feedback for 'false'"), blank=True)
    response_template = models.TextField(
        _("response template"), blank=True, help_text=_("Essay: text the answer box starts with.")
    )
    grader_info = models.TextField(
        _("information for graders"), blank=True, help_text=_("Essay: marking guide shown to the trainer only.")
    )
    tags = ClusterTaggableManager(through=QuestionTag, blank=True, verbose_name=_("tags"))
    current_version = models.ForeignKey(
        "quizzes.QuestionVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("current version"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["category__path", "name"]
        indexes = [models.Index(fields=["category", "qtype"])]

    def __str__(self):
        return self.name

    @property
    def text_preview(self) -> str:
        return Truncator(strip_tags(self.text)).chars(90)

    @property
    def version_number(self) -> int:
        return self.current_version.number if self.current_version_id else 0

    # --- versioning -------------------------------------------------------------------------------

    def snapshot(self, options=None) -> dict:
        """Everything a learner is shown and the grading needs, as plain JSON."""
        if options is None:
            options = list(self.options.all())
        return {
            "type": self.qtype,
            "name": self.name,
            "text": self.text,
            "default_mark": str(self.default_mark),
            "general_feedback": self.general_feedback,
            "shuffle": self.shuffle_options,
            "case_sensitive": self.case_sensitive,
            "ignore_spaces": self.ignore_spaces,
            "correct_true": self.correct_true,
            "true_feedback": self.true_feedback,
            "false_feedback": self.false_feedback,
            "response_template": self.response_template,
            "grader_info": self.grader_info,
            "options": [
                {
                    "id": option.pk,
                    "text": option.text,
                    "credit": str(Decimal(option.credit).normalize()),
                    "feedback": option.feedback,
                    "match": option.match_text,
                    "tolerance": str(Decimal(option.tolerance).normalize()),
                }
                for option in options
            ]
            if qtypes.get(self.qtype).has_options  # the type says whether its option rows mean something
            else [],
        }

    def save(self, *args, **kwargs):
        with transaction.atomic():
            super().save(*args, **kwargs)  # also commits options and tags (modelcluster)
            self.record_version()

    def record_version(self) -> "QuestionVersion":
        """Add a version when the content differs from the current one; return the current version."""
        locked = Question.objects.select_for_update().get(pk=self.pk)
        options = list(QuestionOption.objects.filter(question_id=self.pk).order_by("sort_order", "pk"))
        data = self.snapshot(options)
        digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
        current = QuestionVersion.objects.filter(pk=locked.current_version_id).first()
        if current is not None and current.content_hash == digest:
            self.current_version = current
            return current
        last = QuestionVersion.objects.filter(question_id=self.pk).order_by("-number").values_list("number", flat=True)
        version = QuestionVersion.objects.create(
            question_id=self.pk, number=(last.first() or 0) + 1, content_hash=digest, data=data
        )
        Question.objects.filter(pk=self.pk).update(current_version=version)
        self.current_version = version
        return version


class QuestionOption(Orderable):
    """One row of a question: a choice, an accepted answer, a number, a matching pair or an item to order."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="options")
    text = models.TextField(
        _("text"),
        help_text=_(
            "Choice: the option. Short answer: an accepted answer (* matches anything). Numerical: the value. "
            "Matching: the prompt (empty for an extra wrong answer). Ordering: the item, in the right order."
        ),
    )
    credit = models.DecimalField(
        _("credit (%)"),
        max_digits=9,
        decimal_places=5,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("-100")), MaxValueValidator(Decimal("100"))],
        help_text=_(
            "Share of the mark this answer earns: 100 = full, 50 = half, negative = a penalty "
            "(multiple choice). Not used by matching and ordering."
        ),
    )
    feedback = models.TextField(_("feedback"), blank=True)
    match_text = models.CharField(_("matching answer"), max_length=255, blank=True, help_text=_("Matching only."))
    tolerance = models.DecimalField(
        _("tolerance"),
        max_digits=20,
        decimal_places=10,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Numerical only: answers within ± this value are accepted."),
    )

    class Meta(Orderable.Meta):
        verbose_name = _("answer option")
        verbose_name_plural = _("answer options")

    def __str__(self):
        return Truncator(self.text).chars(60)

    def clean(self):
        super().clean()
        if self.credit is None:
            raise ValidationError({"credit": _("Enter a credit between -100 and 100.")})


class QuestionVersion(models.Model):
    """An immutable snapshot of a question as it was shown and graded. Never edited, never deleted while
    an attempt points at it."""

    question = models.ForeignKey(
        Question, on_delete=models.SET_NULL, null=True, blank=True, related_name="versions", verbose_name=_("question")
    )
    number = models.PositiveIntegerField(_("version"))
    content_hash = models.CharField(max_length=64)
    data = models.JSONField(_("content"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("question version")
        verbose_name_plural = _("question versions")
        constraints = [models.UniqueConstraint(fields=["question", "number"], name="quizzes_version_number_unique")]

    def __str__(self):
        return f"{self.data.get('name', '')} v{self.number}"
