"""Matching: each prompt paired with one answer from a shuffled list (extra wrong answers allowed); each
right pair earns an equal share."""

from decimal import Decimal
from xml.etree.ElementTree import SubElement  # noqa: S405 - building, not parsing

from django.utils.translation import gettext as _

from quizzes.drafts import OptionDraft
from quizzes.formats import gift_tokens as tokens
from quizzes.formats import xml_nodes as nodes
from quizzes.formats.text import xml_safe
from quizzes.qtypes import register
from quizzes.qtypes.base import ZERO, QuestionTypeBase, clamp, index_in


def prompts(data: dict) -> list[dict]:
    return [option for option in data.get("options", []) if (option.get("text") or "").strip()]


def answers(data: dict) -> list[str]:
    """Every distinct answer text (extra wrong answers included), in authoring order."""
    seen: list[str] = []
    for option in data.get("options", []):
        answer = (option.get("match") or "").strip()
        if answer and answer not in seen:
            seen.append(answer)
    return seen


def _matched(given, prompt: dict) -> bool:
    return isinstance(given, str) and given.strip() == (prompt.get("match") or "").strip()


@register
class Matching(QuestionTypeBase):
    value = "matching"
    moodle_type = "matching"
    moodle_names = ("matching", "match")
    gift_order = 40

    def build_layout(self, data, *, shuffle, rng):
        prompt_ids = [option["id"] for option in prompts(data)]
        answer_texts = answers(data)
        if shuffle:
            rng.shuffle(prompt_ids)
        rng.shuffle(answer_texts)  # the answer list in authoring order would pair up with the prompts
        return {"prompts": prompt_ids, "answers": answer_texts}

    def parse_response(self, data, layout, fields):
        prompt_ids, answer_texts = layout.get("prompts", []), layout.get("answers", [])
        response = {}
        for index, prompt_id in enumerate(prompt_ids):
            choice = index_in(fields.first(f"{fields.prefix}-{index}"), len(answer_texts))
            if choice is not None:
                response[str(prompt_id)] = answer_texts[choice]
        return response

    def form_values(self, data, layout, response, prefix):
        answer_texts = layout.get("answers", [])
        given = response if isinstance(response, dict) else {}
        fields = {}
        for index, prompt_id in enumerate(layout.get("prompts", [])):
            chosen = given.get(str(prompt_id))
            fields[f"{prefix}-{index}"] = [str(answer_texts.index(chosen))] if chosen in answer_texts else [""]
        return fields

    def present(self, data, layout, response, *, options, reveal, answered):
        answer_texts = layout.get("answers", [])
        given = response if isinstance(response, dict) else {}
        rows = []
        for index, prompt_id in enumerate(layout.get("prompts", [])):
            prompt = options.get(prompt_id)
            if prompt is None:
                continue
            chosen = given.get(str(prompt_id))
            row = {
                "index": index,
                "text": prompt["text"],
                "choices": [
                    {"value": j, "text": text, "selected": text == chosen} for j, text in enumerate(answer_texts)
                ],
            }
            if reveal.correctness and chosen:
                row["correct"] = chosen == prompt.get("match")
            rows.append(row)
        return {"prompts": rows}

    def grade(self, data, response):
        """Each prompt matched to its answer earns an equal share."""
        rows = prompts(data)
        if not rows or not isinstance(response, dict):
            return ZERO
        right = sum(1 for prompt in rows if _matched(response.get(str(prompt["id"])), prompt))
        return clamp(Decimal(right) / Decimal(len(rows)))

    def right_answers(self, data):
        return [f"{prompt['text']} → {prompt['match']}" for prompt in prompts(data)]

    def option_problems(self, rows, credits):
        problems = []
        prompt_rows = [row for row in rows if (row.get("text") or "").strip()]
        if len(prompt_rows) < 2:
            problems.append(_("A matching question needs at least two prompts, each with an answer."))
        if any(not (row.get("match") or "").strip() for row in prompt_rows):
            problems.append(_("Every matching prompt needs an answer."))
        return problems

    def gift_claims(self, body):
        return "=" in body and "->" in body

    def gift_parse(self, draft, body, fmt):
        for raw in tokens.split_answers(body, "="):
            if "->" not in raw:
                raise ValueError(
                    _("A matching pair has no '->': '%(text)s'.") % {"text": tokens.restore(raw).strip()[:40]}
                )
            prompt, _arrow, answer = raw.partition("->")
            draft.options.append(OptionDraft(text=tokens.plain(prompt, fmt), match=tokens.restore(answer).strip()))

    def xml_parse(self, draft, node, fmt):
        had_files = False
        for sub in node.findall("subquestion"):
            had_files = had_files or nodes.has_files(sub)
            draft.options.append(OptionDraft(text=nodes.plain(sub, fmt), match=nodes.text(sub.find("answer"))))
        return had_files

    def xml_export(self, node, question, options):
        for option in options:
            sub = nodes.add_text(node, "subquestion", option.text)
            SubElement(SubElement(sub, "answer"), "text").text = xml_safe(option.match_text)

    def demo_answer(self, data, layout, prefix, *, right, rng):
        options = {option["id"]: option for option in data.get("options", [])}
        answer_texts = layout["answers"]
        fields = {}
        for index, prompt_id in enumerate(layout["prompts"]):
            target = options[prompt_id]["match"] if right or index else answer_texts[-1]
            fields[f"{prefix}-{index}"] = [str(answer_texts.index(target))]
        return fields
