"""H5P interactive content: packages, the h5p-standalone player and xAPI results."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class H5PConfig(AppConfig):
    name = "h5p"
    verbose_name = _("H5P interactive content")

    # Applied to the role groups after every migrate (people/roles.py).
    role_permissions = {
        "Pengajar": [
            "h5p.add_h5pcontent",
            "h5p.change_h5pcontent",
            "h5p.delete_h5pcontent",
            "h5p.view_h5pcontent",
            "h5p.view_h5presult",
            "h5p.view_h5pstatement",
        ],
    }

    def ready(self):
        # Imported here, not at the top: these modules import models, which Django loads after the
        # app configs (this module is read before any model exists).
        from courses.blocks import register_lesson_block
        from courses.completion import register_lesson_requirement
        from h5p import signals
        from h5p.blocks import H5PContentBlock
        from h5p.selectors import h5p_requirements_met, h5p_requirements_missing

        register_lesson_block("h5p", H5PContentBlock())
        register_lesson_requirement(h5p_requirements_met, missing=h5p_requirements_missing)
        signals.connect()
