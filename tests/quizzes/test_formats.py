"""GIFT and Moodle XML: parsing good and broken files, importing with a per-question report, exporting
to Moodle XML and importing the export again without loss."""

from decimal import Decimal

import pytest

from quizzes import grading, importing
from quizzes.formats import gift, moodle_xml
from quizzes.models import Question, QuestionCategory
from tests.quizzes.factories import ALL_TYPES, CategoryFactory

GIFT_FILE = r"""
// Bank soal pelayanan publik
$CATEGORY: $course$/top/Pelayanan Publik

::Asas pelayanan::Undang-undang pelayanan publik adalah UU Nomor {=25 Tahun 2009 #Tepat ~5 Tahun 2014 #Itu UU ASN ~30 Tahun 2014}

::Pilih semua::Manakah yang termasuk asas pelayanan publik? {
~%50%Kepentingan umum#Ya
~%50%Kepastian hukum
~%-50%Kepentingan pribadi#Bukan
}

::Benar salah::ASN wajib mengikuti 20 JP pengembangan kompetensi per tahun.{T#Keliru, ini kewajiban#Benar sekali####PP 17/2020}

::Ibu kota::Ibu kota Provinsi Jambi adalah {=Jambi =Kota Jambi#Juga benar}.

::JP::Satu JP adalah berapa menit? {#45:0}

::Rentang::Berapa hari kerja dalam seminggu? {#4..6}

::Kabupaten::Pasangkan kabupaten dengan ibu kotanya. {
=Kerinci -> Siulak
=Bungo -> Muara Bungo
=Merangin -> Bangko
= -> Sengeti
}

::Esai::Jelaskan makna pelayanan prima menurut Anda.{}

::Escape::Tanda \{kurung\} dan 1\=1 harus {=benar \= tepat ~salah}

::Deskripsi saja::Ini hanya teks tanpa jawaban.

::Cloze::Kalimat {1:MULTICHOICE:=a~b} rumpang.

::Angka rusak::Berapa? {#empat puluh}
"""


def test_gift_parses_every_supported_type_and_reports_the_rest():
    drafts, problems = gift.parse(GIFT_FILE)
    by_name = {draft.name: draft for _index, draft in drafts}
    assert {draft.qtype for draft in by_name.values()} == {
        "single",
        "multiple",
        "truefalse",
        "shortanswer",
        "numerical",
        "matching",
        "essay",
    }
    single = by_name["Asas pelayanan"]
    assert single.qtype == "single"
    assert [(o.text, o.credit, o.feedback) for o in single.options] == [
        ("25 Tahun 2009", 100, "Tepat"),
        ("5 Tahun 2014", 0, "Itu UU ASN"),
        ("30 Tahun 2014", 0, ""),
    ]
    assert single.category_path == ["Pelayanan Publik"]
    multi = by_name["Pilih semua"]
    assert multi.qtype == "multiple"
    assert [o.credit for o in multi.options] == [50, 50, -50]
    tf = by_name["Benar salah"]
    assert (
        tf.correct_true is True and tf.true_feedback == "Benar sekali" and tf.false_feedback == "Keliru, ini kewajiban"
    )
    assert tf.general_feedback == "PP 17/2020"
    short = by_name["Ibu kota"]
    assert [o.text for o in short.options] == ["Jambi", "Kota Jambi"]
    assert "_____" in short.text  # a missing-word question keeps the text after the blank
    assert by_name["JP"].options[0].text == "45"
    rng = by_name["Rentang"].options[0]
    assert (Decimal(rng.text), rng.tolerance) == (Decimal("5"), Decimal("1"))
    match = by_name["Kabupaten"]
    assert [(o.text, o.match) for o in match.options][-1] == ("", "Sengeti")
    assert by_name["Esai"].qtype == "essay"
    assert "{kurung}" in by_name["Escape"].text and "1=1" in by_name["Escape"].text
    assert by_name["Escape"].options[0].text == "benar = tepat"

    assert [(p.name, p.index) for p in problems] == [("Deskripsi saja", 10), ("Cloze", 11), ("Angka rusak", 12)]
    assert all(p.reason for p in problems)


