"""The structure of a course's outline (its visible modules and items in tree order), read in one query
and cached per ``CoursePage.outline_version``; the same for every learner (``courses/completion.py``
adds a learner's states to it)."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import reduce
from operator import or_

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Q
from wagtail.models import Page, Site

from courses.models import ModulePage


class ItemRole(enum.StrEnum):
    """The role an item placed directly under a course can play (the values of ``QuizPage.quiz_role``)."""

    NONE = ""
    PRETEST = "pretest"
    POSTTEST = "posttest"


@dataclass(frozen=True)
class OutlinePage:
    """The few fields of a page the outline needs, without building a Page instance (much cheaper)."""

    pk: int
    title: str
    path: str
    depth: int
    live: bool
    url_path: str
    content_type_id: int

    @property
    def id(self) -> int:
        return self.pk

    @property
    def url(self) -> str:
        """The page's address relative to its site root (the platform serves one site)."""
        for root in Site.get_site_root_paths():
            if self.url_path.startswith(root.root_path):
                return self.url_path[len(root.root_path) - 1 :]
        return ""


@dataclass(frozen=True)
class ModuleEntry:
    page: OutlinePage
    locked_until_previous: bool


@dataclass(frozen=True)
class ItemEntry:
    page: OutlinePage
    model_label: str  # the item provider's page model, ``app_label.modelname``
    module_id: int | None  # None for an item placed directly under the course
    required: bool
    role: ItemRole = ItemRole.NONE


StructureEntry = ModuleEntry | ItemEntry

# Kept per process and in the default cache, keyed by the course id and ``CoursePage.outline_version``,
# which courses/signals.py replaces in the transaction of every page change; the version comes from the
# course row the request has just read, so no process can serve a structure older than the database.
# Pre-tests come first and post-tests last. Learners' states are never cached.
STRUCTURE_CACHE_SECONDS = 24 * 3600
STRUCTURE_MEMO_SIZE = 512
STRUCTURE_FORMAT = 3  # bump when the entries' shape changes (3: frozen ModuleEntry/ItemEntry, were tuples)
_structure_memo: dict[str, tuple[StructureEntry, ...]] = {}  # this process's copies; emptied past the size

_ROLE_ORDER = {ItemRole.PRETEST: 0, ItemRole.POSTTEST: 2}


def _structure_cache_key(course, providers: Sequence) -> str:
    labels = ",".join(sorted(provider.page_model._meta.label_lower for provider in providers))
    return f"courses.outline.{STRUCTURE_FORMAT}.{course.pk}.{course.outline_version}.{labels}"


def _content_type_lookups(providers: Sequence, attribute: str) -> dict[int, str]:
    """{content type id: ORM lookup of the field a provider names in ``attribute``}, for a join per page type."""
    lookups = {}
    for provider in providers:
        field_name = getattr(provider, attribute)
        if field_name:
            model = provider.page_model
            lookups[ContentType.objects.get_for_model(model).pk] = f"{model._meta.model_name}__{field_name}"
    return lookups


