"""Wagtail admin for the quiz engine: the question bank (Bank Soal), overrides, and the trainers' and
supervisors' quiz screens (results, statistics, grading, regrade, gains, import/export)."""

import django_filters
from django.db.models import Q
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from taggit.models import Tag
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.widgets import Button
from wagtail.log_actions import LogFormatter
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from lms.filters import SubtreeFilter
from lms.scoped_admin import ScopedPermissionPolicy, ScopedViewSetMixin
from lms.scoping import scope_for
from quizzes import admin_urls
from quizzes.admin_forms import QuestionCategoryForm, QuestionForm, QuizOverrideForm
from quizzes.choosers import QuestionChooserViewSet
from quizzes.models import Question, QuestionCategory, QuestionType, QuizOverride, QuizPage


def overrides_in_scope(user):
    """Overrides on the quizzes of the trainer's courses (all for Admin BPSDM): ``lms/scoping.py``."""
    return scope_for(user).pages(path_field="quiz__path")


def shared_bank(user):
    """The question bank is the province's, shared by every trainer (questions belong to no course):
    whoever holds the model permissions sees all of it, and nobody else (choosers included)."""
    return Q()


# Registered before the viewsets below ask for their models' policies.
register_permission_policy(
    QuizOverride, ScopedPermissionPolicy(QuizOverride, rows=overrides_in_scope), exact_class=True
)
register_permission_policy(Question, ScopedPermissionPolicy(Question, rows=shared_bank), exact_class=True)
register_permission_policy(
    QuestionCategory, ScopedPermissionPolicy(QuestionCategory, rows=shared_bank), exact_class=True
)


class QuestionFilterSet(WagtailFilterSet):
    category = SubtreeFilter(queryset=QuestionCategory.objects.all(), label=_("category (with subcategories)"))
    qtype = django_filters.ChoiceFilter(choices=QuestionType.choices, label=_("question type"))
    tags = django_filters.ModelMultipleChoiceFilter(
        queryset=Tag.objects.filter(quizzes_questiontag_items__isnull=False).distinct(),
        field_name="tags",
        label=_("tags"),
    )

    class Meta:
        model = Question
        fields = ["category", "qtype", "tags"]


class QuestionViewSet(ScopedViewSetMixin, SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = _("Questions")
    list_display = ["name", "qtype", "category", "version_number", "updated_at"]
    list_per_page = 50
    search_fields = ["name", "text"]
    search_backend_name = None  # plain ORM search: imported questions are found at once
    filterset_class = QuestionFilterSet
    ordering = ["category__path", "name"]
    chooser_viewset_class = QuestionChooserViewSet  # search, filters, several at once (quizzes/choosers.py)
    chooser_per_page = 25
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


class QuestionCategoryViewSet(ScopedViewSetMixin, SnippetViewSet):
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


class QuizOverrideFilterSet(WagtailFilterSet):
    class Meta:
        model = QuizOverride
        fields = ["quiz"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.request is not None:  # only the quizzes of this person's courses
            self.filters["quiz"].queryset = QuizPage.objects.filter(scope_for(self.request.user).pages())


class QuizOverrideViewSet(ScopedViewSetMixin, SnippetViewSet):
    model = QuizOverride
    icon = "time"
    menu_label = _("Overrides")
    list_display = ["quiz", "user", "extra_attempts", "close_at", "time_limit_minutes", "reason"]
    filterset_class = QuizOverrideFilterSet
    search_fields = ["reason", "user__username", "user__asn_profile__full_name"]
    search_backend_name = None
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("quiz"), FieldPanel("user")]),
            FieldRowPanel([FieldPanel("extra_attempts"), FieldPanel("close_at"), FieldPanel("time_limit_minutes")]),
            FieldPanel("reason"),
        ],
        base_form_class=QuizOverrideForm,
    )

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


# (label, URL name, icon, menu name, permission that shows it), in menu order from 260.
MENU_ITEMS = [
    (_("Quiz results"), "quizzes_admin:index", "table", "quiz-results", "quizzes.view_quiz_results"),
    (_("Essays to grade"), "quizzes_admin:grading_queue", "edit", "quiz-grading", "quizzes.grade_attempts"),
    (_("Import questions"), "quizzes_admin:import", "upload", "quiz-import", "quizzes.add_question"),
    (_("Export questions"), "quizzes_admin:export", "download", "quiz-export", "quizzes.view_question"),
]


def _register_menu_item(order, label, url_name, icon, name, permission):
    hooks.register(
        "register_admin_menu_item",
        lambda: PermissionMenuItem(
            label, reverse(url_name), icon_name=icon, order=order, name=name, permission=permission
        ),
    )


for _order, _item in enumerate(MENU_ITEMS, start=260):
    _register_menu_item(_order, *_item)


@hooks.register("register_log_actions")
def register_quiz_log_actions(actions):
    """Staff changes to learners' records (``quizzes.services``), in the object's history and the site log.
    Saving and submitting are the learner's own and not logged."""

    @actions.register_action("quizzes.attempt.grade")
    class GradeEssay(LogFormatter):
        label = _("Grade an essay")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            return _("Question %(question)s graded: %(mark)s marks") % {
                "question": data.get("question", "?"),
                "mark": data.get("mark", "?"),
            }

    @actions.register_action("quizzes.quiz.regrade")
    class RegradeQuiz(LogFormatter):
        label = _("Regrade the quiz")

        def format_message(self, log_entry):
            count = len((log_entry.data or {}).get("attempts", []))
            return ngettext("Regraded: %(count)s attempt changed", "Regraded: %(count)s attempts changed", count) % {
                "count": count
            }


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
