"""Property: a Moodle XML export of the bank imports back as the same questions, field for field, for
generated questions of every type with awkward text (entities, quotes, angle brackets, CDATA terminators,
unicode, CR/LF, slashes in category names, empty feedback).

"The same" is what the type shows and grades, plus name, category path, tags. Two documented
normalisations: texts are trimmed (Moodle trims every <text>, and the admin form trims too), and the
question text is sanitised HTML (compared with the sanitised original). Characters XML 1.0 cannot carry at
all (NUL and other C0 controls) are not generated: the exporter drops them."""

from decimal import Decimal

import pytest
from django.utils.html import escape
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from quizzes import importing
from quizzes.formats import moodle_xml
from quizzes.formats.text import clean_html
from quizzes.models import Question
from tests.quizzes.factories import CategoryFactory, make_question

AWKWARD = [
    "&",
    "&amp;",
    "&#x27;",
    "<",
    ">",
    "<ok>",
    "</p>",
    "'",
    '"',
    "]]>",
    "<![CDATA[",
    "/",
    "//",
    " ",
    "  ",
    "\n",
    "\r\n",
    "\t",
    "é",
    "漢字",
    "😀",
    "\u00a0",
    "#",
    "=",
    "~",
    "{",
    "}",
    ":",
    "%50%",
    "[html]",
    "\\",
]
_chars = st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(["\n", "\t"])
awkward = st.lists(st.sampled_from(AWKWARD) | st.text(_chars, max_size=4), max_size=6).map("".join)
filled = st.tuples(st.text(st.characters(whitelist_categories=("L", "N")), min_size=1, max_size=3), awkward).map(
    lambda pair: pair[0] + pair[1] if len(pair[1]) % 2 else pair[1] + pair[0]
)
short = filled.map(lambda text: text[:60])
credit = st.decimals(min_value=Decimal("-100"), max_value=Decimal("100"), places=5)
number = st.decimals(min_value=Decimal("-99999"), max_value=Decimal("99999"), places=3).map(lambda d: format(d, "f"))


@st.composite
def question_spec(draw):
    qtype = draw(
        st.sampled_from(
            ["single", "multiple", "truefalse", "shortanswer", "numerical", "matching", "ordering", "essay"]
        )
    )
    fields = {
        "name": draw(short),
        "text": draw(
            st.sampled_from(["plain", "html"]).flatmap(
                lambda kind: (
                    filled.map(lambda t: "<p>" + escape(t) + "</p>")
                    if kind == "plain"
                    else st.tuples(filled, awkward).map(
                        lambda p: (
                            f"<p><b>{escape(p[0])}</b></p><pre>{escape(p[1])}</pre><ul><li>{escape(p[1])}</li></ul>"
                        )
                    )
                )
            )
        ),
        "default_mark": draw(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2)),
        "general_feedback": draw(awkward),
        "shuffle_options": draw(st.booleans()),
    }
    feedback = awkward
    options = []
    if qtype == "single":
        options = [{"text": draw(filled), "credit": Decimal("100"), "feedback": draw(feedback)}]
        options += [
            {"text": draw(filled), "credit": draw(credit), "feedback": draw(feedback)}
            for _ in range(draw(st.integers(1, 3)))
        ]
    elif qtype == "multiple":
        part = draw(st.decimals(min_value=Decimal("0.00001"), max_value=Decimal("99.99999"), places=5))
        options = [
            {"text": draw(filled), "credit": part, "feedback": draw(feedback)},
            {"text": draw(filled), "credit": Decimal("100") - part, "feedback": draw(feedback)},
        ]
        options += [
            {"text": draw(filled), "credit": -draw(credit).copy_abs(), "feedback": draw(feedback)}
            for _ in range(draw(st.integers(0, 2)))
        ]
    elif qtype == "truefalse":
        fields.update(correct_true=draw(st.booleans()), true_feedback=draw(feedback), false_feedback=draw(feedback))
    elif qtype == "shortanswer":
        fields.update(case_sensitive=draw(st.booleans()), ignore_spaces=draw(st.booleans()))
        options = [{"text": draw(filled), "credit": Decimal("100"), "feedback": draw(feedback)}]
        options += [
            {"text": draw(filled), "credit": draw(credit), "feedback": draw(feedback)}
            for _ in range(draw(st.integers(0, 2)))
        ]
    elif qtype == "numerical":
        options = [
            {
                "text": draw(number),
                "credit": Decimal("100"),
                "feedback": draw(feedback),
                "tolerance": draw(st.decimals(min_value=0, max_value=1000, places=4)),
            }
        ]
        if draw(st.booleans()):
            options.append({"text": "*", "credit": Decimal("0"), "feedback": draw(feedback), "tolerance": Decimal("0")})
    elif qtype == "matching":
        options = [{"text": draw(filled), "match_text": draw(short)} for _ in range(draw(st.integers(2, 4)))]
        if draw(st.booleans()):
            options.append({"text": "", "match_text": draw(short)})
    elif qtype == "ordering":
        options = [{"text": draw(filled)} for _ in range(draw(st.integers(2, 4)))]
    else:
        fields.update(response_template=draw(awkward), grader_info=draw(awkward))
    tags = draw(st.lists(short.map(lambda tag: tag.strip()[:50]).filter(bool), max_size=3, unique=True))
    return qtype, options, fields, tags


