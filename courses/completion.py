"""The one course-completion rule, and the registries through which other apps contribute to it.

Course items
    The live pages below a course that a learner works through: ``LessonPage`` and every page type
    another app registers with ``register_item_provider`` (the quizzes app registers ``QuizPage``).
    An item counts toward completion when it is *required* (its provider says so) and it is live
    with every page between it and the course live (an unpublished module hides its items).

Course progress and completion
    percent = done required items / required items, always computed against the CURRENT required
    live items, so deleting, unpublishing or moving a page never breaks anything: it only changes
    the denominator. A course is complete when it has at least one required item and all of them
    are done; ``courses.services.enrolment_refresh`` then sets ``Enrolment.completed_at`` and credits
    the course's JP in the ``JPCredit`` ledger. A completed enrolment stays completed when the course
    changes (a lesson added later does not take a completion back), but it is reopened, and its JP
    credit reversed by a ledger entry, while a required item has a *failing* result (a required quiz
    whose pass a regrade or a later attempt took away). See docs/completion.md.

Pre-test and post-test
    An item placed directly under the course whose provider reports the role ``PRETEST`` is listed
    first in the outline, one with ``POSTTEST`` last, whatever their place in the page tree. When
    the course says so (``CoursePage.pretest_before_modules``) nothing but the pre-test opens before
    the learner has *taken* it (submitted an attempt; passing is not asked). A post-test opens only
    when every module is complete. Inside a module the role is only a label (statistics).

Item providers (how another app adds an item type)
    Subclass ``ItemProvider``, set ``page_model`` and implement ``required_ids`` and ``states``;
    optionally ``states_and_details`` (the same query, plus a short line per item that the learner's
    outline shows, such as a quiz grade), ``outline_states`` (the same again, plus which items the learner
    has *taken*, i.e. submitted once, and which have a *failing* result), ``role_field`` (the name of a
    field holding ``PRETEST``/``POSTTEST``), ``done_by_user`` (bulk) for a faster recompute after pages change, and
    ``required_field`` (the name of a boolean "required" field on the page model) to save a query. Every method must
    run a FIXED number of queries whatever the number of pages or users. Register it once from
    ``AppConfig.ready()``::

        from courses.completion import ItemProvider, register_item_provider

        class QuizItemProvider(ItemProvider):
            page_model = QuizPage
            def required_ids(self, page_ids): ...   # -> set of page ids
            def states(self, user_id, page_ids): ... # -> {page_id: DONE | IN_PROGRESS | NOT_STARTED}

        register_item_provider(QuizItemProvider())

    After its own state changes (e.g. a quiz attempt passed), the app calls
    ``courses.services.enrolment_refresh(user=..., course=...)`` in the same transaction.

Lesson requirements (how another app gates a lesson)
    A lesson is done when its own rule is met (opened / marked as done / watched at least N% of the
    uploaded video) AND every registered lesson requirement is satisfied::

        from courses.completion import register_lesson_requirement

        def h5p_items_completed(*, user_id: int, lesson) -> bool: ...
        register_lesson_requirement(h5p_items_completed)

    The app then calls ``courses.services.lesson_progress_refresh(user=..., lesson=...)`` in the same
    transaction as the change that may satisfy the requirement.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from courses.models import LessonPage, LessonProgress
from courses.outline_structure import ItemRole, ModuleEntry, OutlinePage, structures


class ItemState(enum.StrEnum):
    """A learner's state of a course item. Providers may return these members or their values."""

    DONE = "done"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"


class LockReason(enum.StrEnum):
    """Why an item or module is locked (``lock_reason``); ``lock_message`` says it to the learner."""

    NONE = ""
    PREVIOUS_MODULE = "previous_module"
    PRETEST = "pretest"
    MODULES = "modules"


# The names other apps (quizzes, h5p) and older code use.
DONE, IN_PROGRESS, NOT_STARTED = ItemState.DONE, ItemState.IN_PROGRESS, ItemState.NOT_STARTED
ITEM_STATES = tuple(ItemState)
PRETEST, POSTTEST = ItemRole.PRETEST, ItemRole.POSTTEST
LOCK_PREVIOUS_MODULE, LOCK_PRETEST, LOCK_MODULES = LockReason.PREVIOUS_MODULE, LockReason.PRETEST, LockReason.MODULES

