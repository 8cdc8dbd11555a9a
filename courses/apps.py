"""Courses as Wagtail pages: catalogue, modules, lessons, enrolment and learner progress."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    # Applied to the role groups after every migrate (people/roles.py). Supervisors get their
    # unit-scoped views from the reports app, not these province-wide listings.
    role_permissions = {
        "Pengajar": [
            "courses.manage_enrolments",
            "courses.view_enrolment",
            "courses.view_jpcredit",
            "courses.add_coursecategory",
            "courses.change_coursecategory",
            "courses.view_coursecategory",
        ],
    }

    def ready(self):
        from wagtail.models import Page
        from wagtail.permissions import register_permission_policy

        from courses import completion, permissions, signals

        # Before anything asks for a page's policy: trainers' rights follow CoursePage.trainers.
        register_permission_policy(Page, permissions.CoursePagePermissionPolicy(Page))

        completion.register_item_provider(completion.LessonItemProvider())
        signals.connect()
        post_migrate.connect(permissions.grant_course_page_permissions_after_migrate, dispatch_uid="courses.page_perms")
