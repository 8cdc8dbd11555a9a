"""A small app only so that Django finds the ``seed_scale`` management command."""

from django.apps import AppConfig


class ScaleConfig(AppConfig):
    name = "scale"
    verbose_name = "Scale data"
