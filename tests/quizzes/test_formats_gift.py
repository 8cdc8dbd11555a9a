"""GIFT import against Moodle's parser and documentation: numerical feedback and ranges, the [format]
markers, comment tags, clean default names, escapes, categories, line endings, and one clear
Indonesian reason (with the line) for every question that is refused while the others still import."""

from decimal import Decimal

import pytest
from django.utils import translation

from quizzes import grading, importing
from quizzes.formats import gift
from quizzes.models import Question, QuestionCategory
from tests.quizzes.factories import CategoryFactory


def one(source: str):
    drafts, problems = gift.parse(source)
    assert problems == [], problems
    assert len(drafts) == 1
    return drafts[0][1]


def options(draft):
    return [(o.text, o.credit, o.feedback, o.tolerance) for o in draft.options]


# --- numerical -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # Moodle's own fixture: a wrong-answer feedback after "~" is an "any other answer" row.
        (
            "::Q5:: What is a number from 1 to 5? {#3:2~#Completely wrong}",
            [("3", 100, "", 2), ("*", 0, "Completely wrong", 0)],
        ),
        (
            "Berapa? {#=3:0#ok =%50%3:1#near ~#no}",
            [("3", 100, "ok", 0), ("3", 50, "near", 1), ("*", 0, "no", 0)],
        ),
        ("What is a number from 1 to 5? {#1..5}", [("3", 100, "", 2)]),
        ("Pi? {#3.141..3.142}", [("3.1415", 100, "", Decimal("0.0005"))]),
        ("Suhu? {#-5..5 #nol}", [("0", 100, "nol", 5)]),
        ("Tahun lahir Grant? {#1822}", [("1822", 100, "", 0)]),
        ("Tahun? {#1820:10}", [("1820", 100, "", 10)]),
        (
            "When was Ulysses S. Grant born? {#\n     =1822:0      #Correct! 100% credit\n"
            "     =%50%1822:2  #He was born in 1822.\n                  You get 50% credit for being close.\n}",
            [
                ("1822", 100, "Correct! 100% credit", 0),
                ("1822", 50, "He was born in 1822.\n                  You get 50% credit for being close.", 2),
            ],
        ),
    ],
)
def test_numerical_answers_feedback_and_ranges_as_moodle(source, expected):
    draft = one(source)
    assert draft.qtype == "numerical"
    assert options(draft) == [(t, Decimal(c), f, Decimal(tol)) for t, c, f, tol in expected]


def test_numerical_wrong_answer_feedback_grades_and_explains_a_wrong_answer():
    draft = one("Berapa JP per tahun? {#20:0#Tepat~#Minimal 20 JP menurut PP 17/2020}")
    data = {
        "type": "numerical",
        "options": [{"text": o.text, "credit": o.credit, "tolerance": o.tolerance} for o in draft.options],
    }
    assert grading.grade(data, "20") == 1
    assert grading.grade(data, "10") == 0
    assert grading.matching_option(data, Decimal("10"))["text"] == "*"


# --- [html] [plain] [moodle] [markdown] ------------------------------------------------------------


def test_html_marker_keeps_markup_and_pre_blocks():
    draft = one(
        "::Kode::[html]The next lines are in a pre tag.<br/>\n<pre>\n   if x &lt; 10:\n       print(x)\n</pre>"
        "\n<p onclick='x()'>Some <b>bold</b></p>{=yellow ~red}"
    )
    assert "[html]" not in draft.text
    assert "<pre>\n   if x &lt; 10:\n       print(x)\n</pre>" in draft.text
    assert "<b>bold</b>" in draft.text and "onclick" not in draft.text


@pytest.mark.parametrize("marker", ["[plain]", "[moodle]", ""])
def test_plain_moodle_and_default_text_is_shown_literally(marker):
    draft = one(f"::Tag::{marker}Which tag makes a <b> link & more?{{=<a> ~<link>#It's <head>}}")
    assert draft.text == "<p>Which tag makes a &lt;b&gt; link &amp; more?</p>"
    assert [(o.text, o.feedback) for o in draft.options] == [("<a>", ""), ("<link>", "It's <head>")]


