"""Short answer: typed text matched against accepted answers ("*" matches anything), the best credit wins."""

from xml.etree.ElementTree import SubElement  # noqa: S405 - building, not parsing

from django.utils.translation import gettext as _

from quizzes.drafts import OptionDraft
from quizzes.formats import gift_tokens as tokens
from quizzes.formats import xml_nodes as nodes
from quizzes.qtypes import register
from quizzes.qtypes.base import HUNDRED, ZERO, TextAnswerType, best_options, clamp, credit, normalise_text, text_pattern


def _flags(data: dict) -> dict:
    return {"case_sensitive": bool(data.get("case_sensitive")), "ignore_spaces": bool(data.get("ignore_spaces"))}


def _matches(data: dict, response) -> list[dict]:
    """The accepted answers the response matches."""
    if not isinstance(response, str) or not response.strip():
        return []
    flags = _flags(data)
    given = normalise_text(response, **flags)
    return [option for option in data.get("options", []) if text_pattern(option.get("text", ""), **flags).match(given)]


@register
class ShortAnswer(TextAnswerType):
    value = "shortanswer"
    moodle_type = "shortanswer"
    moodle_names = ("shortanswer",)
    gift_order = 60  # Moodle's last resort: whatever no other type claimed
    max_length = 255

    def grade(self, data, response):
        """The best credit among accepted answers the response matches."""
        return clamp(max((credit(option) for option in _matches(data, response)), default=ZERO))

    def right_answers(self, data):
        return [option["text"] for option in best_options(data)]

    def feedback(self, data, response):
        matches = _matches(data, response)
        if matches:
            best = max(matches, key=credit)
            return [best["feedback"]] if best.get("feedback") else []
        return []

    def option_problems(self, rows, credits):
        if not any(value == HUNDRED for value in credits):
            return [_("At least one accepted answer must give full credit (100).")]
        return []

    def gift_claims(self, body):
        return True

    def gift_parse(self, draft, body, fmt):
        for raw in tokens.split_answers(body, "="):
            weight, rest = tokens.weight(raw.strip())
            answer, _sep, feedback = rest.partition("#")
            draft.options.append(
                OptionDraft(
                    text=tokens.with_format(answer, fmt)[0],
                    credit=HUNDRED if weight is None else weight,
                    feedback=tokens.plain(feedback, fmt),
                )
            )
        tokens.empty_answer_check(draft.options)

    def xml_parse(self, draft, node, fmt):
        draft.case_sensitive = nodes.boolean(node.findtext("usecase"))
        draft.ignore_spaces = nodes.boolean(node.findtext("ignorespaces"))
        for answer in node.findall("answer"):
            draft.options.append(
                OptionDraft(
                    text=nodes.text(answer),  # Moodle: short answers are plain text whatever the format says
                    credit=nodes.decimal(answer.get("fraction")),
                    feedback=nodes.plain(answer.find("feedback"), fmt),
                )
            )
        return False

    def xml_export(self, node, question, options):
        SubElement(node, "usecase").text = "1" if question.case_sensitive else "0"
        SubElement(node, "ignorespaces").text = "1" if question.ignore_spaces else "0"
        for option in options:
            answer = nodes.add_text(
                node, "answer", option.text, fmt="moodle_auto_format", fraction=nodes.number(option.credit)
            )
            nodes.add_text(answer, "feedback", option.feedback)

    def demo_answer(self, data, layout, prefix, *, right, rng):
        best = max(data["options"], key=credit)
        return {prefix: [best["text"] if right else "tidak tahu"]}
