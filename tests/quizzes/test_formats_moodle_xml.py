"""Moodle XML fidelity: text formats read as Moodle means them, per-type options, category paths with
"/", category descriptions, the Moodle 1.9 <image> element, and export → import of awkward text."""

from decimal import Decimal

import pytest

from quizzes import importing
from quizzes.formats import gift, moodle_xml
from quizzes.models import Question, QuestionCategory
from tests.quizzes.factories import CategoryFactory, make_question, matching, short_answer, single_choice


def parse_one(question_xml: str, category: str = ""):
    drafts, problems = moodle_xml.parse(f"<quiz>{category}{question_xml}</quiz>".encode())
    assert problems == [], problems
    return drafts[0][1]


def export_import(questions, *, path=("Asal",), description=""):
    """Export these questions as one category and import the file below a new category."""
    pks = [question.pk for question in questions]
    xml = moodle_xml.export(
        [(list(path), Question.objects.filter(pk__in=pks).prefetch_related("options", "tags"), description)]
    )
    target = CategoryFactory(name="Tujuan")
    report = importing.questions_import(filename="export.xml", content=xml, category=target)
    assert report.problems == []
    return xml, target, [question for _index, question, _warnings in report.created]


# --- text formats ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_plain_text_answers_and_feedback_come_back_literally():
    original = single_choice(
        name="Grant's tomb & <friends>",
        general_feedback="Lihat PP 17/2020 & <lampiran>",
    )
    option = original.options.first()
    option.text, option.feedback = "Grant's & Sons <Ltd>", "Right & <ok>"
    option.save()
    original.save()
    xml, _target, [copy] = export_import([original])
    assert b"Grant&#x27;s" not in xml
    first = copy.options.order_by("sort_order").first()
    assert (first.text, first.feedback) == ("Grant's & Sons <Ltd>", "Right & <ok>")
    assert copy.name == "Grant's tomb & <friends>"
    assert copy.general_feedback == "Lihat PP 17/2020 & <lampiran>"


@pytest.mark.parametrize(
    ("attributes", "raw", "expected"),
    [
        ('format="html"', "<![CDATA[<p>Right &amp; &lt;ok&gt;</p>]]>", "Right & <ok>"),
        ('format="html"', "<![CDATA[<p>Grant&#x27;s</p><p>tomb</p>]]>", "Grant's\ntomb"),
        ('format="plain_text"', "Right &amp; &lt;ok&gt;", "Right & <ok>"),
        ('format="moodle_auto_format"', "Right &amp; ok", "Right & ok"),
        ('format="moodle_auto_format"', "<![CDATA[<b>Right</b> &amp; ok]]>", "Right & ok"),
        ('format="markdown"', "**Right** &amp; ok", "**Right** & ok"),
        ("", "<![CDATA[<b>html</b> by default]]>", "html by default"),
    ],
)
def test_feedback_is_read_in_its_format(attributes, raw, expected):
    draft = parse_one(
        '<question type="multichoice"><name><text>F</text></name>'
        '<questiontext format="html"><text>Pilih</text></questiontext>'
        f'<answer fraction="100"><text>a</text><feedback {attributes}><text>{raw}</text></feedback></answer>'
        '<answer fraction="0"><text>b</text></answer></question>'
    )
    assert draft.options[0].feedback == expected


def test_answers_without_format_take_the_question_texts_format():
    draft = parse_one(
        '<question type="multichoice"><name><text>F</text></name>'
        '<questiontext format="plain_text"><text>Tag &lt;a&gt;?</text></questiontext>'
        '<answer fraction="100"><text>&lt;a&gt;</text></answer><answer fraction="0"><text>&lt;link&gt;</text></answer>'
        "</question>"
    )
    assert draft.text == "<p>Tag &lt;a&gt;?</p>"
    assert [o.text for o in draft.options] == ["<a>", "<link>"]


