"""Courses as Wagtail pages: catalogue, modules, lessons, enrolment and learner progress."""