__all__ = [
    "ITEM_STATES",
    "CourseOutline",
    "ItemProvider",
    "ItemRole",
    "ItemState",
    "LockReason",
    "OutlineItem",
    "OutlineModule",
    "OutlinePage",
    "course_outline",
    "course_outlines",
    "register_item_provider",
    "register_lesson_requirement",
]


class ItemProvider:
    """Base class for a course item type. ``page_model`` is a Page subclass living below courses."""

    page_model = None
    #: Optional shortcut: the name of a boolean field on ``page_model`` that says "required". When set,
    #: the outline reads it in its own query (a join) and ``required_ids`` is not called.
    required_field: str | None = None
    #: Optional: the name of a field on ``page_model`` whose value ``PRETEST`` or ``POSTTEST`` gives the
    #: item that role when it sits directly under the course. Read in the outline's structure query.
    role_field: str | None = None

    def required_ids(self, page_ids: Collection[int]) -> set[int]:
        """The ids among ``page_ids`` (all of this provider's model) that are required. Fixed queries."""
        raise NotImplementedError

    def states(self, user_id: int, page_ids: Collection[int]) -> dict[int, str]:
        """{page_id: DONE | IN_PROGRESS | NOT_STARTED} for one learner. Missing ids mean NOT_STARTED."""
        raise NotImplementedError

    def states_and_details(self, user_id: int, page_ids: Collection[int]) -> tuple[dict[int, str], dict[int, str]]:
        """The learner's states and, per item, a short line the outline shows beside it (e.g. a quiz's
        grade). Override to read both in the query ``states`` runs; the default has no details."""
        return self.states(user_id, page_ids), {}

    def outline_states(
        self, user_id: int, page_ids: Collection[int]
    ) -> tuple[dict[int, str], dict[int, str], set[int], set[int]]:
        """States, details, the ids the learner has *taken* (submitted at least once, whatever the
        result) and the ids whose current result is a *failure* (graded, not passed). Override to read
        them in one query; by default an item is taken once done and never failing."""
        states, details = self.states_and_details(user_id, page_ids)
        return states, details, {page_id for page_id, state in states.items() if state == ItemState.DONE}, set()

    def done_by_user(self, page_ids: Collection[int], user_ids: Collection[int]) -> dict[int, set[int]]:
        """{user_id: done page ids} for many learners; override with one query where you can."""
        return {
            user_id: {page_id for page_id, state in self.states(user_id, page_ids).items() if state == ItemState.DONE}
            for user_id in user_ids
        }


_item_providers: dict[str, ItemProvider] = {}
_lesson_requirements: list[Callable[..., bool]] = []


def register_item_provider(provider: ItemProvider) -> None:
    """Add (or replace, by page model) a course item type. Call from ``AppConfig.ready()``."""
    model = provider.page_model
    _item_providers[model._meta.label_lower] = provider


def item_providers() -> list[ItemProvider]:
    return list(_item_providers.values())


def provider_for_model(model) -> ItemProvider | None:
    return _item_providers.get(model._meta.label_lower)


def item_models() -> list:
    return [provider.page_model for provider in _item_providers.values()]


def register_lesson_requirement(
    requirement: Callable[..., bool], *, missing: Callable[..., list[str]] | None = None
) -> None:
    """Add a condition ``fn(*, user_id, lesson) -> bool`` every lesson must meet to be done, and
    optionally ``missing(*, user_id, lesson) -> [str]`` naming what the learner still has to do for it
    (shown when "mark as done" cannot complete the lesson yet)."""
    if requirement not in _lesson_requirements:
        _lesson_requirements.append(requirement)
    if missing is not None:
        _requirement_missing[requirement] = missing


_requirement_missing: dict[Callable[..., bool], Callable[..., list[str]]] = {}


def lesson_requirements_met(*, user_id: int, lesson) -> bool:
    return all(requirement(user_id=user_id, lesson=lesson) for requirement in _lesson_requirements)