def test_short_answers_are_plain_text_whatever_the_format_says():
    draft = parse_one(
        '<question type="shortanswer"><name><text>S</text></name><questiontext><text>Tag?</text></questiontext>'
        '<answer fraction="100" format="html"><text>&lt;a&gt; &amp; b</text></answer></question>'
    )
    assert draft.options[0].text == "<a> & b"


# --- per-type options ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_per_type_options_survive_export_and_import():
    questions = [
        short_answer(name="Spasi", case_sensitive=True, ignore_spaces=True, default_mark=Decimal("2.5")),
        single_choice(name="Tanpa acak", shuffle_options=False, general_feedback="Umum"),
        matching(name="Pasangan tetap", shuffle_options=False),
        make_question(
            "multiple",
            [{"text": "A", "credit": Decimal("33.33333")}, {"text": "B", "credit": Decimal("66.66667")}],
            name="Pecahan",
        ),
    ]
    _xml, _target, copies = export_import(questions)
    by_name = {copy.name: copy for copy in copies}
    spaces = by_name["Spasi"]
    assert (spaces.case_sensitive, spaces.ignore_spaces, spaces.default_mark) == (True, True, Decimal("2.5"))
    assert by_name["Tanpa acak"].shuffle_options is False and by_name["Tanpa acak"].general_feedback == "Umum"
    assert by_name["Pasangan tetap"].shuffle_options is False
    assert [o.credit for o in by_name["Pecahan"].options.order_by("sort_order")] == [
        Decimal("33.33333"),
        Decimal("66.66667"),
    ]
    assert by_name["Pecahan"].qtype == "multiple"


def test_moodle_defaults_and_hidden_questions():
    choice = parse_one(
        '<question type="multichoice"><name><text>M</text></name><questiontext><text>P</text></questiontext>'
        '<hidden>1</hidden><answer fraction="100"><text>a</text></answer><answer fraction="0"><text>b</text></answer>'
        "</question>"
    )
    assert choice.qtype == "single" and choice.shuffle is False  # Moodle: no <shuffleanswers> = no shuffling
    assert any("disembunyikan" in w or "hidden" in w for w in choice.warnings)
    pairs = parse_one(
        '<question type="matching"><name><text>J</text></name><questiontext><text>P</text></questiontext>'
        "<subquestion><text>A</text><answer><text>1</text></answer></subquestion>"
        "<subquestion><text>B</text><answer><text>2</text></answer></subquestion></question>"
    )
    assert pairs.shuffle is True


def test_old_true_false_answers_in_the_sites_language():
    draft = parse_one(
        '<question type="truefalse"><name><text>TF</text></name><questiontext><text>P</text></questiontext>'
        '<answer fraction="0"><text>Benar</text><feedback><text>bukan</text></feedback></answer>'
        '<answer fraction="100"><text>Salah</text><feedback><text>ya</text></feedback></answer></question>'
    )
    assert (draft.correct_true, draft.true_feedback, draft.false_feedback) == (False, "bukan", "ya")
    assert draft.warnings


# --- categories ------------------------------------------------------------------------------------

MOODLE_PATH = (
    "$course$/Tim's questions/Tricky things like // //// and so on/Category name ending in // / // and one that "
    "starts with one"
)


def test_category_paths_split_and_assemble_as_moodle():
    # Moodle's own test vector (question/tests/importexport_test.php).
    names = [
        "Tim's questions",
        "Tricky things like / // and so on",
        "Category name ending in /",
        "/ and one that starts with one",
    ]
    assert gift.moodle_category_path(MOODLE_PATH) == names
    assert "$course$/" + gift.assemble_category_path(names) == MOODLE_PATH


@pytest.mark.django_db
def test_a_slash_in_a_category_name_stays_one_category_and_the_description_comes_along():
    root = CategoryFactory(name="PP 17/2020")
    question = single_choice(category=root)
    xml, target, [copy] = export_import([question], path=["PP 17/2020", "Bab I/II"], description="Pasal & <ayat>")
    assert b"$course$/top/PP 17//2020/Bab I//II" in xml
    assert [c.name for c in QuestionCategory.objects.filter(path__startswith=target.path, depth__gt=target.depth)] == [
        "PP 17/2020",
        "Bab I/II",
    ]
    assert copy.category.name == "Bab I/II"
    assert copy.category.description == "Pasal & <ayat>"


