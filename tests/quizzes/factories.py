"""Factories for the quiz engine's tests: categories, questions of every type, quiz pages."""

import itertools
from decimal import Decimal

import factory

from quizzes.models import Question, QuestionCategory, QuestionOption
from tests.factories import create_tree_node

_names = itertools.count(1)


class CategoryFactory(factory.django.DjangoModelFactory):
    """A root category, or a child when ``parent=`` is given (treebeard)."""

    class Meta:
        model = QuestionCategory

    name = factory.Sequence(lambda n: f"Kategori {n}")

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        return create_tree_node(model_class, parent=parent, **kwargs)


def make_question(qtype: str, options=(), *, category=None, tags=(), **fields) -> Question:
    """A saved question (with its first version). ``options``: dicts of QuestionOption fields."""
    question = Question(
        category=category or CategoryFactory(),
        qtype=qtype,
        name=fields.pop("name", f"Soal {next(_names)}"),
        text=fields.pop("text", "<p>Pertanyaan?</p>"),
        **fields,
    )
    question.options = [
        QuestionOption(sort_order=index, **{"credit": Decimal("0"), **option}) for index, option in enumerate(options)
    ]
    if tags:
        question.tags.set(list(tags))
    question.save()
    return question


def single_choice(**fields) -> Question:
    return make_question(
        "single",
        [
            {"text": "Benar", "credit": 100, "feedback": "Tepat sekali"},
            {"text": "Salah satu", "credit": 0, "feedback": "Kurang tepat"},
            {"text": "Salah dua", "credit": 0},
        ],
        **fields,
    )


def multiple_choice(**fields) -> Question:
    return make_question(
        "multiple",
        [
            {"text": "A", "credit": 50},
            {"text": "B", "credit": 50},
            {"text": "C", "credit": -50},
            {"text": "D", "credit": -50},
        ],
        **fields,
    )


def true_false(correct=True, **fields) -> Question:
    return make_question("truefalse", correct_true=correct, **fields)


def short_answer(**fields) -> Question:
    return make_question(
        "shortanswer", [{"text": "Jambi", "credit": 100}, {"text": "Kota Jambi", "credit": 100}], **fields
    )


def numerical(**fields) -> Question:
    return make_question("numerical", [{"text": "20", "credit": 100, "tolerance": 0}], **fields)


def matching(**fields) -> Question:
    return make_question(
        "matching",
        [
            {"text": "Kerinci", "match_text": "Sungai Penuh"},
            {"text": "Bungo", "match_text": "Muara Bungo"},
            {"text": "Merangin", "match_text": "Bangko"},
        ],
        **fields,
    )


def ordering(**fields) -> Question:
    return make_question("ordering", [{"text": "Satu"}, {"text": "Dua"}, {"text": "Tiga"}], **fields)


def essay(**fields) -> Question:
    return make_question("essay", **fields)


ALL_TYPES = [single_choice, multiple_choice, true_false, short_answer, numerical, matching, ordering, essay]


# --- course trees with quizzes -------------------------------------------------------------------

_slugs = itertools.count(1)


def _home_page():
    """Transactional tests may find the tables flushed: rebuild locale, root, home page and site."""
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Locale, Page, Site

    from lms.models import HomePage

    ContentType.objects.clear_cache()  # the cached ids may point at flushed rows
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root")
    home = root.add_child(instance=HomePage(title="Beranda", slug="beranda"))
    Site.objects.update_or_create(is_default_site=True, defaults={"hostname": "localhost", "root_page": home})
    return home


def course_with_module(*, title="Pelayanan Publik Prima", enrolment_mode="open"):
    """A live CourseIndexPage → CoursePage → ModulePage below the site's home page."""
    from courses.models import CourseIndexPage, CoursePage, ModulePage
    from lms.models import HomePage

    home = HomePage.objects.first() or _home_page()
    index = CourseIndexPage.objects.first()
    if index is None:
        index = home.add_child(instance=CourseIndexPage(title="Katalog Kursus", slug="katalog"))
    n = next(_slugs)
    course = index.add_child(
        instance=CoursePage(
            title=title, slug=f"kursus-{n}", summary="Ringkasan", jp_value=10, enrolment_mode=enrolment_mode
        )
    )
    module = course.add_child(instance=ModulePage(title="Modul 1", slug=f"modul-{n}"))
    return course, module


def quiz_page(parent, questions=(), *, marks=None, draws=(), **settings):
    """A live QuizPage under ``parent`` with these chosen questions (and optional random draws)."""
    from quizzes.models import QuizPage, QuizQuestion, QuizRandomDraw

    defaults = {
        "title": "Kuis Modul 1",
        "slug": f"kuis-{next(_slugs)}",
        "shuffle_options": False,
        "questions_per_page": 0,
        "pass_mark": Decimal("60"),
    }
    quiz = QuizPage(**{**defaults, **settings})
    quiz.quiz_questions = [
        QuizQuestion(question=question, mark=(marks[index] if marks else None), sort_order=index)
        for index, question in enumerate(questions)
    ]
    quiz.random_draws = [QuizRandomDraw(sort_order=index, **draw) for index, draw in enumerate(draws)]
    parent.add_child(instance=quiz)
    return quiz


def enrolled_learner(course=None, *, unit=None, **user_fields):
    """A learner (Peserta with an ASN profile), enrolled in ``course`` when given."""
    from courses.services import enrolment_create
    from people.roles import PESERTA
    from tests.factories import ASNProfileFactory, UserFactory

    extra = {"unit": unit} if unit is not None else {}
    profile = ASNProfileFactory(user=UserFactory(roles=[PESERTA], **user_fields), **extra)
    if course is not None:
        enrolment_create(user=profile.user, course=course)
    return profile.user


def ethics_bank() -> dict:
    """Etika > Integritas, with a single-choice question in Etika and a true/false one in Integritas
    (both tagged, the second also "kpk"): the bank the question-chooser tests search and filter."""
    ethics = CategoryFactory(name="Etika")
    integrity = CategoryFactory(name="Integritas", parent=ethics)
    return {
        "ethics": ethics,
        "integrity": integrity,
        "nilai": make_question(
            "single",
            [{"text": "BerAKHLAK", "credit": 100}, {"text": "Lain"}],
            name="Nilai dasar ASN",
            text="<p>Apa nilai dasar ASN?</p>",
            category=ethics,
            tags=["asn"],
        ),
        "gratifikasi": make_question(
            "truefalse",
            name="Gratifikasi",
            text="<p>Menerima hadiah dari pemohon layanan dibolehkan.</p>",
            category=integrity,
            tags=["asn", "kpk"],
        ),
    }