RELEVANT = {
    "single": ["shuffle_options"],
    "multiple": ["shuffle_options"],
    "truefalse": ["correct_true", "true_feedback", "false_feedback"],
    "shortanswer": ["case_sensitive", "ignore_spaces"],
    "numerical": [],
    "matching": ["shuffle_options"],
    "ordering": ["shuffle_options"],
    "essay": ["response_template", "grader_info"],
}
OPTION_FIELDS = {
    "single": ["text", "credit", "feedback"],
    "multiple": ["text", "credit", "feedback"],
    "shortanswer": ["text", "credit", "feedback"],
    "numerical": ["text", "credit", "feedback", "tolerance"],
    "matching": ["text", "match_text"],
    "ordering": ["text"],
}


def _trimmed(value):
    return value.strip() if isinstance(value, str) else value


def expected(question):
    """What the copy must hold: the original, trimmed, with sanitised question text."""
    row = {
        "type": question.qtype,
        "name": question.name.strip(),
        "text": clean_html(question.text),
        "default_mark": question.default_mark,
        "general_feedback": question.general_feedback.strip(),
        "tags": sorted(tag.name for tag in question.tags.all()),
        "options": [
            tuple(_trimmed(getattr(option, field)) for field in OPTION_FIELDS.get(question.qtype, []))
            for option in question.options.order_by("sort_order", "pk")
        ],
    }
    for field in RELEVANT[question.qtype]:
        row[field] = _trimmed(getattr(question, field))
    return row


def category_names(category):
    return [ancestor.name for ancestor in category.get_ancestors()] + [category.name]


@pytest.mark.django_db
@settings(
    max_examples=30,
    deadline=None,
    # Every example writes to the database; shrinking a failure would take minutes, so it is skipped
    # (the failing example is still printed in full).
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    specs=st.lists(question_spec(), min_size=1, max_size=4),
    path=st.lists(short.map(lambda name: name.strip()[:60]).filter(bool), min_size=1, max_size=2),
)
def test_export_then_import_gives_back_the_same_questions(specs, path):
    source = CategoryFactory(name="Asal")
    originals = [
        make_question(qtype, options, category=source, tags=tags, **fields) for qtype, options, fields, tags in specs
    ]
    xml = moodle_xml.export(
        [(path, Question.objects.filter(pk__in=[q.pk for q in originals]).prefetch_related("options", "tags"))]
    )
    target = CategoryFactory(name="Tujuan")
    report = importing.questions_import(filename="bank.xml", content=xml, category=target)
    assert report.problems == []
    copies = list(Question.objects.filter(pk__in=[question.pk for _index, question, _warnings in report.created]))
    originals = list(Question.objects.filter(pk__in=[question.pk for question in originals]))
    # The export orders questions by name; compare as collections.
    assert sorted(map(repr, map(expected, copies))) == sorted(map(repr, map(expected, originals)))
    for copy in copies:
        assert category_names(copy.category) == [target.name] + [name.strip() for name in path]


@pytest.mark.django_db
def test_carriage_returns_and_cdata_terminators_survive_the_file():
    original = make_question(
        "essay",
        category=CategoryFactory(name="CR"),
        name="Esai ]]> akhir",
        grader_info="Baris satu\r\nBaris dua\rtiga ]]> <![CDATA[ x",
        response_template="Jawab:\r\n",
    )
    xml = moodle_xml.export([(["CR"], Question.objects.filter(pk=original.pk).prefetch_related("options", "tags"))])
    report = importing.questions_import(filename="cr.xml", content=xml, category=CategoryFactory(name="Tujuan CR"))
    [(_index, copy, _warnings)] = report.created
    assert copy.name == "Esai ]]> akhir"
    assert copy.grader_info == "Baris satu\r\nBaris dua\rtiga ]]> <![CDATA[ x"
    assert copy.response_template == "Jawab:"
