"""Essay: free text a trainer grades by hand (an empty essay earns nothing and waits for nobody)."""

from xml.etree.ElementTree import SubElement  # noqa: S405 - building, not parsing

from quizzes.formats import xml_nodes as nodes
from quizzes.qtypes import register
from quizzes.qtypes.base import ZERO, TextAnswerType


@register
class Essay(TextAnswerType):
    value = "essay"
    has_options = False
    needs_manual_grading = True
    moodle_type = "essay"
    moodle_names = ("essay",)
    gift_order = 10
    max_length = 20_000

    def present(self, data, layout, response, *, options, reveal, answered):
        view = super().present(data, layout, response, options=options, reveal=reveal, answered=answered)
        if not answered and not view["value"]:
            view["value"] = data.get("response_template", "")
        return view

    def grade(self, data, response):
        if not isinstance(response, str) or not response.strip():
            return ZERO
        return None

    def gift_claims(self, body):
        return body == ""

    def xml_parse(self, draft, node, fmt):
        draft.response_template = nodes.plain(node.find("responsetemplate"), fmt)
        draft.grader_info = nodes.plain(node.find("graderinfo"), fmt)
        return False

    def xml_export(self, node, question, options):
        SubElement(node, "responseformat").text = "plain"
        SubElement(node, "responserequired").text = "1"
        SubElement(node, "responsefieldlines").text = "10"
        nodes.add_text(node, "graderinfo", question.grader_info)
        nodes.add_text(node, "responsetemplate", question.response_template)

    def demo_answer(self, data, layout, prefix, *, right, rng):
        return {prefix: ["Di loket kami antrean panjang; kami menambah layanan daring dan jadwal yang jelas."]}
