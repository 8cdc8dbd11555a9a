"""xAPI statements from the H5P player: validation, and what each verb means for a learner's summary.

Verb mapping (see docs/h5p.md):

- ``completed``, ``passed``, ``failed``, ``mastered``, ``answered`` on the WHOLE activity (no
  parent in ``context.contextActivities``) finish an attempt: attempts + 1, the score becomes the
  latest (and the best, if higher), and the item is completed (``completed_at``, set once) unless
  the result says ``completion: false``. ``passed``/``mastered`` mean success, ``failed`` means
  not passed; otherwise ``result.success`` decides.
- The same verbs on a statement whose context names a parent activity come from a question
  inside a container (Question Set, Interactive Video, Course Presentation, ...): they are stored
  but do not finish or complete the container.
- ``consumed`` / ``viewed`` on the whole activity complete content that sends no scored result
  (text, accordion, video without questions); they never count as an attempt.
- Every other verb (interacted, progressed, attempted, ...) is not recorded.
"""

from __future__ import annotations

import json
import math
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

ADL = "http://adlnet.gov/expapi/verbs/"
VERBS = {
    ADL + "completed": "completed",
    ADL + "passed": "passed",
    ADL + "failed": "failed",
    ADL + "mastered": "mastered",
    ADL + "answered": "answered",
    "http://activitystrea.ms/schema/1.0/consume": "consumed",
    "http://id.tincanapi.com/verb/viewed": "viewed",
}
FINISHING = frozenset({"completed", "passed", "failed", "mastered", "answered"})
VIEWING = frozenset({"consumed", "viewed"})
RECORDED_VERB_IRIS = sorted(VERBS)

MAX_STATEMENT_BYTES = 32 * 1024


class StatementInvalid(Exception):
    """The statement is malformed, or not about this item or this learner (answer 400)."""


@dataclass(frozen=True)
class Statement:
    statement_id: uuid.UUID
    verb: str | None  # short name when the verb is recorded, else None
    verb_iri: str
    object_iri: str
    is_top_level: bool
    score_raw: float | None
    score_max: float | None
    score_scaled: float | None
    success: bool | None
    completion: bool | None
    data: dict

    @property
    def finishes_attempt(self) -> bool:
        return self.is_top_level and self.verb in FINISHING

    @property
    def is_viewing(self) -> bool:
        return self.is_top_level and self.verb in VIEWING

    @property
    def has_score(self) -> bool:
        return self.score_max is not None and self.score_max > 0 and self.score_raw is not None


def actor_mbox(user) -> str:
    """The xAPI actor the player is told to use for this learner (an address that is never mailed)."""
    return f"mailto:user-{user.pk}@lms.invalid"


