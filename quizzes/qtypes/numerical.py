"""Numerical: a typed number ("3,5" and "3.5" alike) accepted within a tolerance of an answer row."""

from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import SubElement  # noqa: S405 - building, not parsing

from django.utils.translation import gettext as _

from quizzes.drafts import OptionDraft
from quizzes.formats import gift_tokens as tokens
from quizzes.formats import xml_nodes as nodes
from quizzes.qtypes import register
from quizzes.qtypes.base import HUNDRED, ZERO, TextAnswerType, best_options, clamp, credit, parse_number


def accepting_option(data: dict, value: Decimal) -> dict | None:
    """The answer row that accepts ``value`` with the best credit."""
    best = None
    for option in data.get("options", []):
        text = (option.get("text") or "").strip()
        if text == "*":
            accepted = True
        else:
            target = parse_number(text)
            if target is None:
                continue
            tolerance = abs(Decimal(option.get("tolerance") or "0"))
            accepted = abs(value - target) <= tolerance
        if accepted and (best is None or credit(option) > credit(best)):
            best = option
    return best


@register
class Numerical(TextAnswerType):
    value = "numerical"
    moodle_type = "numerical"
    moodle_names = ("numerical",)
    gift_order = 20
    max_length = 64

    def grade(self, data, response):
        value = parse_number(response)
        if value is None:
            return ZERO
        option = accepting_option(data, value)
        return clamp(credit(option)) if option else ZERO

    def right_answers(self, data):
        return [
            option["text"] + (f" ± {option['tolerance']}" if Decimal(option.get("tolerance") or 0) else "")
            for option in best_options(data)
        ]

    def feedback(self, data, response):
        value = parse_number(response)
        option = accepting_option(data, value) if value is not None else None
        return [option["feedback"]] if option and option.get("feedback") else []

    def option_problems(self, rows, credits):
        problems = []
        if not rows:
            problems.append(_("A numerical question needs at least one answer."))
        for row in rows:
            text = (row.get("text") or "").strip()
            if text != "*" and parse_number(text) is None:
                problems.append(_("'%(value)s' is not a number.") % {"value": text})
        if not any(value == HUNDRED for value in credits):
            problems.append(_("At least one answer must give full credit (100)."))
        return problems

    def gift_claims(self, body):
        return body.startswith("#")

    def gift_parse(self, draft, body, fmt):
        """``value``, ``value:tolerance``, ``min..max``, ``*``, each with ``%weight%`` and ``#feedback``, and
        ``~#feedback`` for any other answer."""
        body = body[1:]  # the leading "#"
        wrong = ""
        if "~" in body:
            body, wrong = body[: body.index("~")], body[body.index("~") + 1 :]
        options = []
        for raw in tokens.split_answers(body, "="):
            weight, rest = tokens.weight(raw.strip())
            value_part, _sep, feedback = rest.partition("#")
            value_text = tokens.restore(value_part).strip()
            try:
                if value_text == "*":
                    value, tolerance = None, Decimal("0")
                elif value_text.find("..") > 0:
                    low, high = (tokens.number(part) for part in value_text.split("..", 1))
                    value, tolerance = (low + high) / 2, abs(high - low) / 2
                elif value_text.find(":") > 0:
                    value_part, tolerance_part = value_text.split(":", 1)
                    value, tolerance = tokens.number(value_part), abs(tokens.number(tolerance_part))
                else:
                    value, tolerance = tokens.number(value_text), Decimal("0")
            except (ValueError, InvalidOperation) as exc:
                raise ValueError(
                    _("'%(value)s' is not a number (write value, value:tolerance or min..max).") % {"value": value_text}
                ) from exc
            options.append(
                OptionDraft(
                    text="*" if value is None else tokens.plain_number(value),
                    credit=HUNDRED if weight is None else weight,
                    feedback=tokens.plain(feedback, fmt),
                    tolerance=tolerance,
                )
            )
        if not options:
            raise ValueError(_("A numerical question needs at least one answer."))
        if wrong:
            _unused, _sep, feedback = wrong.partition("#")
            options.append(OptionDraft(text="*", credit=Decimal("0"), feedback=tokens.plain(feedback, fmt)))
        draft.options = options

    def xml_parse(self, draft, node, fmt):
        if node.find("units/unit") is not None:
            draft.warnings.append(_("Units were not imported: only the number is checked."))
        for answer in node.findall("answer"):
            draft.options.append(
                OptionDraft(
                    text=nodes.text(answer) or "*",
                    credit=nodes.decimal(answer.get("fraction")),
                    feedback=nodes.plain(answer.find("feedback"), fmt),
                    tolerance=abs(nodes.decimal(answer.findtext("tolerance"), "0")),
                )
            )
        return False

    def xml_export(self, node, question, options):
        for option in options:
            answer = nodes.add_text(
                node, "answer", option.text, fmt="moodle_auto_format", fraction=nodes.number(option.credit)
            )
            nodes.add_text(answer, "feedback", option.feedback)
            SubElement(answer, "tolerance").text = nodes.number(option.tolerance)

    def demo_answer(self, data, layout, prefix, *, right, rng):
        best = max(data["options"], key=credit)
        return {prefix: [best["text"] if right else "tidak tahu"]}
