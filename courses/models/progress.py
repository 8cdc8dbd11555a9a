"""Learner progress: enrolment summary per (learner, course), lesson summary per (learner, lesson), JP ledger.

Reports (issue 6) read ``Enrolment`` (status, percent, completed_at) and ``JPCredit`` (jp per user
and year); they never recompute progress from lesson rows. Learner history outlives content: a
deleted course or lesson sets the page reference to NULL and keeps the row with its title snapshot.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EnrolmentStatus(models.TextChoices):
    REQUESTED = "requested", _("Waiting for approval")
    ACTIVE = "active", _("Enrolled")
    REJECTED = "rejected", _("Request declined")
    WITHDRAWN = "withdrawn", _("Left the course")


class EnrolmentSource(models.TextChoices):
    SELF = "self", _("Self-enrolled")
    REQUEST = "request", _("Approved request")
    ASSIGNED = "assigned", _("Assigned")


class ProgressStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")


class Enrolment(models.Model):
    """One learner in one course: how they got in, and the derived progress summary.

    ``progress_status``, ``percent``, ``done_items``/``required_items`` and ``completed_at`` are
    written only by ``courses.services.enrolment_refresh`` in the transaction of the event that
    changed them. ``completed_at`` is set on completion and cleared only when a required item's
    result becomes a failure (a regrade or a later attempt took a quiz pass away; docs/completion.md).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("participant")
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        null=True,
        on_delete=models.SET_NULL,
        related_name="enrolments",
        verbose_name=_("course"),
    )
    course_title = models.CharField(_("course title"), max_length=255, help_text=_("Kept if the course is deleted."))
    status = models.CharField(
        _("enrolment status"), max_length=10, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ACTIVE
    )
    source = models.CharField(_("enrolled by"), max_length=10, choices=EnrolmentSource.choices)
    requested_at = models.DateTimeField(_("requested at"), null=True, blank=True)
    enrolled_at = models.DateTimeField(_("enrolled at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("approved, declined or assigned by"),
    )
    withdrawn_at = models.DateTimeField(_("left at"), null=True, blank=True)

    progress_status = models.CharField(
        _("progress"), max_length=12, choices=ProgressStatus.choices, default=ProgressStatus.NOT_STARTED
    )
    percent = models.PositiveSmallIntegerField(_("percent complete"), default=0)
    required_items = models.PositiveIntegerField(_("required items"), default=0)
    done_items = models.PositiveIntegerField(_("completed required items"), default=0)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="courses_enrolment_one_per_course"),
            models.CheckConstraint(condition=models.Q(percent__lte=100), name="courses_enrolment_percent_max_100"),
        ]
        indexes = [
            models.Index(fields=["course", "status"], name="courses_enrol_course_status"),
            models.Index(fields=["user", "status"], name="courses_enrol_user_status"),
            # The SIASN export and its screen list completions of a period, newest or oldest first.
            models.Index(fields=["completed_at"], name="courses_enrol_completed_at"),
        ]
        permissions = [("manage_enrolments", _("Can approve requests and assign participants to courses"))]

    def __str__(self):
        return f"{self.user} – {self.course_title}"

    @property
    def is_active(self) -> bool:
        return self.status == EnrolmentStatus.ACTIVE

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None


