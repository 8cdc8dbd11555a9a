"""Background tasks of the quiz engine (django-tasks, which Wagtail already uses).

``close_expired_attempts_task`` submits abandoned attempts whose time is up, for deployments that
prefer their own task worker. The platform's own schedule is ``lms.periodic``: ``manage.py
run_periodic`` (started by ``make run``, ``periodic`` in the Procfile) runs the same service every
minute. Attempts are also closed on the learner's next request, so either only has to catch attempts
whose browser never came back."""

from django_tasks import task

from quizzes import services


@task()
def close_expired_attempts_task() -> int:
    return services.close_expired_attempts()
