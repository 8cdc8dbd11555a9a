"""Quiz engine: question bank, quizzes in courses, server-graded attempts."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("Quizzes")

    # Applied to the role groups after every migrate (people/roles.py). Trainers run the question bank,
    # grade essays, regrade and give overrides; supervisors see results for their own units only
    # (the results views scope them to their unit subtree).
    role_permissions = {
        "Pengajar": [
            "quizzes.add_questioncategory",
            "quizzes.change_questioncategory",
            "quizzes.delete_questioncategory",
            "quizzes.view_questioncategory",
            "quizzes.add_question",
            "quizzes.change_question",
            "quizzes.delete_question",
            "quizzes.view_question",
            "quizzes.add_quizoverride",
            "quizzes.change_quizoverride",
            "quizzes.delete_quizoverride",
            "quizzes.view_quizoverride",
            "quizzes.view_attempt",
            "quizzes.view_quiz_results",
            "quizzes.grade_attempts",
        ],
        "Supervisor": ["quizzes.view_quiz_results"],
    }

    def ready(self):
        # Imported here: these modules import models, which cannot load before the app registry is ready.
        from courses.completion import register_item_provider
        from quizzes.completion import QuizItemProvider

        register_item_provider(QuizItemProvider())

        from lms import periodic
        from quizzes import services

        # Attempts whose browser never came back are submitted within a minute of their deadline.
        periodic.register("quizzes.close_expired_attempts", every=60, run=services.close_expired_attempts)