def _number(value, label: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise StatementInvalid(_("%(field)s must be a number.") % {"field": label})
    return float(value)


def _iri(value, label: str, *, max_length: int) -> str:
    if not isinstance(value, str) or not value or len(value) > max_length:
        raise StatementInvalid(_("%(field)s must be an IRI.") % {"field": label})
    parts = urlsplit(value)
    if not parts.scheme or not (parts.netloc or parts.scheme in {"urn", "mailto"}):
        raise StatementInvalid(_("%(field)s must be an IRI.") % {"field": label})
    return value


def parse_statement(body: bytes, *, activity_path: str, user) -> Statement:
    """Validate a statement posted for the item whose activity IRI has path ``activity_path``.

    Checks size, JSON shape, the required fields (id, actor, verb, object), that the actor is the
    signed-in learner, that the object is this item (or a question inside it), and the result's
    shape. Raises ``StatementInvalid`` with a message in the active language.
    """
    if len(body) > MAX_STATEMENT_BYTES:
        raise StatementInvalid(_("The statement is larger than %(limit)d bytes.") % {"limit": MAX_STATEMENT_BYTES})
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise StatementInvalid(_("The statement is not valid JSON.")) from exc
    if not isinstance(data, dict):
        raise StatementInvalid(_("The statement must be a JSON object."))

    try:
        statement_id = uuid.UUID(str(data.get("id", "")))
    except ValueError as exc:
        raise StatementInvalid(_("The statement needs an id (a UUID).")) from exc

    actor = data.get("actor")
    if not isinstance(actor, dict) or not isinstance(actor.get("mbox"), str):
        raise StatementInvalid(_("The statement needs an actor."))
    if actor["mbox"].lower() != actor_mbox(user):
        raise StatementInvalid(_("The statement is about another person."))

    verb = data.get("verb")
    if not isinstance(verb, dict):
        raise StatementInvalid(_("The statement needs a verb."))
    verb_iri = _iri(verb.get("id"), "verb.id", max_length=255)

    target = data.get("object")
    if not isinstance(target, dict):
        raise StatementInvalid(_("The statement needs an object."))
    object_iri = _iri(target.get("id"), "object.id", max_length=500)
    parts = urlsplit(object_iri)
    sub_content = parts.query.startswith("subContentId=")
    if parts.path != activity_path or (parts.query and not sub_content) or parts.fragment:
        raise StatementInvalid(_("The statement is about another activity."))

    context = data.get("context")
    if context is not None and not isinstance(context, dict):
        raise StatementInvalid(_("context must be an object."))
    parents = ((context or {}).get("contextActivities") or {}).get("parent") if context else None
    if parents is not None and not isinstance(parents, list | dict):
        raise StatementInvalid(_("context.contextActivities.parent must be a list."))
    is_top_level = not parents and not sub_content

    score_raw = score_max = score_scaled = None
    success = completion = None
    result = data.get("result")
    if result is not None:
        if not isinstance(result, dict):
            raise StatementInvalid(_("result must be an object."))
        score = result.get("score")
        if score is not None:
            if not isinstance(score, dict):
                raise StatementInvalid(_("result.score must be an object."))
            score_raw = _number(score.get("raw"), "result.score.raw")
            score_min = _number(score.get("min"), "result.score.min")
            score_max = _number(score.get("max"), "result.score.max")
            score_scaled = _number(score.get("scaled"), "result.score.scaled")
            if score_scaled is not None and not -1 <= score_scaled <= 1:
                raise StatementInvalid(_("result.score.scaled must be between -1 and 1."))
            if score_max is not None and score_max < 0:
                raise StatementInvalid(_("result.score.max must not be negative."))
            if score_min is not None and score_max is not None and score_min > score_max:
                raise StatementInvalid(_("result.score.min must not be above result.score.max."))
            if score_raw is not None and (
                (score_max is not None and score_raw > score_max) or (score_min is not None and score_raw < score_min)
            ):
                raise StatementInvalid(_("result.score.raw must lie between min and max."))
            if score_scaled is None and score_raw is not None and score_max:
                score_scaled = round(score_raw / score_max, 4)
        for key in ("success", "completion"):
            if key in result and result[key] is not None and not isinstance(result[key], bool):
                raise StatementInvalid(_("result.%(field)s must be true or false.") % {"field": key})
        success = result.get("success")
        completion = result.get("completion")
        for key in ("response", "duration"):
            if key in result and not isinstance(result[key], str):
                raise StatementInvalid(_("result.%(field)s must be text.") % {"field": key})

    return Statement(
        statement_id=statement_id,
        verb=VERBS.get(verb_iri),
        verb_iri=verb_iri,
        object_iri=object_iri,
        is_top_level=is_top_level,
        score_raw=score_raw,
        score_max=score_max,
        score_scaled=score_scaled,
        success=success,
        completion=completion,
        data=data,
    )


def apply_to_summary(result, statement: Statement, *, now) -> bool:
    """Update an ``H5PResult`` (unsaved) with a statement; return whether anything changed."""
    changed = False
    if statement.finishes_attempt:
        result.attempts += 1
        changed = True
        if statement.has_score:
            scaled = statement.score_scaled if statement.score_scaled is not None else 0.0
            result.latest_raw, result.latest_max, result.latest_scaled = (
                statement.score_raw,
                statement.score_max,
                scaled,
            )
            if result.best_scaled is None or scaled > result.best_scaled:
                result.best_raw, result.best_max, result.best_scaled = statement.score_raw, statement.score_max, scaled
        success = statement.success
        if statement.verb in {"passed", "mastered"}:
            success = True
        elif statement.verb == "failed":
            success = False
        result.latest_success = success
        if success is True:
            result.success = True
            result.passed_at = result.passed_at or now
        elif success is False and result.success is None:
            result.success = False
        if statement.completion is not False and result.completed_at is None:
            result.completed_at = now
    elif statement.is_viewing and not statement.has_score and result.completed_at is None:
        result.completed_at = now
        changed = True
    if changed:
        result.last_activity_at = now
    return changed
