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
import re
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
# Real statements nest about 6 deep (object.definition.extensions...); H5P states a little more.
MAX_JSON_DEPTH = 64
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_JSON_BRACKET = re.compile(r"[\[\]{}]")


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


def json_too_deep(text: str, *, max_depth: int = MAX_JSON_DEPTH) -> bool:
    """Whether JSON text nests arrays/objects deeper than ``max_depth``, decided without parsing.

    ``json.loads`` recurses once per level and raises RecursionError (a 500) around a thousand
    levels; this scan is linear and runs first, so deep input is refused with a 4xx instead.
    Brackets inside strings do not count.
    """
    depth = 0
    for bracket in _JSON_BRACKET.finditer(_JSON_STRING.sub("", text)):
        if bracket.group() in "[{":
            depth += 1
            if depth > max_depth:
                return True
        else:
            depth -= 1
    return False


def loads_bounded(text: str, *, too_deep_message: str, invalid_message: str):
    """``json.loads`` for input from the browser: too deep or invalid raises ``StatementInvalid``."""
    if json_too_deep(text):
        raise StatementInvalid(too_deep_message)
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise StatementInvalid(invalid_message) from exc


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


def parse_statement(body: bytes, *, activity_path: str, user, host: str) -> Statement:
    """Validate a statement posted for the item whose activity IRI is ``http(s)://<host><activity_path>``.

    Checks size, nesting depth, JSON shape, the required fields (id, actor, verb, object), that
    the actor is the signed-in learner, that the object is this item on this host (or a question
    inside it), and the result (numbers, min ≤ raw ≤ max with a minimum of 0 when none is given,
    scaled in [-1, 1]). Raises ``StatementInvalid`` with a message in the active language.
    """
    if len(body) > MAX_STATEMENT_BYTES:
        raise StatementInvalid(_("The statement is larger than %(limit)d bytes.") % {"limit": MAX_STATEMENT_BYTES})
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise StatementInvalid(_("The statement is not valid JSON.")) from exc
    data = loads_bounded(
        text,
        too_deep_message=_("The statement is nested more than %(depth)d levels deep.") % {"depth": MAX_JSON_DEPTH},
        invalid_message=_("The statement is not valid JSON."),
    )
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
    if (
        parts.scheme not in {"http", "https"}
        or parts.netloc.lower() != host.lower()
        or parts.path != activity_path
        or (parts.query and not sub_content)
        or parts.fragment
    ):
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
            # H5P scores start at 0: without a stated minimum, a negative raw score is not one.
            lowest = score_min if score_min is not None else 0.0
            if score_raw is not None and ((score_max is not None and score_raw > score_max) or score_raw < lowest):
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


def _continues_attempt(current: dict | None, statement: Statement) -> bool:
    """Whether a finishing statement reports the attempt already counted, not a new one.

    H5P content types report one run with one or more finishing verbs on the whole activity:
    Multiple Choice sends "answered", Question Set "completed", others "answered" AND
    "completed" (or "passed"/"failed" besides) for the same check, with the same score. So a
    verb not yet seen for the current attempt, with the same score, belongs to it; the same verb
    again (the learner pressed "Retry" and checked again) or another score is a new attempt.
    """
    if not current or not current.get("verbs"):
        return False
    return (
        statement.verb not in current["verbs"]
        and current.get("raw") == statement.score_raw
        and current.get("max") == statement.score_max
    )


def apply_to_summary(result, statement: Statement, *, now) -> bool:
    """Update an ``H5PResult`` (unsaved) with a statement; return whether anything changed."""
    changed = False
    if statement.finishes_attempt:
        if _continues_attempt(result.current_attempt, statement):
            result.current_attempt = {
                **result.current_attempt,
                "verbs": [*result.current_attempt["verbs"], statement.verb],
            }
        else:
            result.attempts += 1
            result.current_attempt = {
                "verbs": [statement.verb],
                "raw": statement.score_raw,
                "max": statement.score_max,
            }
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
