"""URLs of the quizzes app."""

urlpatterns: list = []
