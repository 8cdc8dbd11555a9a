"""Wagtail admin for the quiz engine: the question bank (Bank Soal), overrides, and the trainers' and
supervisors' quiz screens (results, statistics, grading, regrade, gains, import/export)."""

import django_filters
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from quizzes import admin_urls
from quizzes.admin_forms import QuestionCategoryForm, QuestionForm
from quizzes.models import Question, QuestionCategory, QuestionType, QuizOverride, QuizPage


class CategorySubtreeFilter(django_filters.ModelChoiceFilter):
    """Questions in a category and every category below it (one indexed path-prefix condition)."""

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(category__path__startswith=value.path)


class QuestionFilterSet(WagtailFilterSet):
    category = CategorySubtreeFilter(queryset=QuestionCategory.objects.all(), label=_("category (with subcategories)"))
    qtype = django_filters.ChoiceFilter(choices=QuestionType.choices, label=_("question type"))
    tags = django_filters.ModelMultipleChoiceFilter(
        queryset=Tag.objects.filter(quizzes_questiontag_items__isnull=False).distinct(),
        field_name="tags",
        label=_("tags"),
    )

    class Meta:
        model = Question
        fields = ["category", "qtype", "tags"]


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = _("Questions")
    list_display = ["name", "qtype", "category", "version_number", "updated_at"]
    list_per_page = 50
    search_fields = ["name", "text"]
    search_backend_name = None  # plain ORM search: imported questions are found at once
    filterset_class = QuestionFilterSet
    ordering = ["category__path", "name"]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [FieldRowPanel([FieldPanel("category"), FieldPanel("qtype")]), FieldPanel("name"), FieldPanel("tags")],
                heading=_("Question"),
            ),
            FieldPanel("text"),
            FieldRowPanel([FieldPanel("default_mark"), FieldPanel("shuffle_options")]),
            InlinePanel(
                "options",
                heading=_("Answer options"),
                label=_("option"),
                help_text=_("Choice, short answer, numerical, matching and ordering questions."),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("correct_true"),
                    FieldRowPanel([FieldPanel("true_feedback"), FieldPanel("false_feedback")]),
                ],
                heading=_("True/false"),
            ),
            MultiFieldPanel([FieldPanel("case_sensitive"), FieldPanel("ignore_spaces")], heading=_("Short answer")),
            MultiFieldPanel([FieldPanel("response_template"), FieldPanel("grader_info")], heading=_("Essay")),
            FieldPanel("general_feedback"),
        ],
        base_form_class=QuestionForm,
    )

    def get_queryset(self, request):
        return Question.objects.select_related("category", "current_version")


class QuestionCategoryViewSet(SnippetViewSet):
    model = QuestionCategory
    icon = "folder-open-inverse"
    menu_label = _("Categories")
    list_display = ["indented_name", "description"]
    list_per_page = 100
    search_fields = ["name"]
    search_backend_name = None
    ordering = ["path"]
    edit_handler = ObjectList(
        [FieldPanel("parent"), FieldPanel("name"), FieldPanel("description")], base_form_class=QuestionCategoryForm
    )


class QuizOverrideViewSet(SnippetViewSet):
    model = QuizOverride
    icon = "time"
    menu_label = _("Overrides")
    list_display = ["quiz", "user", "extra_attempts", "close_at", "time_limit_minutes", "reason"]
    list_filter = ["quiz"]
    search_fields = ["reason", "user__username", "user__asn_profile__full_name"]
    search_backend_name = None
    panels = [
        FieldRowPanel([FieldPanel("quiz"), FieldPanel("user")]),
        FieldRowPanel([FieldPanel("extra_attempts"), FieldPanel("close_at"), FieldPanel("time_limit_minutes")]),
        FieldPanel("reason"),
    ]

    def get_queryset(self, request):
        return QuizOverride.objects.select_related("quiz", "user")


class QuestionBankGroup(SnippetViewSetGroup):
    items = (QuestionViewSet, QuestionCategoryViewSet, QuizOverrideViewSet)
    menu_icon = "help"
    menu_label = _("Question bank")
    menu_name = "question-bank"
    menu_order = 250


register_snippet(QuestionBankGroup)


@hooks.register("register_admin_urls")
def register_quiz_admin_urls():
    return [path("kuis/", include((admin_urls.urlpatterns, "quizzes_admin"), namespace="quizzes_admin"))]


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_menu_item")
def quiz_results_menu_item():
    return PermissionMenuItem(
        _("Quiz results"),
        reverse("quizzes_admin:index"),
        icon_name="table",
        order=260,
        name="quiz-results",
        permission="quizzes.view_quiz_results",
    )


@hooks.register("register_admin_menu_item")
def grading_menu_item():
    return PermissionMenuItem(
        _("Essays to grade"),
        reverse("quizzes_admin:grading_queue"),
        icon_name="edit",
        order=261,
        name="quiz-grading",
        permission="quizzes.grade_attempts",
    )


@hooks.register("register_admin_menu_item")
def import_menu_item():
    return PermissionMenuItem(
        _("Import questions"),
        reverse("quizzes_admin:import"),
        icon_name="upload",
        order=262,
        name="quiz-import",
        permission="quizzes.add_question",
    )


@hooks.register("register_admin_menu_item")
def export_menu_item():
    return PermissionMenuItem(
        _("Export questions"),
        reverse("quizzes_admin:export"),
        icon_name="download",
        order=263,
        name="quiz-export",
        permission="quizzes.view_question",
    )


@hooks.register("register_page_header_buttons")
def quiz_page_buttons(page, user, view_name, next_url=None):
    """On a quiz page in the admin: straight to its results and statistics."""
    if not isinstance(page.specific_deferred, QuizPage) or not user.has_perm("quizzes.view_quiz_results"):
        return
    yield Button(_("Results"), reverse("quizzes_admin:results", args=[page.pk]), icon_name="table", priority=80)
    if user.has_perm("quizzes.grade_attempts"):
        yield Button(
            _("Item analysis"), reverse("quizzes_admin:statistics", args=[page.pk]), icon_name="table", priority=81
        )
