"""True/false: a statement the learner says is true or false; feedback for each answer."""

from django.utils.translation import gettext as _

from quizzes.formats import gift_tokens as tokens
from quizzes.formats import xml_nodes as nodes
from quizzes.qtypes import register
from quizzes.qtypes.base import HUNDRED, ONE, ZERO, QuestionTypeBase

_GIFT_WORDS = {"T": True, "TRUE": True, "F": False, "FALSE": False}


@register
class TrueFalse(QuestionTypeBase):
    value = "truefalse"
    has_options = False
    moodle_type = "truefalse"
    moodle_names = ("truefalse",)
    gift_order = 50
    review_template = "quizzes/qtypes/choice_review.html"  # the two statements are shown as choices

    def parse_response(self, data, layout, fields):
        return {"1": True, "0": False}.get(fields.first())

    def form_values(self, data, layout, response, prefix):
        return {prefix: [] if response is None else ["1" if response else "0"]}

    def present(self, data, layout, response, *, options, reveal, answered):
        correct_true = bool(data.get("correct_true", True))
        return {
            "choices": [
                {
                    "value": 1,
                    "label": "true",
                    "checked": response is True,
                    **(
                        {"correct": correct_true}
                        if reveal.right_answers or (reveal.correctness and response is True)
                        else {}
                    ),
                },
                {
                    "value": 0,
                    "label": "false",
                    "checked": response is False,
                    **(
                        {"correct": not correct_true}
                        if reveal.right_answers or (reveal.correctness and response is False)
                        else {}
                    ),
                },
            ]
        }

    def grade(self, data, response):
        if response is None or not isinstance(response, bool):
            return ZERO
        return ONE if response == bool(data.get("correct_true", True)) else ZERO

    def right_answers(self, data):
        return ["true" if data.get("correct_true", True) else "false"]

    def right_answers_text(self, data):
        return [_("True") if data.get("correct_true", True) else _("False")]

    def feedback(self, data, response):
        if not isinstance(response, bool):
            return []
        text = data.get("true_feedback") if response else data.get("false_feedback")
        return [text] if text else []

    def gift_claims(self, body):
        return body.partition("#")[0].strip().upper() in _GIFT_WORDS

    def gift_parse(self, draft, body, fmt):
        head, *feedbacks = body.split("#", 2)
        draft.correct_true = _GIFT_WORDS[head.strip().upper()]
        wrong = tokens.plain(feedbacks[0], fmt) if feedbacks else ""
        right = tokens.plain(feedbacks[1], fmt) if len(feedbacks) > 1 else ""
        draft.true_feedback, draft.false_feedback = (right, wrong) if draft.correct_true else (wrong, right)

    def xml_parse(self, draft, node, fmt):
        old_style = False
        for position, answer in enumerate(node.findall("answer")[:2]):
            value = nodes.text(answer).lower()
            if value not in ("true", "false"):
                # Old exports wrote the words in the site's language; Moodle then takes true, false in order.
                old_style = True
                value = "true" if position == 0 else "false"
            right = nodes.decimal(answer.get("fraction")) == HUNDRED
            if value == "true":
                draft.correct_true = right
                draft.true_feedback = nodes.plain(answer.find("feedback"), fmt)
            else:
                draft.correct_true = not right
                draft.false_feedback = nodes.plain(answer.find("feedback"), fmt)
        if old_style:
            draft.warnings.append(_("The answers were not named true/false: the first was taken as 'true'."))
        return False

    def xml_export(self, node, question, options):
        for value, feedback in (("true", question.true_feedback), ("false", question.false_feedback)):
            right = (value == "true") == question.correct_true
            answer = nodes.add_text(node, "answer", value, fmt="moodle_auto_format", fraction="100" if right else "0")
            nodes.add_text(answer, "feedback", feedback)

    def demo_answer(self, data, layout, prefix, *, right, rng):
        value = bool(data.get("correct_true")) == right
        return {prefix: ["1" if value else "0"]}
