"""Quiz models: the question bank, quiz pages, and learners' attempts and results."""

from quizzes.models.attempts import Attempt, AttemptSlot, AttemptState, QuizOverride, QuizResult
from quizzes.models.bank import (
    Question,
    QuestionCategory,
    QuestionOption,
    QuestionTag,
    QuestionType,
    QuestionVersion,
)
from quizzes.models.pages import (
    GradingMethod,
    Navigation,
    QuizPage,
    QuizQuestion,
    QuizRandomDraw,
    QuizRole,
    ReviewTiming,
)

__all__ = [
    "Attempt",
    "AttemptSlot",
    "AttemptState",
    "GradingMethod",
    "Navigation",
    "Question",
    "QuestionCategory",
    "QuestionOption",
    "QuestionTag",
    "QuestionType",
    "QuestionVersion",
    "QuizOverride",
    "QuizPage",
    "QuizQuestion",
    "QuizRandomDraw",
    "QuizResult",
    "QuizRole",
    "ReviewTiming",
]