def read_structures(courses: list, providers: Sequence) -> dict[int, tuple[StructureEntry, ...]]:
    """Structures of several courses from the database: 1 query, + 1 per provider without ``required_field``."""
    structures: dict[int, tuple[StructureEntry, ...]] = {}
    if not courses:
        return structures
    module_model = ModulePage
    models_by_ct = {
        ContentType.objects.get_for_model(model).pk: model
        for model in [module_model, *(p.page_model for p in providers)]
    }
    # Providers that name their "required" or role field are read in the same query (a join per page type).
    required_lookups = _content_type_lookups(providers, "required_field")
    role_lookups = _content_type_lookups(providers, "role_field")
    lookups = list(dict.fromkeys([*required_lookups.values(), *role_lookups.values()]))
    rows = (
        Page.objects.filter(reduce(or_, [Q(path__startswith=c.path, depth__gt=c.depth) for c in courses]))
        .filter(content_type_id__in=list(models_by_ct))
        .order_by("path")
        .values_list(
            "id",
            "title",
            "path",
            "depth",
            "live",
            "url_path",
            "content_type_id",
            "modulepage__locked_until_previous",
            *lookups,
        )
    )
    pages = []
    module_flags = {}
    required_flags = {}
    roles = {}
    for id_, title, path, depth, live, url_path, content_type_id, locked_until_previous, *flags in rows:
        page = OutlinePage(id_, title, path, depth, live, url_path, content_type_id)
        pages.append(page)
        if models_by_ct[content_type_id] is module_model:
            module_flags[page.pk] = bool(locked_until_previous)
            continue
        if content_type_id in required_lookups:
            required_flags[page.pk] = bool(flags[lookups.index(required_lookups[content_type_id])])
        if content_type_id in role_lookups:
            role = flags[lookups.index(role_lookups[content_type_id])]
            if role in (ItemRole.PRETEST, ItemRole.POSTTEST):
                roles[page.pk] = ItemRole(role)

    by_path = {page.path: page for page in pages}
    entries_by_course: dict[int, list[StructureEntry]] = {}
    items_by_model: dict[type, list[int]] = {}
    for course in courses:
        entries = entries_by_course[course.pk] = []
        current_module = None  # (page, visible)
        for page in pages:
            if not page.path.startswith(course.path) or page.depth <= course.depth:
                continue
            model = models_by_ct[page.content_type_id]
            # Hidden if it, or any page between it and the course, is not live.
            hidden = not page.live or any(
                not by_path[page.path[:length]].live
                for length in range(len(course.path) + Page.steplen, len(page.path), Page.steplen)
                if page.path[:length] in by_path
            )
            if model is module_model:
                if page.depth != course.depth + 1:
                    continue
                current_module = (page, not hidden)
                if not hidden:
                    entries.append(ModuleEntry(page, module_flags.get(page.pk, False)))
                continue
            if hidden:
                continue
            parent_path = page.path[: -Page.steplen]
            if parent_path == course.path:
                module_id = None
            elif current_module is not None and current_module[0].path == parent_path and current_module[1]:
                module_id = current_module[0].pk
            else:
                continue
            role = roles.get(page.pk, ItemRole.NONE) if module_id is None else ItemRole.NONE
            # "required" is known once every provider has answered, below.
            entries.append(ItemEntry(page, model._meta.label_lower, module_id, required=False, role=role))
            items_by_model.setdefault(model, []).append(page.pk)
        # Pre-tests first, post-tests last; everything else (a module with its items) keeps tree order.
        entries.sort(key=lambda entry: _ROLE_ORDER.get(entry.role, 1) if isinstance(entry, ItemEntry) else 1)

    required_by_model = {}
    for provider in providers:
        ids = items_by_model.get(provider.page_model)
        if not ids:
            continue
        if provider.required_field:
            required_by_model[provider.page_model._meta.label_lower] = {i for i in ids if required_flags.get(i)}
        else:
            required_by_model[provider.page_model._meta.label_lower] = provider.required_ids(ids)
    for course_id, entries in entries_by_course.items():
        structures[course_id] = tuple(
            replace(entry, required=entry.page.pk in required_by_model.get(entry.model_label, ()))
            if isinstance(entry, ItemEntry)
            else entry
            for entry in entries
        )
    return structures


def structures(courses: list, providers: Sequence, *, use_cache: bool) -> dict[int, tuple[StructureEntry, ...]]:
    """Structures of several courses: from this process, else the shared cache, else the database."""
    if not use_cache:
        return read_structures(courses, providers)
    found: dict[int, tuple[StructureEntry, ...]] = {}
    keys = {course.pk: _structure_cache_key(course, providers) for course in courses}
    missing = []
    for course in courses:
        structure = _structure_memo.get(keys[course.pk])
        if structure is None:
            missing.append(course)
        else:
            found[course.pk] = structure
    if missing:
        shared = cache.get_many([keys[course.pk] for course in missing])
        unread = [course for course in missing if keys[course.pk] not in shared]
        read = read_structures(unread, providers)
        if read:
            cache.set_many(
                {keys[course_id]: structure for course_id, structure in read.items()}, STRUCTURE_CACHE_SECONDS
            )
        if len(_structure_memo) + len(missing) > STRUCTURE_MEMO_SIZE:
            _structure_memo.clear()
        for course in missing:
            structure = shared.get(keys[course.pk], read.get(course.pk))
            found[course.pk] = structure
            _structure_memo[keys[course.pk]] = structure
    return found
