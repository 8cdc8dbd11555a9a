"""Ordering (Moodle's qtype_ordering): items put in order by giving each its position; each item in its
right absolute position earns an equal share."""

from decimal import Decimal
from xml.etree.ElementTree import SubElement  # noqa: S405 - building, not parsing

from django.utils.translation import gettext as _

from quizzes.drafts import OptionDraft
from quizzes.formats import xml_nodes as nodes
from quizzes.qtypes import register
from quizzes.qtypes.base import ZERO, QuestionTypeBase, as_int, clamp, index_in


@register
class Ordering(QuestionTypeBase):
    value = "ordering"
    moodle_type = "ordering"
    moodle_names = ("ordering",)

    def build_layout(self, data, *, shuffle, rng):
        # Always shuffled (the authoring order is the key), uniformly: every order is equally likely, the
        # right one included. Excluding the right order gave the key away: two items were always shown
        # reversed, and with more items the shown order was a small hint. The learner gives positions, so
        # an order that happens to be right shows no more than any other.
        items = [option["id"] for option in data.get("options", [])]
        rng.shuffle(items)
        return {"items": items}

    def parse_response(self, data, layout, fields):
        items = layout.get("items", [])
        response = {}
        for index, item_id in enumerate(items):
            position = index_in(fields.first(f"{fields.prefix}-{index}"), len(items) + 1)
            if position:
                response[str(item_id)] = position
        return response

    def form_values(self, data, layout, response, prefix):
        given = response if isinstance(response, dict) else {}
        return {
            f"{prefix}-{index}": [str(given[str(item_id)]) if str(item_id) in given else ""]
            for index, item_id in enumerate(layout.get("items", []))
        }

    def present(self, data, layout, response, *, options, reveal, answered):
        given = response if isinstance(response, dict) else {}
        items = layout.get("items", [])
        return {
            "positions": list(range(1, len(items) + 1)),
            "order_items": [
                {"index": index, "text": options[item_id]["text"], "position": given.get(str(item_id))}
                for index, item_id in enumerate(items)
                if item_id in options
            ],
        }

    def grade(self, data, response):
        correct = [option["id"] for option in data.get("options", [])]
        if not correct or not isinstance(response, dict):
            return ZERO
        right = sum(1 for index, key in enumerate(correct, start=1) if as_int(response.get(str(key))) == index)
        return clamp(Decimal(right) / Decimal(len(correct)))

    def right_answers(self, data):
        return [option["text"] for option in data.get("options", [])]

    def option_problems(self, rows, credits):
        return [_("An ordering question needs at least two items.")] if len(rows) < 2 else []

    def xml_parse(self, draft, node, fmt):
        # qtype_ordering stores each item's position in fraction (1, 2, 3 …).
        answers = node.findall("answer")
        items = sorted(
            enumerate(answers), key=lambda pair: (nodes.decimal(pair[1].get("fraction"), str(pair[0])), pair[0])
        )
        had_files = False
        for _index, answer in items:
            had_files = had_files or nodes.has_files(answer)
            draft.options.append(OptionDraft(text=nodes.plain(answer, fmt)))
        return had_files

    def xml_export(self, node, question, options):
        SubElement(node, "layouttype").text = "VERTICAL"
        SubElement(node, "selecttype").text = "ALL"
        SubElement(node, "selectcount").text = "0"
        SubElement(node, "gradingtype").text = "ABSOLUTE_POSITION"
        for position, option in enumerate(options, start=1):
            nodes.add_text(node, "answer", option.text, fraction=str(position))

    def demo_answer(self, data, layout, prefix, *, right, rng):
        order = [option["id"] for option in data["options"]]
        fields = {}
        for index, item_id in enumerate(layout["items"]):
            position = order.index(item_id) + 1
            if not right and index < 2:
                position = 2 - index
            fields[f"{prefix}-{index}"] = [str(position)]
        return fields