def test_gift_html_is_sanitised():
    drafts, _problems = gift.parse('[html]<p onclick="x()">Hai <script>alert(1)</script><b>ASN</b></p>{T}')
    text = drafts[0][1].text
    assert "<b>ASN</b>" in text
    assert "onclick" not in text and "<script" not in text


MOODLE_XML = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category><text>$course$/top/Etika/ASN</text></category></question>
  <question type="multichoice">
    <name><text>Nilai dasar</text></name>
    <questiontext format="html"><text><![CDATA[<p>Nilai dasar ASN <b>BerAKHLAK</b>?</p><img src="@@PLUGINFILE@@/a.png">]]></text></questiontext>
    <generalfeedback format="html"><text>Lihat SE MenPANRB 20/2021</text></generalfeedback>
    <defaultgrade>2.0000000</defaultgrade>
    <single>false</single>
    <shuffleanswers>true</shuffleanswers>
    <answer fraction="50" format="html"><text>Akuntabel</text><feedback format="html"><text>Ya</text></feedback></answer>
    <answer fraction="50" format="html"><text>Loyal</text><feedback format="html"><text></text></feedback></answer>
    <answer fraction="-100" format="html"><text>Otoriter</text><feedback format="html"><text>Bukan</text></feedback></answer>
    <tags><tag><text>etika</text></tag></tags>
  </question>
  <question type="truefalse">
    <name><text>TF</text></name>
    <questiontext format="html"><text>PPPK adalah ASN.</text></questiontext>
    <answer fraction="100"><text>true</text><feedback><text>Benar</text></feedback></answer>
    <answer fraction="0"><text>false</text><feedback><text>Salah</text></feedback></answer>
  </question>
  <question type="shortanswer">
    <name><text>Singkatan</text></name>
    <questiontext format="plain_text"><text>Singkatan Aparatur Sipil Negara?</text></questiontext>
    <usecase>1</usecase>
    <answer fraction="100"><text>ASN</text></answer>
  </question>
  <question type="numerical">
    <name><text>Target JP</text></name>
    <questiontext format="html"><text>Target JP per tahun?</text></questiontext>
    <answer fraction="100"><text>20</text><tolerance>0</tolerance></answer>
  </question>
  <question type="matching">
    <name><text>Pasangan</text></name>
    <questiontext format="html"><text>Pasangkan</text></questiontext>
    <subquestion format="html"><text>PNS</text><answer><text>Pegawai tetap</text></answer></subquestion>
    <subquestion format="html"><text>PPPK</text><answer><text>Pegawai kontrak</text></answer></subquestion>
  </question>
  <question type="ordering">
    <name><text>Urutan</text></name>
    <questiontext format="html"><text>Urutkan golongan</text></questiontext>
    <answer fraction="3"><text>III/c</text></answer>
    <answer fraction="1"><text>III/a</text></answer>
    <answer fraction="2"><text>III/b</text></answer>
  </question>
  <question type="essay">
    <name><text>Esai</text></name>
    <questiontext format="html"><text>Uraikan.</text></questiontext>
    <graderinfo format="html"><text>Minimal 3 poin</text></graderinfo>
  </question>
  <question type="calculated">
    <name><text>Rumus</text></name>
    <questiontext format="html"><text>{a} + {b}?</text></questiontext>
  </question>
  <question type="multichoice">
    <name><text>Tanpa kunci</text></name>
    <questiontext format="html"><text>Pilih</text></questiontext>
    <single>true</single>
    <answer fraction="0"><text>a</text></answer>
    <answer fraction="0"><text>b</text></answer>
  </question>