def test_markdown_marker_becomes_formatted_text():
    draft = one(
        "// ===Specify text format===\n[markdown]Who's buried in **Grant's tomb**?{\n=no one#excellent!\n=nobody}"
    )
    assert draft.text == "<p>Who&#x27;s buried in <strong>Grant&#x27;s tomb</strong>?</p>"
    assert draft.name == "Who's buried in Grant's tomb?"


def test_markdown_subset_never_lets_markup_through():
    draft = one("[markdown]Daftar:\n- *satu* <script>alert(1)</script>\n- `kode <b>`\n[tautan](javascript:alert(1)){T}")
    assert "<script" not in draft.text and "javascript:" not in draft.text.replace("(javascript:", "")
    assert "<ul><li><em>satu</em> &lt;script&gt;" in draft.text
    assert "<code>kode &lt;b&gt;</code>" in draft.text


def test_markers_on_answers_feedback_matching_items_and_general_feedback():
    choice = one(
        "::Q2:: What's between orange and green?{\n =[html]<b>yellow</b> # right; good!\n"
        " ~red # [html]wrong, it&#x27;s <i>yellow</i>\n ~[plain]<blue> # [moodle]wrong <b>x</b>\n"
        "####[html]See <b>PP</b> 17 &amp; 2020}"
    )
    assert [(o.text, o.feedback) for o in choice.options] == [
        ("yellow", "right; good!"),
        ("red", "wrong, it's yellow"),
        ("<blue>", "wrong <b>x</b>"),
    ]
    assert choice.general_feedback == "See PP 17 & 2020"
    matching = one(
        "::Moodle activities::[html]Match the <b>activity</b>.{\n =[html]An <i>asynchronous</i> discussion. -> Forum\n"
        " =[moodle]A choice. -> Choice\n =[plain]A <bank> of records. -> Database\n =[markdown]Web pages. -> Wiki\n"
        " = -> Chat\n}"
    )
    assert [(o.text, o.match) for o in matching.options] == [
        ("An asynchronous discussion.", "Forum"),
        ("A choice.", "Choice"),
        ("A <bank> of records.", "Database"),
        ("Web pages.", "Wiki"),
        ("", "Chat"),
    ]
    tf = one("42?{FALSE#[html]<b>No</b>, 42 &amp; more#[plain]<ok>}")
    assert (tf.correct_true, tf.true_feedback, tf.false_feedback) == (False, "No, 42 & more", "<ok>")


def test_an_unknown_marker_stays_text():
    draft = one("[foo]Teks {T}")
    assert draft.text == "<p>[foo]Teks</p>"


# --- comment tags, names ---------------------------------------------------------------------------


def test_comment_tags_become_tags():
    drafts, problems = gift.parse(
        "// question: 12  name: Asas\n// [id:ASAS-1] [tag:pelayanan] [tag:ASN Jambi]\n// [tag:a\\]b] [tag:Pelayanan]\n"
        "::Asas::Asas pelayanan?{T}\n\n// [tag:lepas]\n\n::Kedua::Tanpa tag {F}\n\n::Ketiga::Teks\n// [tag:di-tengah]\n{T}"
    )
    assert problems == []
    assert [draft.tags for _index, draft in drafts] == [
        ["pelayanan", "ASN Jambi", "a]b", "Pelayanan"],
        [],
        ["di-tengah"],
    ]


@pytest.mark.django_db
def test_comment_tags_are_saved_on_the_question():
    root = CategoryFactory(name="Tag")
    importing.questions_import(
        filename="t.gift", content=b"// [tag:etika] [tag:ASN]\n::Etika::Etika?{T}", category=root
    )
    assert sorted(Question.objects.get(name="Etika").tags.names()) == ["ASN", "etika"]