class LessonProgress(models.Model):
    """One learner's summary for one lesson: opened, time spent, video watched, resume position.

    Concurrency: heartbeats update this row with a compare-and-swap on ``version``; there is one row
    per (user, lesson) by constraint; ``completed_at`` is set once.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="lesson_progress",
        verbose_name=_("participant"),
    )
    lesson = models.ForeignKey(
        "courses.LessonPage",
        null=True,
        on_delete=models.SET_NULL,
        related_name="progress",
        verbose_name=_("lesson"),
    )
    lesson_title = models.CharField(_("lesson title"), max_length=255)
    started_at = models.DateTimeField(_("first opened at"))
    last_seen_at = models.DateTimeField(_("last seen at"))
    marked_done_at = models.DateTimeField(_("marked as done at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    time_spent_seconds = models.PositiveIntegerField(_("time spent (seconds)"), default=0)
    video_duration_seconds = models.FloatField(_("video length (seconds)"), default=0)
    video_watched_seconds = models.FloatField(_("video watched (seconds)"), default=0)
    video_fraction = models.FloatField(_("share of the video watched"), default=0)
    watched_intervals = models.JSONField(_("watched parts of the video"), default=list, blank=True)
    last_position_seconds = models.FloatField(_("resume position (seconds)"), default=0)
    # The page view that sent the last heartbeat and its active seconds, so a retried heartbeat adds nothing.
    view_id = models.CharField(max_length=36, blank=True, editable=False)
    view_seconds = models.PositiveIntegerField(default=0, editable=False)
    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="courses_lessonprogress_one_per_lesson"),
            models.CheckConstraint(
                condition=models.Q(video_fraction__gte=0) & models.Q(video_fraction__lte=1),
                name="courses_lessonprogress_fraction_0_1",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.lesson_title}"

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None

    @property
    def video_percent(self) -> int:
        return int(self.video_fraction * 100)


class JPEntryKind(models.TextChoices):
    CREDIT = "credit", pgettext_lazy("JP ledger entry", "Credit")
    REVERSAL = "reversal", pgettext_lazy("JP ledger entry", "Reversal")


class JPCredit(models.Model):
    """The JP ledger: a course's JP credited to a learner for the calendar year (WIB) of completion.

    Entries are never deleted or edited, except that a credit records when it was reversed. A
    completion writes a *credit* (jp > 0); when the completion is withdrawn (a required quiz's pass
    was taken away, docs/completion.md) a *reversal* entry (jp < 0, same year, ``reverses`` the credit)
    is added and the credit's ``reversed_at`` set; a later completion writes a new credit. So the sum
    of ``jp`` per (user, year) is the JP the person holds, and at most one credit per (user, course)
    is live (not reversed): ``course_ref`` keeps the course page id even after the page is deleted, and
    the unique constraint is on it, not on the nullable foreign key.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jp_credits", verbose_name=_("participant")
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        null=True,
        on_delete=models.SET_NULL,
        related_name="jp_credits",
        verbose_name=_("course"),
    )
    course_ref = models.PositiveBigIntegerField(_("course id"), editable=False)
    course_title = models.CharField(_("course title"), max_length=255)
    kind = models.CharField(_("entry"), max_length=10, choices=JPEntryKind.choices, default=JPEntryKind.CREDIT)
    jp = models.SmallIntegerField(_("JP"), help_text=_("Negative for a reversal."))
    year = models.PositiveSmallIntegerField(_("year"))
    credited_at = models.DateTimeField(_("credited at"))
    reverses = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversal",
        verbose_name=_("reverses"),
    )
    reversed_at = models.DateTimeField(_("reversed at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("JP credit")
        verbose_name_plural = _("JP credits")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course_ref"],
                condition=models.Q(kind="credit", reversed_at__isnull=True),
                name="courses_jpcredit_one_live_credit",
            ),
            models.CheckConstraint(
                condition=(models.Q(kind="credit", jp__gt=0, reverses__isnull=True))
                | models.Q(kind="reversal", jp__lt=0, reverses__isnull=False),
                name="courses_jpcredit_sign_by_kind",
            ),
        ]
        indexes = [models.Index(fields=["user", "year"], name="courses_jpcredit_user_year")]

    def __str__(self):
        return f"{self.user} – {self.course_title}: {self.jp} JP ({self.year})"

    @classmethod
    def live_credits(cls):
        """Credits not reversed: at most one per (user, course)."""
        return cls.objects.filter(kind=JPEntryKind.CREDIT, reversed_at__isnull=True)