</quiz>
"""


def test_moodle_xml_parses_types_categories_tags_and_reports_unsupported():
    drafts, problems = moodle_xml.parse(MOODLE_XML.encode())
    by_name = {draft.name: draft for _index, draft in drafts}
    multi = by_name["Nilai dasar"]
    assert multi.qtype == "multiple" and multi.default_mark == 2
    assert [o.credit for o in multi.options] == [50, 50, -100]
    assert multi.tags == ["etika"] and multi.category_path == ["Etika", "ASN"]
    assert multi.warnings  # the image could not be imported; the question still is
    assert "<img" not in multi.text or "PLUGINFILE" in multi.text
    assert by_name["TF"].correct_true is True and by_name["TF"].false_feedback == "Salah"
    assert by_name["Singkatan"].case_sensitive is True
    assert [o.text for o in by_name["Urutan"].options] == ["III/a", "III/b", "III/c"]
    assert by_name["Esai"].grader_info == "Minimal 3 poin"
    assert [(p.index, p.name) for p in problems] == [(8, "Rumus")]


@pytest.mark.parametrize(
    "content",
    [
        b"<quiz><question type='multichoice'>",  # truncated
        b"not xml at all",
        b"<quizzes/>",
        b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><quiz>&b;</quiz>',
    ],
)
def test_broken_or_hostile_xml_is_reported_not_crashed(content):
    drafts, problems = moodle_xml.parse(content)
    assert drafts == []
    assert len(problems) == 1 and problems[0].reason


@pytest.mark.django_db
def test_import_creates_questions_and_lists_what_was_not_imported():
    root = CategoryFactory(name="Impor")
    report = importing.questions_import(filename="bank.gift", content=GIFT_FILE.encode(), category=root)
    assert report.format_name == "GIFT"
    assert len(report.created) == 9
    assert [p.name for p in report.problems] == ["Deskripsi saja", "Cloze", "Angka rusak"]
    category = QuestionCategory.objects.get(name="Pelayanan Publik")
    assert category.get_parent() == root
    assert Question.objects.filter(category=category).count() == 9
    for _index, question, _warnings in report.created:
        assert question.current_version is not None  # every imported question is gradable right away


@pytest.mark.django_db
def test_xml_import_rejects_incomplete_questions_per_question():
    root = CategoryFactory(name="Impor XML")
    report = importing.questions_import(filename="soal.xml", content=MOODLE_XML.encode(), category=root)
    assert report.format_name == "Moodle XML"
    assert len(report.created) == 7
    assert [(p.index, p.name) for p in report.problems] == [(8, "Rumus"), (9, "Tanpa kunci")]
    assert "100" in report.problems[1].reason
    assert Question.objects.get(name="Nilai dasar").tags.names().first() == "etika"


@pytest.mark.django_db
def test_export_then_import_round_trips_every_type():
    root = CategoryFactory(name="Asal")
    originals = [factory(category=root) for factory in ALL_TYPES]
    xml = moodle_xml.export([(["Asal"], Question.objects.filter(category=root).prefetch_related("options", "tags"))])
    target = CategoryFactory(name="Tujuan")
    report = importing.questions_import(filename="export.xml", content=xml, category=target)
    assert report.problems == []
    assert len(report.created) == len(originals)
    copies = {q.name: q for q in Question.objects.filter(category__path__startswith=target.path)}
    for original in originals:
        copy = copies[original.name]
        a, b = original.current_version.data, copy.current_version.data
        assert a["type"] == b["type"]
        assert [(o["text"], Decimal(o["credit"]), o["match"], Decimal(o["tolerance"])) for o in a["options"]] == [
            (o["text"], Decimal(o["credit"]), o["match"], Decimal(o["tolerance"])) for o in b["options"]
        ]
        assert a["correct_true"] == b["correct_true"]
        # The same response earns the same grade on the copy.
        if a["type"] == "single":
            right = [o for o in a["options"] if Decimal(o["credit"]) == 100][0]
            right_copy = [o for o in b["options"] if o["text"] == right["text"]][0]
            assert grading.grade(a, right["id"]) == grading.grade(b, right_copy["id"]) == 1