@pytest.mark.parametrize(
    ("source", "name"),
    [
        ("Who's buried in Grant's tomb?{~Grant ~Jefferson =no one}", "Who's buried in Grant's tomb?"),
        ("[html]<p>Apa <b>asas</b> &amp; tujuan &quot;pelayanan&quot;?</p>{T}", 'Apa asas & tujuan "pelayanan"?'),
        ("Grant is {~buried =entombed ~living} in Grant's tomb.", "Grant is _____ in Grant's tomb."),
        ("Kalimat\nberbaris   dua {T}", "Kalimat berbaris dua"),
        ("x" * 120 + "{T}", "x" * 79 + "…"),
        ("::Rasio 1\\:2 \\& B::Teks {T}", "Rasio 1:2 \\& B"),
    ],
)
def test_names_are_clean_plain_text(source, name):
    assert one(source).name == name


# --- escapes, categories, layout of the file -------------------------------------------------------


def test_escapes():
    draft = one(
        "::GIFT Control Characters::Which is NOT a control character? Use \\{braces\\} and a\\:b.{\n"
        "   ~ \\~     # \\~ is a control character.\n   ~ \\=     # \\= is one.\n   ~ \\#     # \\# too.\n"
        "   ~ \\{ \\}  # braces.\n   = \\\\     # Correct! Line one\\nline two.\n}"
    )
    assert draft.text == "<p>Which is NOT a control character? Use {braces} and a:b.</p>"
    assert [(o.text, o.feedback) for o in draft.options] == [
        ("~", "~ is a control character."),
        ("=", "= is one."),
        ("#", "# too."),
        ("{ }", "braces."),
        ("\\", "Correct! Line one\nline two."),
    ]


@pytest.mark.parametrize(
    ("line", "path"),
    [
        ("$CATEGORY: $course$/top/Pelayanan Publik/Dasar", ["Pelayanan Publik", "Dasar"]),
        ("$CATEGORY: $course$/top/PP 17//2020/Bab 1", ["PP 17/2020", "Bab 1"]),
        ("$CATEGORY: $system$/top/A", ["A"]),
        ("$CATEGORY: Sederhana", ["Sederhana"]),
        ("$CATEGORY: $course$/Default for Kelas A", ["Default for Kelas A"]),
    ],
)
def test_categories(line, path):
    drafts, _problems = gift.parse(f"{line}\n\n::Q::Teks {{T}}")
    assert drafts[0][1].category_path == path


def test_a_question_right_below_the_category_line_is_still_a_question():
    drafts, problems = gift.parse("$CATEGORY: $course$/top/Etika\n::Q::Teks {T}\n\n::R::Teks {F}")
    assert problems == []
    assert [(draft.name, draft.category_path) for _index, draft in drafts] == [("Q", ["Etika"]), ("R", ["Etika"])]


MULTILINE = (
    "// Bank soal\n$CATEGORY: $course$/top/Etika\n\n::Nilai dasar::Manakah nilai dasar ASN\nmenurut UU 20/2023?\n{\n"
    "  =Berorientasi pelayanan#Benar\n  ~Loyal kepada atasan#Bukan\n  ~Kaya raya\n}\n\n::Benar salah::PPPK termasuk ASN.{TRUE}\n"
)


@pytest.mark.parametrize(
    "encoded",
    [
        MULTILINE.encode(),
        MULTILINE.replace("\n", "\r\n").encode(),
        b"\xef\xbb\xbf" + MULTILINE.replace("\n", "\r\n").encode(),
        MULTILINE.replace("\n", "\r").encode(),
        "\ufeff".encode() + MULTILINE.encode(),
    ],
    ids=["lf", "crlf", "bom-crlf", "cr", "bom-lf"],
)
@pytest.mark.django_db
def test_multiline_questions_line_endings_and_bom_give_the_same_questions(encoded):
    root = CategoryFactory(name="Baris")
    report = importing.questions_import(filename="etika.txt", content=encoded, category=root)
    assert report.problems == []
    choice = Question.objects.get(name="Nilai dasar")
    assert choice.text == "<p>Manakah nilai dasar ASN<br>menurut UU 20/2023?</p>"
    assert [(o.text, o.feedback) for o in choice.options.order_by("sort_order")] == [
        ("Berorientasi pelayanan", "Benar"),
        ("Loyal kepada atasan", "Bukan"),
        ("Kaya raya", ""),
    ]
    assert choice.category.name == "Etika"
    assert Question.objects.get(name="Benar salah").correct_true is True


