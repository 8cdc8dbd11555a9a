"""Where quizzes meet courses: a QuizPage is a course item (done = passed; a graded result that does not
pass is *failing*, which keeps or puts the course back in progress), a pre-/post-test directly under a
course plays that role in the outline, only enrolled learners take it, and every grade change refreshes
the learner's enrolment in the same transaction."""

from collections.abc import Collection

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

from courses.completion import DONE, IN_PROGRESS, NOT_STARTED, ItemProvider
from courses.models import CoursePage
from courses.selectors import lesson_access
from courses.services import enrolment_refresh
from quizzes.models import Attempt, AttemptState, QuizPage, QuizResult


class QuizItemProvider(ItemProvider):
    """A required quiz counts as done once the learner's grade for it (grading method applied) passes."""

    page_model = QuizPage
    role_field = "quiz_role"  # "pretest" / "posttest" are the roles courses.completion knows

    def required_ids(self, page_ids: Collection[int]) -> set[int]:
        return set(QuizPage.objects.filter(pk__in=page_ids, required=True).values_list("pk", flat=True))

    def states(self, user_id: int, page_ids: Collection[int]) -> dict[int, str]:
        return self.states_and_details(user_id, page_ids)[0]

    def states_and_details(self, user_id: int, page_ids: Collection[int]) -> tuple[dict[int, str], dict[int, str]]:
        states, details, _taken, _failing = self.outline_states(user_id, page_ids)
        return states, details

    def outline_states(self, user_id: int, page_ids: Collection[int]):
        """Done = passed; taken = an attempt was submitted (graded or waiting for an essay grade);
        failing = graded and not passed. The detail is the learner's grade, which is always shown once
        an attempt is graded whatever the review options say (``QuizPage.review_correctness`` help text).
        One query."""
        states, details, taken, failing = {}, {}, set(), set()
        submitted = Attempt.objects.filter(quiz_id=OuterRef("quiz_id"), user_id=user_id).exclude(
            state=AttemptState.IN_PROGRESS
        )
        rows = (
            QuizResult.objects.filter(user_id=user_id, quiz_id__in=page_ids)
            .annotate(submitted=Exists(submitted))
            .values_list("quiz_id", "passed", "attempts_started", "grade_percent", "submitted")
        )
        for quiz_id, passed, started, grade, was_submitted in rows:
            states[quiz_id] = DONE if passed else (IN_PROGRESS if started else NOT_STARTED)
            if was_submitted or passed:
                taken.add(quiz_id)
            if grade is not None and not passed:
                failing.add(quiz_id)
            if grade is None:
                continue
            grade = floatformat(grade, "-2")
            if passed:
                details[quiz_id] = _("Your grade: %(grade)s") % {"grade": grade}
            else:
                details[quiz_id] = _("Your grade: %(grade)s, not passed yet") % {"grade": grade}
        return states, details, taken, failing

    def done_by_user(self, page_ids: Collection[int], user_ids: Collection[int]) -> dict[int, set[int]]:
        done: dict[int, set[int]] = {user_id: set() for user_id in user_ids}
        for user_id, quiz_id in QuizResult.objects.filter(
            quiz_id__in=page_ids, user_id__in=user_ids, passed=True
        ).values_list("user_id", "quiz_id"):
            done.setdefault(user_id, set()).add(quiz_id)
        return done


def course_id_for(quiz: QuizPage) -> int | None:
    """The id of the course page above a quiz (its parent, or its module's parent). One query, cached."""
    if not hasattr(quiz, "_course_id"):
        steps = QuizPage.steplen
        candidates = [quiz.path[: len(quiz.path) - steps], quiz.path[: len(quiz.path) - 2 * steps]]
        quiz._course_id = (
            CoursePage.objects.filter(path__in=[path for path in candidates if path])
            .values_list("pk", flat=True)
            .first()
        )
    return quiz._course_id


def quiz_access(*, user, quiz: QuizPage):
    """The courses app's access rule for an item page: enrolled (active), item live, module not locked.
    Returns its ``LessonAccess`` (``.allowed``, ``.enrolment``, ``.item``); a fixed number of queries."""
    return lesson_access(user=user, lesson=quiz)


def may_take(*, user, quiz: QuizPage, course_id: int | None) -> bool:
    if course_id is None or not user.is_authenticated:
        return False
    return quiz_access(user=user, quiz=quiz).allowed


def grade_changed(*, user_id: int, course_id: int | None) -> None:
    """Tell the courses app that a quiz grade changed (course completion may change); same transaction."""
    if course_id is None:
        return
    course = CoursePage.objects.filter(pk=course_id).first()
    if course is None:
        return
    enrolment_refresh(user=get_user_model()(pk=user_id), course=course)