def lesson_requirements_missing(*, user_id: int, lesson) -> list[str]:
    """Lines naming what the unmet requirements still ask of the learner (a generic line for a
    requirement that cannot name its items). Only call it when a lesson is not complete."""
    lines: list[str] = []
    for requirement in _lesson_requirements:
        if requirement(user_id=user_id, lesson=lesson):
            continue
        describe = _requirement_missing.get(requirement)
        named = describe(user_id=user_id, lesson=lesson) if describe is not None else []
        lines.extend(named or [_("an activity in this lesson")])
    return lines


class _PageFacade:
    """What templates read of an outline entry's page, shared by items and modules."""

    page: OutlinePage

    @property
    def page_id(self) -> int:
        return self.page.pk

    @property
    def title(self) -> str:
        return self.page.title

    @property
    def url(self) -> str:
        return self.page.url


@dataclass
class OutlineItem(_PageFacade):
    page: OutlinePage
    model: type
    module_id: int | None
    required: bool = True
    state: ItemState = ItemState.NOT_STARTED
    locked: bool = False
    detail: str = ""  # the provider's line for this learner, e.g. "Nilai 85"
    role: ItemRole = ItemRole.NONE  # PRETEST / POSTTEST for such an item directly under the course
    taken: bool = False  # submitted at least once (a quiz), or done
    failing: bool = False  # its current result is a failure (a graded quiz not passed)
    lock_reason: LockReason = LockReason.NONE
    lock_note: str = ""  # e.g. the pre-test's title for LockReason.PRETEST

    @property
    def lock_message(self) -> str:
        return lock_message(self.lock_reason, self.lock_note)

    @property
    def kind(self) -> str:
        return self.model._meta.verbose_name

    @property
    def kind_key(self) -> str:
        return self.model._meta.model_name

    @property
    def is_done(self) -> bool:
        return self.state == ItemState.DONE

    @property
    def is_in_progress(self) -> bool:
        return self.state == ItemState.IN_PROGRESS

    @property
    def is_pretest(self) -> bool:
        return self.role == ItemRole.PRETEST

    @property
    def is_posttest(self) -> bool:
        return self.role == ItemRole.POSTTEST

    @property
    def is_module(self) -> bool:
        return False


@dataclass
class OutlineModule(_PageFacade):
    page: OutlinePage
    live: bool
    locked_until_previous: bool
    items: list[OutlineItem] = field(default_factory=list)
    locked: bool = False
    lock_reason: LockReason = LockReason.NONE
    lock_note: str = ""

    @property
    def lock_message(self) -> str:
        return lock_message(self.lock_reason, self.lock_note)

    @property
    def is_complete(self) -> bool:
        return all(item.is_done for item in self.items if item.required)

    @property
    def is_module(self) -> bool:
        return True


def lock_message(reason: LockReason, note: str = "") -> str:
    """What a learner reads beside a locked module or item."""
    if reason == LockReason.PRETEST:
        if note:
            return _("Take the pre-test “%(title)s” first: the modules open once you have submitted it.") % {
                "title": note
            }
        return _("Take the pre-test first: the modules open once you have submitted it.")
    if reason == LockReason.MODULES:
        return _("The post-test opens when every module is complete.")
    if reason == LockReason.PREVIOUS_MODULE:
        return _("Complete the previous module to open this one.")
    return ""


