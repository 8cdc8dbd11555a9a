"""Quiz engine: question bank, quizzes in courses, server-graded attempts."""
