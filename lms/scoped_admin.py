"""Wagtail admin glue for ``lms/scoping.py``: a permission policy and a viewset mixin through which every
view, chooser, bulk action and permission check of a model sees only the rows in the viewer's scope.

A model declares its rule once, as ``rows(user) -> Q`` built from ``scope_for(user)``; then
- ``ScopedPermissionPolicy`` answers instance checks (edit, delete, bulk delete) and
  ``instances_user_has_*_permission_for`` with it, and refuses writes on read-only records;
- ``ScopedViewSetMixin`` makes every view class of a ``ModelViewSet``/``SnippetViewSet`` (listing,
  results, inspect, edit, delete, history, usage, revisions…) and of its chooser look rows up through
  it, so an id outside the scope is a 404 whichever URL it is typed into.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from wagtail.permission_policies.base import ModelPermissionPolicy

WRITES = {"add", "change", "delete"}


class ScopedPermissionPolicy(ModelPermissionPolicy):
    """Django's model permissions, narrowed per instance to ``rows(user)``; ``read_only`` refuses writes
    (records written only by services, such as enrolments, JP credits, H5P results)."""

    def __init__(self, model, *, rows: Callable[[object], Q], read_only: bool = False, **kwargs):
        super().__init__(model, **kwargs)
        self.rows = rows
        self.read_only = read_only

    def user_has_permission(self, user, action):
        if self.read_only and action in WRITES:
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def in_scope(self, user, instance) -> bool:
        if instance is None or instance.pk is None:
            return True
        return self.model._default_manager.filter(self.rows(user), pk=instance.pk).exists()

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and self.in_scope(user, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions) and self.in_scope(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model._default_manager.none()
        return self.model._default_manager.filter(self.rows(user))

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])


def _narrow(queryset, model, user, rows):
    """Only querysets of the model itself: a history view's base queryset holds log entries."""
    if issubclass(queryset.model, model):
        return queryset.filter(rows(user))
    return queryset


def scoped_view(view_class, rows: Callable[[object], Q], model):
    """A subclass of an admin view of ``model`` whose listing is filtered by ``rows(request.user)`` and
    whose object lookups (``get_object``, a chooser's ``get_object(pk)``/``get_objects(pks)``) find
    nothing outside it. Chooser views, which Wagtail opens to anyone with admin access, also require
    some permission on the model."""
    if getattr(view_class, "_scoped_rows", None) is not None:
        return view_class  # already scoped (a subclass of a scoped viewset)
    namespace = {"_scoped_rows": staticmethod(rows), "__module__": __name__}

    if hasattr(view_class, "get_base_queryset"):

        def get_base_queryset(self):
            return _narrow(super(scoped, self).get_base_queryset(), model, self.request.user, rows)

        namespace["get_base_queryset"] = get_base_queryset

    if hasattr(view_class, "get_object_list"):  # chooser listings

        def get_object_list(self, *args, **kwargs):
            return _narrow(super(scoped, self).get_object_list(*args, **kwargs), model, self.request.user, rows)

        namespace["get_object_list"] = get_object_list

    if hasattr(view_class, "get_objects"):  # chooser: several chosen at once

        def get_objects(self, *args, **kwargs):
            return _narrow(super(scoped, self).get_objects(*args, **kwargs), model, self.request.user, rows)

        namespace["get_objects"] = get_objects

    if _is_chooser_view(view_class):

        def dispatch(self, request, *args, **kwargs):
            from wagtail.permissions import policy_registry

            policy = policy_registry.get_by_type(model)
            if not policy.user_has_any_permission(request.user, ["add", "change", "delete", "view"]):
                raise PermissionDenied
            return super(scoped, self).dispatch(request, *args, **kwargs)

        namespace["dispatch"] = dispatch

    if hasattr(view_class, "get_object"):

        def get_object(self, *args, **kwargs):
            instance = super(scoped, self).get_object(*args, **kwargs)
            if instance is not None and getattr(instance, "pk", None) is not None:
                model = type(instance)
                if not model._default_manager.filter(rows(self.request.user), pk=instance.pk).exists():
                    raise Http404
            return instance

        namespace["get_object"] = get_object

    scoped = type(f"Scoped{view_class.__name__}", (view_class,), namespace)
    return scoped


class ScopedViewSetMixin:
    """For a ``ModelViewSet`` or ``SnippetViewSet`` whose model has a ``ScopedPermissionPolicy``: every
    view class it builds (and its chooser's) is wrapped with ``scoped_view``. View classes that Wagtail
    adds later are wrapped too, because every ``*_view_class`` attribute is, plain or property."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if getattr(cls, "model", None) is None:
            return
        rows = functools.partial(_policy_rows, cls)
        for name in dir(cls):
            if name.endswith("_view_class"):
                static = inspect.getattr_static(cls, name)
                if isinstance(static, property):
                    setattr(cls, name, _scoped_property(static, rows, cls.model))
                elif _is_view_class(static):
                    setattr(cls, name, scoped_view(static, rows, cls.model))

    def scope_rows(self, user) -> Q:
        return _policy_rows(type(self), user)

    @property
    def chooser_viewset(self):
        viewset = super().chooser_viewset
        rows = functools.partial(_policy_rows, type(self))
        for name in dir(type(viewset)):
            if name.endswith("_view_class"):
                view_class = getattr(viewset, name, None)
                if _is_view_class(view_class):
                    setattr(viewset, name, scoped_view(view_class, rows, self.model))
        return viewset


def _policy_rows(viewset_class, user) -> Q:
    from wagtail.permissions import policy_registry

    policy = policy_registry.get_by_type(viewset_class.model)
    if not isinstance(policy, ScopedPermissionPolicy):
        raise TypeError(f"{viewset_class.model._meta.label} needs a ScopedPermissionPolicy")
    return policy.rows(user)


def _is_view_class(value) -> bool:
    from django.views import View

    return isinstance(value, type) and issubclass(value, View)


def _is_chooser_view(view_class) -> bool:
    from wagtail.admin.views.generic.chooser import (
        BaseChooseView,
        ChosenMultipleViewMixin,
        ChosenViewMixin,
        CreationFormMixin,
    )

    return issubclass(view_class, (BaseChooseView, ChosenViewMixin, ChosenMultipleViewMixin, CreationFormMixin))


def _scoped_property(original: property, rows, model) -> property:
    def getter(self):
        value = original.fget(self)
        return scoped_view(value, rows, model) if _is_view_class(value) else value

    return property(getter)
