"""Reads of the h5p app in a fixed number of queries: who may open an item, and a learner's result."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db.models import Exists, FilteredRelation, OuterRef, Q
from django.utils.translation import gettext as _

from courses.models import EnrolmentStatus
from h5p.models import H5PContent, H5PPlacement, H5PResult, Requirement
from people.roles import ADMIN_BPSDM, PENGAJAR

TRAINER_ROLES = (PENGAJAR, ADMIN_BPSDM)

# What the player, the file view and the endpoints need from an item.
ITEM_FIELDS = ("id", "title", "version", "content_prefix", "library_map")
# The scores and times a learner's summary row holds (folded in by ``xapi.apply_to_summary``).
SCORE_FIELDS = (
    "attempts",
    "latest_raw",
    "latest_max",
    "latest_scaled",
    "latest_success",
    "best_raw",
    "best_max",
    "best_scaled",
    "success",
    "completed_at",
    "passed_at",
)
RESULT_FIELDS = ("id", "version", *SCORE_FIELDS, "applied_statements", "current_attempt")


def accessible_items(user):
    """Items the user may play: trainers (and superusers) every item; a learner the items placed in
    lessons of courses where their enrolment is active (the rule of ``courses.selectors.is_enrolled``).

    One query whatever the number of placements, so every file request and statement stays cheap.
    """
    items = H5PContent.objects.exclude(version="")
    if not user.is_authenticated:
        return items.none()
    if user.is_superuser:
        return items
    is_trainer = Exists(Group.objects.filter(user=user.pk, name__in=TRAINER_ROLES))
    enrolled = Exists(
        H5PPlacement.objects.filter(
            content=OuterRef("pk"),
            course__enrolments__user=user.pk,
            course__enrolments__status=EnrolmentStatus.ACTIVE,
        )
    )
    return items.filter(Q(is_trainer) | Q(enrolled))


def item_for_user(*, user, pk: int) -> H5PContent | None:
    """The item if the user may play it, else None (callers answer 404). One query."""
    return accessible_items(user).filter(pk=pk).only(*ITEM_FIELDS).first()


def item_with_result(*, user, pk: int) -> tuple[H5PContent | None, H5PResult | None]:
    """The accessible item and the learner's summary row for it (or None), in one query."""
    row = (
        accessible_items(user)
        .filter(pk=pk)
        .annotate(mine=FilteredRelation("results", condition=Q(results__user=user.pk)))
        .values(*ITEM_FIELDS, *(f"mine__{name}" for name in RESULT_FIELDS))
        .first()
    )
    if row is None:
        return None, None
    item = H5PContent(**{name: row[name] for name in ITEM_FIELDS})
    item._state.adding = False
    if row["mine__id"] is None:
        return item, None
    result = H5PResult(user_id=user.pk, content_id=item.pk, **{name: row[f"mine__{name}"] for name in RESULT_FIELDS})
    result._state.adding = False
    return item, result


def result_summary(result: H5PResult | None) -> dict:
    """What the learner's page shows about an item (scores as the browser reported them)."""
    if result is None:
        return {"attempts": 0, "completed": False, "passed": False, "best_raw": None, "best_max": None}
    return {
        "attempts": result.attempts,
        "completed": result.completed_at is not None,
        "passed": result.is_passed,
        "success": result.success,
        "best_raw": result.best_raw,
        "best_max": result.best_max,
        "best_percent": result.best_percent,
    }


def _h5p_blocks(raw_blocks):
    """(item id, requirement) of each H5P block in a lesson body (raw StreamField data)."""
    for block in raw_blocks or []:
        if not isinstance(block, dict) or block.get("type") != "h5p":
            continue
        value = block.get("value") or {}
        item_id = value.get("item")
        if isinstance(item_id, int):
            yield item_id, value.get("requirement") or Requirement.COMPLETED


def lesson_requirements(raw_blocks) -> dict[int, str]:
    """{item id: "completed" | "passed"} required by a lesson body's H5P blocks (raw StreamField data).

    Reads the stored JSON, not the blocks, so no item is loaded. An item placed twice keeps the
    stricter requirement.
    """
    needed: dict[int, str] = {}
    for item_id, requirement in _h5p_blocks(raw_blocks):
        if requirement != Requirement.OPTIONAL and needed.get(item_id) != Requirement.PASSED:
            needed[item_id] = requirement
    return needed


def lesson_placements(raw_blocks) -> dict[int, str]:
    """{item id: requirement} of every H5P block in a lesson body, optional ones included."""
    placed: dict[int, str] = {}
    order = {Requirement.OPTIONAL: 0, Requirement.COMPLETED: 1, Requirement.PASSED: 2}
    for item_id, requirement in _h5p_blocks(raw_blocks):
        if requirement in order and (item_id not in placed or order[requirement] > order[placed[item_id]]):
            placed[item_id] = requirement
    return placed


def h5p_requirements_met(*, user_id: int, lesson) -> bool:
    """The lesson requirement registered with courses: every required H5P item in the lesson is
    completed (or passed, where the block asks for it). No query for lessons without H5P; else one.

    Items deleted since the lesson was published no longer count.
    """
    needed = lesson_requirements(lesson.body.raw_data)
    if not needed:
        return True
    rows = (
        H5PContent.objects.filter(pk__in=list(needed))
        .annotate(mine=FilteredRelation("results", condition=Q(results__user=user_id)))
        .values_list("pk", "mine__completed_at", "mine__success")
    )
    for item_id, completed_at, success in rows:
        if completed_at is None:
            return False
        passed = success is True or success is None
        if needed[item_id] == Requirement.PASSED and not passed:
            return False
    return True


def h5p_requirements_missing(*, user_id: int, lesson) -> list[str]:
    """What the learner still has to do for the lesson's required H5P items, one line per item in the
    lesson's order ("“Kuis Singkat” (to be passed)"), for the "mark as done" message. One query, or none."""
    needed = lesson_requirements(lesson.body.raw_data)
    if not needed:
        return []
    rows = {
        item_id: (title, completed_at, success)
        for item_id, title, completed_at, success in H5PContent.objects.filter(pk__in=list(needed))
        .annotate(mine=FilteredRelation("results", condition=Q(results__user=user_id)))
        .values_list("pk", "title", "mine__completed_at", "mine__success")
    }
    missing = []
    for item_id, requirement in needed.items():
        if item_id not in rows:  # deleted since the lesson was published: no longer counts
            continue
        title, completed_at, success = rows[item_id]
        if requirement == Requirement.PASSED and (completed_at is None or success is False):
            missing.append(_("“%(title)s” (to be passed)") % {"title": title})
        elif completed_at is None:
            missing.append(_("“%(title)s” (to be completed)") % {"title": title})
    return missing