NESTED = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category">
    <category><text>$course$/Iota</text></category>
    <info format="plain_text"><text>This is Iota &amp; &lt;co&gt;</text></info>
    <idnumber></idnumber>
  </question>
  <question type="truefalse">
    <name><text>Iota Question</text></name>
    <questiontext format="html"><text><![CDATA[<p>Testing Iota Question</p>]]></text></questiontext>
    <answer fraction="100" format="moodle_auto_format"><text>true</text><feedback format="html"><text></text></feedback></answer>
    <answer fraction="0" format="moodle_auto_format"><text>false</text><feedback format="html"><text></text></feedback></answer>
  </question>
  <question type="category">
    <category><text>$course$/Iota/Kappa</text></category>
    <info format="html"><text><![CDATA[<p>This is <b>Kappa</b></p>]]></text></info>
  </question>
  <question type="essay">
    <name><text>Kappa Essay Question</text></name>
    <questiontext format="moodle_auto_format"><text>Testing Kappa Essay Question</text></questiontext>
    <graderinfo format="html"><text><![CDATA[<p>Min. 3 poin &amp; contoh</p>]]></text></graderinfo>
  </question>
</quiz>
"""


@pytest.mark.django_db
def test_category_info_becomes_the_category_description():
    root = CategoryFactory(name="Impor")
    report = importing.questions_import(filename="nested.xml", content=NESTED.encode(), category=root)
    assert report.problems == []
    iota = QuestionCategory.objects.get(name="Iota")
    kappa = QuestionCategory.objects.get(name="Kappa")
    assert (iota.description, kappa.description) == ("This is Iota & <co>", "This is Kappa")
    assert kappa.get_parent() == iota
    assert Question.objects.get(name="Kappa Essay Question").grader_info == "Min. 3 poin & contoh"


@pytest.mark.django_db
def test_export_writes_category_descriptions(admin_client):
    root = CategoryFactory(name="Etika", description="Kode etik & perilaku")
    single_choice(category=root)
    response = admin_client.get("/admin/kuis/ekspor/", {"category": root.pk, "include_subcategories": "on"})
    assert response.status_code == 200
    drafts, problems = moodle_xml.parse(response.content)
    assert problems == [] and drafts[0][1].category_description == "Kode etik & perilaku"


# --- the Moodle 1.9 <image> element ----------------------------------------------------------------

OLD_IMAGE = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category><text>$course$/Default for Test images in backup</text></category></question>
  <question type="multichoice">
    <name><text>mcq with image</text>
</name>
    <questiontext format="html">
<text><![CDATA[This is a multichoice question with an image in the old &quot;image&quot; field]]></text>
    </questiontext>
    <image>moodle.png</image>
    <image_base64>
iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAAAXNSR0IArs4c6QAAAARnQU1BAACxjwv8YQUAAAAJcEhZcwAADsQAAA7EAZUrDhsAAA
    </image_base64>
    <single>true</single>
      <answer fraction="0">
        <text>
wrong answer
        </text>
      <feedback>
          <text>

          </text>
      </feedback>
    </answer>
      <answer fraction="100">
        <text>
right answer
        </text>
      </answer>
</question>
</quiz>
"""


@pytest.mark.django_db
def test_the_old_image_element_is_reported_and_the_question_imported():
    root = CategoryFactory(name="Gambar")
    report = importing.questions_import(filename="old.xml", content=OLD_IMAGE.encode(), category=root)
    assert report.problems == []
    [(_index, question, warnings)] = report.created
    assert any("moodle.png" in warning for warning in warnings)
    assert [o.text for o in question.options.order_by("sort_order")] == ["wrong answer", "right answer"]