def test_type_is_decided_in_moodles_order():
    # A "~" makes a choice question even when an answer contains "->" (Moodle checks ~ before matching).
    draft = one("Python inheritance?{=class Child(Parent): ~class Child -> Parent: ~class Child from Parent:}")
    assert draft.qtype == "single"
    assert [o.text for o in draft.options][1] == "class Child -> Parent:"
    # Moodle: answers without "=" in a block with no "~" are a short answer.
    short = one("Ibu kota Jambi?{Jambi}")
    assert (short.qtype, options(short)) == ("shortanswer", [("Jambi", 100, "", 0)])


# --- refusals: clear, Indonesian, with the line; the good questions still import --------------------

BROKEN = """// Soal campuran: yang rusak dilaporkan, yang baik tetap diimpor
::Baik satu::Ibu kota Jambi?{=Jambi}

::Kurung tak ditutup::Jumlah JP? {=20

::Warna::Warna merah? {=#ff0000 ~#00ff00 ~#0000ff}

::Template::Apa fungsi {{ variable }}? {=Menampilkan ~Mengulang}

::Angka::Berapa? {#empat puluh}

::Deskripsi::Hanya teks tanpa jawaban.

::Cloze::Kalimat {1:MULTICHOICE:=a~b} rumpang.

::Pasangan::Pasangkan {=A -> 1 =B}

::Baik dua::PPPK adalah ASN.{T}
"""


@pytest.mark.django_db
def test_broken_questions_are_listed_with_line_and_reason_in_indonesian_and_the_rest_imports():
    root = CategoryFactory(name="Campuran")
    with translation.override("id"):
        report = importing.questions_import(filename="campuran.gift", content=BROKEN.encode(), category=root)
    assert sorted(question.name for _index, question, _warnings in report.created) == ["Baik dua", "Baik satu"]
    found = {problem.name: (problem.index, problem.line, problem.reason) for problem in report.problems}
    assert set(found) == {"Kurung tak ditutup", "Warna", "Template", "Angka", "Deskripsi", "Cloze", "Pasangan"}
    assert found["Kurung tak ditutup"][:2] == (2, 4)
    assert found["Pasangan"][:2] == (8, 16)
    assert "tidak ditutup" in found["Kurung tak ditutup"][2]
    assert "\\#" in found["Warna"][2] and "kosong" in found["Warna"][2]
    assert "\\{" in found["Template"][2]
    assert "'empat puluh' bukan angka" in found["Angka"][2]
    assert "deskripsi" in found["Deskripsi"][2]
    assert "'->'" in found["Pasangan"][2]
    for _index, _line, reason in found.values():
        assert reason and "answer" not in reason.lower()  # no English left


@pytest.mark.django_db
def test_the_import_page_shows_the_line_of_a_refused_question(client, django_user_model):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    root = CategoryFactory(name="Halaman")
    admin = django_user_model.objects.create_superuser("admin-gift", "a@example.org", "pw")
    client.force_login(admin)
    response = client.post(
        reverse("quizzes_admin:import"),
        {"file": SimpleUploadedFile("soal.gift", BROKEN.encode()), "category": root.pk},
        HTTP_ACCEPT_LANGUAGE="id",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "(baris 4)" in body and "Kurung tak ditutup" in body
    assert QuestionCategory.objects.filter(name="Halaman").exists()
