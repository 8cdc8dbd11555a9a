"""The question types, one module each, in a registry keyed by the ``QuestionType`` value.

Callers ask the registry (``qtypes.get(data["type"]).grade(...)``) instead of branching on the type.
Adding a type: a module with a ``QuestionTypeBase`` subclass decorated with ``@register``, imported at
the bottom of this file, plus its ``QuestionType`` choice and its two templates
(``templates/quizzes/qtypes/<value>.html`` and ``<value>_review.html``)."""

from quizzes.qtypes.base import QuestionTypeBase

_REGISTRY: dict[str, QuestionTypeBase] = {}


def register(cls: type[QuestionTypeBase]) -> type[QuestionTypeBase]:
    if cls.value in _REGISTRY:
        raise ValueError(f"question type {cls.value!r} is registered twice")
    _REGISTRY[cls.value] = cls()
    return cls


def get(value: str) -> QuestionTypeBase:
    """The type for a ``QuestionType`` value; KeyError for one nobody registered."""
    return _REGISTRY[value]


def for_data(data: dict) -> QuestionTypeBase:
    """The type of a version snapshot (``QuestionVersion.data``)."""
    return _REGISTRY[data["type"]]


def all_types() -> dict[str, QuestionTypeBase]:
    return dict(_REGISTRY)


def gift_order() -> list[QuestionTypeBase]:
    """The types GIFT can write, in Moodle's decision order (the first that claims an answer block wins)."""
    return sorted((qtype for qtype in _REGISTRY.values() if qtype.gift_order is not None), key=lambda q: q.gift_order)


def by_moodle_name(name: str) -> QuestionTypeBase | None:
    """The type that reads ``<question type="name">`` of a Moodle XML file, or None."""
    return next((qtype for qtype in _REGISTRY.values() if name in qtype.moodle_names), None)


# Each module registers its types on import.
from quizzes.qtypes import choice, essay, matching, numerical, ordering, shortanswer, truefalse  # noqa: E402, F401, I001
