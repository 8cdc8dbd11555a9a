"""Background tasks of the quiz engine (django-tasks, which Wagtail already uses).

``close_expired_attempts_task`` submits abandoned attempts whose time is up. django-tasks has no
scheduler, so something must enqueue it periodically: either cron runs the management command
(``* * * * * manage.py close_expired_attempts``), or a deployment with a task worker enqueues this task
every minute. Attempts are also closed on the learner's next request, so the task only has to catch
attempts whose browser never came back."""

from django_tasks import task

from quizzes import services


@task()
def close_expired_attempts_task() -> int:
    return services.close_expired_attempts()