@dataclass
class CourseOutline:
    """A course's items in tree order, grouped by module, with a learner's states when asked for."""

    course_id: int
    entries: list = field(default_factory=list)  # OutlineModule, or OutlineItem placed directly in the course
    items: list[OutlineItem] = field(default_factory=list)

    @property
    def required_items(self) -> list[OutlineItem]:
        return [item for item in self.items if item.required]

    @property
    def required_count(self) -> int:
        return len(self.required_items)

    @property
    def done_count(self) -> int:
        return sum(1 for item in self.required_items if item.is_done)

    @property
    def percent(self) -> int:
        required = self.required_count
        return (self.done_count * 100) // required if required else 0

    @property
    def is_complete(self) -> bool:
        return self.required_count > 0 and self.done_count == self.required_count

    @property
    def is_started(self) -> bool:
        return any(item.state != ItemState.NOT_STARTED for item in self.items)

    @property
    def modules(self) -> list[OutlineModule]:
        return [entry for entry in self.entries if isinstance(entry, OutlineModule)]

    @property
    def failing_required_items(self) -> list[OutlineItem]:
        """Required items whose current result is a failure: the course cannot stay complete."""
        return [item for item in self.required_items if item.failing]

    def position(self, page_id: int) -> tuple[OutlineModule | None, int, int]:
        """Where a lesson stands for "Materi 2 dari 6": its module and its number among the module's
        lessons (the learner sees the course by module; quizzes are items of their own). Without a
        module (an item directly under the course), counted among those items."""
        for module in self.modules:
            for item in module.items:
                if item.page_id == page_id:
                    same_kind = [other for other in module.items if other.model is item.model]
                    return module, same_kind.index(item) + 1, len(same_kind)
        loose = [entry for entry in self.entries if not entry.is_module]
        for item in loose:
            if item.page_id == page_id:
                same_kind = [other for other in loose if other.model is item.model]
                return None, same_kind.index(item) + 1, len(same_kind)
        return None, 0, 0

    def item(self, page_id: int) -> OutlineItem | None:
        for item in self.items:
            if item.page.pk == page_id:
                return item
        return None

    def neighbours(self, page_id: int) -> tuple[OutlineItem | None, OutlineItem | None]:
        """The items before and after ``page_id`` in course order (for previous/next links)."""
        ids = [item.page.pk for item in self.items]
        if page_id not in ids:
            return None, None
        position = ids.index(page_id)
        previous = self.items[position - 1] if position > 0 else None
        following = self.items[position + 1] if position + 1 < len(self.items) else None
        return previous, following

    @property
    def next_item(self) -> OutlineItem | None:
        """Where to continue ("Lanjutkan"): the first open item not done, required ones first."""
        open_items = [item for item in self.items if not item.locked and not item.is_done]
        for item in open_items:
            if item.required:
                return item
        return open_items[0] if open_items else None


def course_outlines(
    courses: Iterable,
    *,
    user_id: int | None = None,
    known_states: dict | None = None,
    use_cache: bool = False,
) -> dict[int, CourseOutline]:
    """Outlines of several courses in a fixed number of queries (1, + per item provider 1, + 1 with a user).

    ``courses`` are CoursePage instances (``path``, ``depth``, ``sequential_modules``, ``pretest_before_modules``
    are read).
    With ``user_id`` each item carries the learner's state and modules carry their lock.
    ``known_states`` ({page model: {page_id: state}}) spares a provider's query when the caller has
    already read those states. ``use_cache=True`` takes the structure from the cache (no query when it
    is there): only for course rows read from the database in this request or transaction, so that
    their ``outline_version`` is current.
    """
    courses = list(courses)
    outlines = {course.pk: CourseOutline(course_id=course.pk) for course in courses}
    if not courses:
        return outlines
    providers = item_providers()
    found = structures(courses, providers, use_cache=use_cache)
    models = {provider.page_model._meta.label_lower: provider.page_model for provider in providers}
    items_by_model: dict[type, list[OutlineItem]] = {}
    for course in courses:
        outline = outlines[course.pk]
        current_module = None
        for entry in found.get(course.pk, ()):
            if isinstance(entry, ModuleEntry):
                current_module = OutlineModule(
                    page=entry.page, live=True, locked_until_previous=entry.locked_until_previous
                )
                outline.entries.append(current_module)
                continue
            model = models.get(entry.model_label)
            if model is None:  # a provider no longer registered
                continue
            item = OutlineItem(
                page=entry.page, model=model, module_id=entry.module_id, required=entry.required, role=entry.role
            )
            if entry.module_id is None:
                outline.entries.append(item)
            else:
                current_module.items.append(item)
            outline.items.append(item)
            items_by_model.setdefault(model, []).append(item)

    if user_id is not None:
        for provider in item_providers():
            items = items_by_model.get(provider.page_model)
            if not items:
                continue
            details, failing = {}, set()
            if known_states is not None and provider.page_model in known_states:
                states = known_states[provider.page_model]
                taken = {page_id for page_id, state in states.items() if state == ItemState.DONE}
            else:
                states, details, taken, failing = provider.outline_states(user_id, [item.page.pk for item in items])
            for item in items:
                item.state = ItemState(states.get(item.page.pk, ItemState.NOT_STARTED))
                item.taken = item.page.pk in taken
                item.failing = item.page.pk in failing
                if details:
                    item.detail = details.get(item.page.pk, "")
        for course in courses:
            _apply_locks(
                outlines[course.pk],
                sequential=course.sequential_modules,
                pretest_first=course.pretest_before_modules,
            )
    return outlines


