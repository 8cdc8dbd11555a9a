"""Learners' attempts, the answer to each question in an attempt, their grade per quiz, and overrides.

History outlives content: deleting a quiz page or a question never deletes an attempt (SET_NULL, and
each attempt keeps the quiz title, the course id and the question versions it was shown)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from quizzes.models.bank import Question, QuestionVersion
from quizzes.models.pages import QuizPage


class AttemptState(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    NEEDS_GRADING = "needs_grading", _("Waiting for grading")
    FINISHED = "finished", _("Finished")


class Attempt(models.Model):
    quiz = models.ForeignKey(
        QuizPage, on_delete=models.SET_NULL, null=True, blank=True, related_name="attempts", verbose_name=_("quiz")
    )
    quiz_title = models.CharField(_("quiz title"), max_length=255)
    course_id = models.BigIntegerField(_("course page id"), null=True, blank=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts", verbose_name=_("learner")
    )
    number = models.PositiveIntegerField(_("attempt number"))
    state = models.CharField(_("state"), max_length=15, choices=AttemptState.choices, default=AttemptState.IN_PROGRESS)
    started_at = models.DateTimeField(_("started at"))
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    graded_at = models.DateTimeField(_("graded at"), null=True, blank=True)
    auto_submitted = models.BooleanField(_("submitted when time was up"), default=False)
    last_seq = models.PositiveIntegerField(_("last save sequence number"), default=0)
    sequential = models.BooleanField(_("forward-only navigation"), default=False)
    page_count = models.PositiveSmallIntegerField(_("pages"), default=1)
    furthest_page = models.PositiveSmallIntegerField(_("furthest page reached"), default=0)
    raw_mark = models.DecimalField(_("marks"), max_digits=12, decimal_places=5, null=True, blank=True)
    max_mark = models.DecimalField(_("maximum marks"), max_digits=12, decimal_places=5, default=0)
    percent = models.DecimalField(_("grade (%)"), max_digits=6, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        ordering = ["-started_at"]
        constraints = [
            # Two tabs pressing "start" at once cannot both create attempt number N.
            models.UniqueConstraint(fields=["quiz", "user", "number"], name="quizzes_attempt_number_unique"),
            # At most one attempt in progress per learner and quiz.
            models.UniqueConstraint(
                fields=["quiz", "user"], condition=Q(state="in_progress"), name="quizzes_one_open_attempt"
            ),
        ]
        indexes = [
            models.Index(fields=["quiz", "state"]),
            models.Index(fields=["state", "deadline"], name="quizzes_attempt_expiry"),
        ]
        permissions = [
            ("view_quiz_results", _("Can view quiz results and statistics")),
            ("grade_attempts", _("Can grade essays and regrade quizzes")),
        ]

    def __str__(self):
        return f"{self.quiz_title} #{self.number} ({self.user_id})"

    @property
    def is_in_progress(self) -> bool:
        return self.state == AttemptState.IN_PROGRESS

    @property
    def is_final(self) -> bool:
        return self.state == AttemptState.FINISHED

    @property
    def time_taken(self):
        if self.submitted_at is None:
            return None
        return self.submitted_at - self.started_at


class AttemptSlot(models.Model):
    """One question in one attempt: the version shown, its layout, the saved response and the mark."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="slots")
    number = models.PositiveSmallIntegerField(_("question number"))
    page = models.PositiveSmallIntegerField(_("page"), default=0)
    question = models.ForeignKey(Question, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="+")
    max_mark = models.DecimalField(_("maximum mark"), max_digits=7, decimal_places=2)
    layout = models.JSONField(_("layout"), default=dict, blank=True)
    response = models.JSONField(_("response"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    mark = models.DecimalField(_("mark"), max_digits=12, decimal_places=5, null=True, blank=True)
    needs_grading = models.BooleanField(_("needs grading"), default=False)
    grader_comment = models.TextField(_("grader's comment"), blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    graded_at = models.DateTimeField(_("graded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("attempt question")
        verbose_name_plural = _("attempt questions")
        ordering = ["attempt", "number"]
        constraints = [models.UniqueConstraint(fields=["attempt", "number"], name="quizzes_slot_number_unique")]
        indexes = [
            models.Index(fields=["attempt", "page"]),
            models.Index(fields=["needs_grading"], condition=Q(needs_grading=True), name="quizzes_slot_to_grade"),
        ]

    @property
    def qtype(self) -> str:
        return self.version.data["type"]

    @property
    def fraction(self):
        if self.mark is None or not self.max_mark:
            return None
        return self.mark / self.max_mark


class QuizResult(models.Model):
    """The learner's grade for a quiz (by the quiz's grading method over finished attempts): one row per
    (learner, quiz), updated in the same transaction as the attempt that changes it. Reports and course
    completion read this row, never the attempts."""

    quiz = models.ForeignKey(
        QuizPage, on_delete=models.SET_NULL, null=True, blank=True, related_name="results", verbose_name=_("quiz")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_results", verbose_name=_("learner")
    )
    course_id = models.BigIntegerField(_("course page id"), null=True, blank=True, db_index=True)
    attempts_started = models.PositiveIntegerField(_("attempts started"), default=0)
    attempts_finished = models.PositiveIntegerField(_("attempts graded"), default=0)
    grade_percent = models.DecimalField(_("grade (%)"), max_digits=6, decimal_places=2, null=True, blank=True)
    first_percent = models.DecimalField(_("first attempt (%)"), max_digits=6, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(_("passed"), default=False)
    passed_at = models.DateTimeField(_("passed at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("quiz result")
        verbose_name_plural = _("quiz results")
        constraints = [models.UniqueConstraint(fields=["quiz", "user"], name="quizzes_result_unique")]
        # Reports look up a learner's grades in one course (reports.selectors.course_participants).
        indexes = [models.Index(fields=["user", "course_id"], name="quizzes_result_user_course")]

    def __str__(self):
        return f"{self.quiz_id}/{self.user_id}: {self.grade_percent}"


class QuizOverride(models.Model):
    """An exception for one learner on one quiz: extra attempts, a later close, more time."""

    quiz = models.ForeignKey(QuizPage, on_delete=models.CASCADE, related_name="overrides", verbose_name=_("quiz"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_overrides", verbose_name=_("learner")
    )
    extra_attempts = models.PositiveSmallIntegerField(_("extra attempts"), default=0)
    close_at = models.DateTimeField(_("closes at"), null=True, blank=True, help_text=_("Empty: the quiz's own."))
    time_limit_minutes = models.PositiveIntegerField(
        _("time limit (minutes)"), null=True, blank=True, help_text=_("Empty: the quiz's own.")
    )
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("quiz override")
        verbose_name_plural = _("quiz overrides")
        constraints = [models.UniqueConstraint(fields=["quiz", "user"], name="quizzes_override_unique")]

    def __str__(self):
        return f"{self.quiz} – {self.user}"
