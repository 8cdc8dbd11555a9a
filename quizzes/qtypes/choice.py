"""Choice questions, Moodle's "multichoice": one right option (single) or several (multiple, with credits
that may be negative)."""

from decimal import Decimal
from xml.etree.ElementTree import SubElement  # noqa: S405 - building, not parsing

from django.utils.translation import gettext as _

from quizzes.drafts import OptionDraft
from quizzes.formats import gift_tokens as tokens
from quizzes.formats import xml_nodes as nodes
from quizzes.qtypes import register
from quizzes.qtypes.base import HUNDRED, ZERO, QuestionTypeBase, as_int, clamp, credit, index_in, option_by_id


class ChoiceType(QuestionTypeBase):
    moodle_type = "multichoice"
    moodle_names = ("multichoice",)
    moodle_shuffle_default = False
    answer_template = "quizzes/qtypes/choice.html"
    review_template = "quizzes/qtypes/choice_review.html"
    multiple = False

    def build_layout(self, data, *, shuffle, rng):
        option_ids = [option["id"] for option in data.get("options", [])]
        if shuffle:
            rng.shuffle(option_ids)
        return {"options": option_ids}

    def chosen(self, response) -> set:
        return {response}

    def present(self, data, layout, response, *, options, reveal, answered):
        chosen = self.chosen(response)
        return {
            "multiple": self.multiple,
            "choices": [
                {
                    "value": index,
                    "text": options[option_id]["text"],
                    "checked": option_id in chosen,
                    **(
                        {"correct": credit(options[option_id]) > 0}
                        if reveal.right_answers or (reveal.correctness and option_id in chosen)
                        else {}
                    ),
                }
                for index, option_id in enumerate(layout.get("options", []))
                if option_id in options
            ],
        }

    def right_answers(self, data):
        return [option["text"] for option in data.get("options", []) if credit(option) > 0]

    def option_problems(self, rows, credits):
        return [_("A choice question needs at least two options.")] if len(rows) < 2 else []

    def gift_claims(self, body):
        return "~" in body

    def gift_parse(self, draft, body, fmt):
        options = []
        pieces = body.replace("=", "~=").split("~")
        if pieces[0].strip():
            raise ValueError(
                _("The answers must start with = or ~ (text before the first answer: '%(text)s').")
                % {"text": tokens.restore(pieces[0]).strip()[:40]}
            )
        for raw in pieces[1:]:
            raw = raw.strip()
            if raw.startswith("="):
                weight, rest = tokens.weight(raw[1:].strip())
                weight = HUNDRED if weight is None else weight
            else:
                weight, rest = tokens.weight(raw)
                weight = Decimal("0") if weight is None else weight
            answer, _sep, feedback = rest.partition("#")
            options.append(
                OptionDraft(text=tokens.plain(answer, fmt), credit=weight, feedback=tokens.plain(feedback, fmt))
            )
        draft.options = options
        tokens.empty_answer_check(draft.options)

    def xml_parse(self, draft, node, fmt):
        draft.qtype = "single" if nodes.boolean(node.findtext("single"), True) else "multiple"
        had_files = False
        for answer in node.findall("answer"):
            had_files = had_files or nodes.has_files(answer)
            draft.options.append(
                OptionDraft(
                    text=nodes.plain(answer, fmt),
                    credit=nodes.decimal(answer.get("fraction")),
                    feedback=nodes.plain(answer.find("feedback"), fmt),
                )
            )
        return had_files

    def xml_export(self, node, question, options):
        SubElement(node, "single").text = nodes.flag(not self.multiple)
        SubElement(node, "answernumbering").text = "abc"
        for option in options:
            answer = nodes.add_text(node, "answer", option.text, fraction=nodes.number(option.credit))
            nodes.add_text(answer, "feedback", option.feedback)

    def demo_answer(self, data, layout, prefix, *, right, rng):
        options = option_by_id(data)
        ids = layout["options"]
        good = [i for i, pk in enumerate(ids) if credit(options[pk]) > 0]
        bad = [i for i, pk in enumerate(ids) if credit(options[pk]) <= 0] or good
        return self.demo_pick(good, bad, right=right, rng=rng, prefix=prefix)


@register
class SingleChoice(ChoiceType):
    value = "single"
    gift_order = 30

    def parse_response(self, data, layout, fields):
        ids = layout.get("options", [])
        index = index_in(fields.first(), len(ids))
        return ids[index] if index is not None else None

    def form_values(self, data, layout, response, prefix):
        ids = layout.get("options", [])
        return {prefix: [str(ids.index(response))] if response in ids else []}

    def grade(self, data, response):
        option = option_by_id(data).get(as_int(response))
        return clamp(credit(option)) if option else ZERO

    def feedback(self, data, response):
        option = option_by_id(data).get(as_int(response))
        return [option["feedback"]] if option and option.get("feedback") else []

    def option_problems(self, rows, credits):
        problems = super().option_problems(rows, credits)
        if not any(value == HUNDRED for value in credits):
            problems.append(_("One option must give full credit (100)."))
        return problems

    def gift_claims(self, body):
        return "~" in body and "=" in body

    def demo_pick(self, good, bad, *, right, rng, prefix):
        return {prefix: [str(rng.choice(good if right else bad))]}


@register
class MultipleChoice(ChoiceType):
    value = "multiple"
    gift_order = 31
    multiple = True

    def chosen(self, response) -> set:
        return set(response or [])

    def parse_response(self, data, layout, fields):
        ids = layout.get("options", [])
        chosen = {index_in(value, len(ids)) for value in fields.all()} - {None}
        return [ids[index] for index in sorted(chosen)]

    def form_values(self, data, layout, response, prefix):
        ids = layout.get("options", [])
        chosen = response if isinstance(response, list) else []
        return {prefix: [str(index) for index, option_id in enumerate(ids) if option_id in chosen]}

    def grade(self, data, response):
        """Sum of the credits of every chosen option (wrong ones may be negative), clamped to [0, 1]."""
        options = option_by_id(data)
        if not isinstance(response, list):
            return ZERO
        chosen = {as_int(value) for value in response}
        return clamp(sum((credit(options[key]) for key in chosen if key in options), ZERO))

    def feedback(self, data, response):
        if not isinstance(response, list):
            return []
        options = option_by_id(data)
        return [
            options[key]["feedback"] for key in map(as_int, response) if key in options and options[key]["feedback"]
        ]

    def option_problems(self, rows, credits):
        problems = super().option_problems(rows, credits)
        positive = sum((value for value in credits if value > 0), Decimal("0"))
        if abs(positive - HUNDRED) > Decimal("0.1"):
            problems.append(_("The positive credits of a multiple-choice question must add up to 100%."))
        return problems

    def demo_pick(self, good, bad, *, right, rng, prefix):
        return {prefix: [str(i) for i in (good if right else good[:1] + bad[:1])]}