def course_outline(
    course, *, user_id: int | None = None, known_states: dict | None = None, use_cache: bool = False
) -> CourseOutline:
    return course_outlines([course], user_id=user_id, known_states=known_states, use_cache=use_cache)[course.pk]


def _apply_locks(outline: CourseOutline, *, sequential: bool, pretest_first: bool) -> None:
    """Locks for one learner: the pre-test gate, modules in order, the post-test after the modules."""
    pending = [item for item in outline.items if item.role == ItemRole.PRETEST and not item.taken]
    pretest_gate = pretest_first and bool(pending)
    pretest_note = pending[0].title if pending else ""
    previous_complete = True
    for module in outline.modules:
        if pretest_gate:
            module.locked, module.lock_reason, module.lock_note = True, LockReason.PRETEST, pretest_note
        elif (sequential or module.locked_until_previous) and not previous_complete:
            module.locked, module.lock_reason = True, LockReason.PREVIOUS_MODULE
        for item in module.items:
            item.locked, item.lock_reason, item.lock_note = module.locked, module.lock_reason, module.lock_note
        # A locked module is not complete, so the chain holds for the modules after it.
        previous_complete = module.is_complete and not module.locked
    modules_complete = all(module.is_complete and not module.locked for module in outline.modules)
    for entry in outline.entries:
        if entry.is_module or entry.role == ItemRole.PRETEST:
            continue
        if pretest_gate:
            entry.locked, entry.lock_reason, entry.lock_note = True, LockReason.PRETEST, pretest_note
        elif entry.role == ItemRole.POSTTEST and not modules_complete and not entry.is_done:
            entry.locked, entry.lock_reason = True, LockReason.MODULES


def outline_counts_by_user(course, user_ids: Collection[int]) -> tuple[CourseOutline, dict[int, int]]:
    """The course outline and, per learner, how many required items are done (bulk, fixed queries)."""
    outline = course_outline(course)
    done_counts = dict.fromkeys(user_ids, 0)
    required_by_model: dict[type, list[int]] = {}
    for item in outline.required_items:
        required_by_model.setdefault(item.model, []).append(item.page_id)
    for provider in item_providers():
        ids = required_by_model.get(provider.page_model)
        if not ids or not user_ids:
            continue
        for user_id, done_ids in provider.done_by_user(ids, user_ids).items():
            if user_id in done_counts:
                done_counts[user_id] += len(set(done_ids) & set(ids))
    return outline, done_counts


class LessonItemProvider(ItemProvider):
    """Lessons as course items: required by their flag, done when ``LessonProgress.completed_at`` is set."""

    required_field = "required"

    page_model = LessonPage

    def required_ids(self, page_ids):
        return set(self.page_model.objects.filter(pk__in=page_ids, required=True).values_list("pk", flat=True))

    def states(self, user_id, page_ids):
        rows = LessonProgress.objects.filter(user_id=user_id, lesson_id__in=page_ids).values_list(
            "lesson_id", "completed_at"
        )
        return {
            lesson_id: ItemState.DONE if completed_at else ItemState.IN_PROGRESS for lesson_id, completed_at in rows
        }

    def done_by_user(self, page_ids, user_ids):
        done: dict[int, set[int]] = {}
        rows = LessonProgress.objects.filter(
            lesson_id__in=page_ids, user_id__in=list(user_ids), completed_at__isnull=False
        ).values_list("user_id", "lesson_id")
        for user_id, lesson_id in rows:
            done.setdefault(user_id, set()).add(lesson_id)
        return done
