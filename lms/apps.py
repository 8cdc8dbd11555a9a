from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LmsConfig(AppConfig):
    name = "lms"
    verbose_name = _("Platform")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from lms.middleware import start_learner_session

        # A learner's session expires when idle (LMS_SESSION_IDLE_MINUTES); staff keep Django's.
        user_logged_in.connect(start_learner_session, dispatch_uid="lms.start_learner_session")
