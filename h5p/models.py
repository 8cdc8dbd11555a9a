"""H5P content items, where lessons place them, and what learners did with them (xAPI statements, summaries, state).

Learner history outlives content: deleting an item sets ``content`` to NULL on statements and
results, which keep the item's title.
"""

import json
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def package_upload_to(instance, filename: str) -> str:
    # A folder per upload: a replacement never takes the name of the archive it replaces.
    return f"h5p/packages/{uuid.uuid4().hex}/{filename}"


class H5PContent(models.Model):
    """An uploaded H5P package, extracted and ready to play; replaceable by uploading a new file."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(
        _("description"), blank=True, help_text=_("Optional. Shown to participants above the interactive content.")
    )
    package = models.FileField(
        _("H5P file"),
        upload_to=package_upload_to,
        max_length=255,
        help_text=_(
            "An .h5p file exported with its libraries, e.g. from Lumi (File → Export → H5P). "
            "Uploading a new file replaces the content; a refused file changes nothing."
        ),
    )
    version = models.CharField(_("version"), max_length=32, editable=False, default="")
    content_prefix = models.CharField(max_length=255, editable=False, default="")
    library_map = models.JSONField(default=dict, editable=False)
    main_library = models.CharField(_("content type"), max_length=200, editable=False, default="")
    file_count = models.PositiveIntegerField(_("files"), default=0, editable=False)
    unpacked_bytes = models.PositiveBigIntegerField(_("unpacked size"), default=0, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    class Meta:
        verbose_name = _("H5P content")
        verbose_name_plural = _("H5P content")
        ordering = ["title"]

    def __str__(self):
        return self.title


class Requirement(models.TextChoices):
    COMPLETED = "completed", _("Must be completed")
    PASSED = "passed", _("Must be passed")
    OPTIONAL = "optional", _("Optional: does not affect completion")


class H5PPlacement(models.Model):
    """An item placed in a live lesson, and the course it belongs to; kept in step with publishing.

    Access to an item's files and endpoints follows from it: learners enrolled in one of these
    courses, and trainers.
    """

    content = models.ForeignKey(H5PContent, on_delete=models.CASCADE, related_name="placements")
    lesson = models.ForeignKey("courses.LessonPage", on_delete=models.CASCADE, related_name="h5p_placements")
    course = models.ForeignKey("courses.CoursePage", null=True, on_delete=models.CASCADE, related_name="+")
    requirement = models.CharField(max_length=10, choices=Requirement.choices, default=Requirement.COMPLETED)

    class Meta:
        verbose_name = _("H5P placement")
        verbose_name_plural = _("H5P placements")
        constraints = [models.UniqueConstraint(fields=["content", "lesson"], name="h5p_placement_once_per_lesson")]


class H5PResult(models.Model):
    """One learner's summary for one item: attempts, latest and best score, success, completion.

    Written only by ``h5p.services.statement_record`` under a row lock. ``completed_at`` and
    ``passed_at`` are set once. Scores are reported by the learner's browser.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="h5p_results", verbose_name=_("participant")
    )
    content = models.ForeignKey(
        H5PContent, null=True, on_delete=models.SET_NULL, related_name="results", verbose_name=_("H5P content")
    )
    content_title = models.CharField(_("H5P content title"), max_length=200)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    latest_raw = models.FloatField(_("latest score"), null=True, blank=True)
    latest_max = models.FloatField(_("latest maximum score"), null=True, blank=True)
    latest_scaled = models.FloatField(_("latest score (0–1)"), null=True, blank=True)
    latest_success = models.BooleanField(_("latest attempt passed"), null=True, blank=True)
    best_raw = models.FloatField(_("best score"), null=True, blank=True)
    best_max = models.FloatField(_("best maximum score"), null=True, blank=True)
    best_scaled = models.FloatField(_("best score (0–1)"), null=True, blank=True)
    success = models.BooleanField(
        _("passed"), null=True, blank=True, help_text=_("Empty while the content has not said whether it was passed.")
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    passed_at = models.DateTimeField(_("passed at"), null=True, blank=True)
    first_activity_at = models.DateTimeField(_("first activity"), auto_now_add=True)
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)
    # Compare-and-swap counter: a write applies only to the version it read (see services).
    version = models.PositiveIntegerField(default=0, editable=False)
    # Ids of the latest statements folded in, so a retried statement is never counted twice.
    applied_statements = models.JSONField(default=list, editable=False)
    # The attempt being reported: the finishing verbs seen for it and its score. One run of a
    # content type often reports several ("answered" then "completed"): they count once.
    current_attempt = models.JSONField(default=dict, editable=False)

    class Meta:
        verbose_name = _("H5P result")
        verbose_name_plural = _("H5P results")
        constraints = [models.UniqueConstraint(fields=["user", "content"], name="h5p_result_one_per_item")]

    def __str__(self):
        return f"{self.user} – {self.content_title}"

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None

    @property
    def is_passed(self) -> bool:
        """Passed, or completed content that never reports pass/fail (nothing to fail)."""
        return self.success is True or (self.completed_at is not None and self.success is None)

    @property
    def best_percent(self) -> int | None:
        return round(self.best_scaled * 100) if self.best_scaled is not None else None


class H5PStatement(models.Model):
    """One xAPI statement as the browser sent it, stored once per statement id."""

    statement_id = models.UUIDField(_("statement id"), unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="h5p_statements", verbose_name=_("participant")
    )
    content = models.ForeignKey(
        H5PContent, null=True, on_delete=models.SET_NULL, related_name="statements", verbose_name=_("H5P content")
    )
    verb = models.CharField(_("verb"), max_length=40)
    verb_iri = models.CharField(max_length=255)
    object_iri = models.CharField(_("activity"), max_length=500)
    is_top_level = models.BooleanField(
        _("whole activity"), help_text=_("No: a question inside the content (its context names a parent).")
    )
    score_raw = models.FloatField(_("score"), null=True, blank=True)
    score_max = models.FloatField(_("maximum score"), null=True, blank=True)
    score_scaled = models.FloatField(_("score (0–1)"), null=True, blank=True)
    success = models.BooleanField(_("passed"), null=True, blank=True)
    completion = models.BooleanField(_("completed"), null=True, blank=True)
    statement = models.JSONField(_("statement"))
    stored_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("xAPI statement")
        verbose_name_plural = _("xAPI statements")
        ordering = ["-stored_at", "-id"]
        indexes = [models.Index(fields=["content", "user"], name="h5p_statement_item_user")]

    def __str__(self):
        return f"{self.verb} {self.object_iri}"

    @property
    def statement_json(self) -> str:
        return json.dumps(self.statement, ensure_ascii=False)


class H5PState(models.Model):
    """The player's saved state (H5P "content user data") for one learner and item, to resume from."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    content = models.ForeignKey(H5PContent, on_delete=models.CASCADE, related_name="+")
    content_version = models.CharField(max_length=32)
    data = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("H5P saved state")
        verbose_name_plural = _("H5P saved states")
        constraints = [models.UniqueConstraint(fields=["user", "content"], name="h5p_state_one_per_item")]
