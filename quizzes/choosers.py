"""The question chooser of the quiz editor: search, filters by category, type and tag, and the question's
type, category, tags and text in the list. It is Wagtail's snippet chooser, so ``MultipleChooserPanel`` on
the quiz page opens it in Wagtail's own multiple-selection mode (``?multiple=1``: tick several, confirm)."""

from django import forms
from django.db.models import Q
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.chooser import ChooseResultsView, ChooseView, SnippetChooserViewSet

from quizzes.models import Question, QuestionCategory, QuestionType

# Wagtail's chooser script re-runs the search when a control marked like this changes.
FILTER_ATTRS = {"data-chooser-modal-search-filter": True}


class QuestionFilterForm(BaseFilterForm):
    # "q" (id_q) is the field Wagtail's chooser script searches with as the editor types.
    q = forms.CharField(
        label=_("Search term"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Name or question text")}),
    )
    category = forms.ModelChoiceField(
        queryset=QuestionCategory.objects.order_by("path"),
        required=False,
        label=_("category (with subcategories)"),
        empty_label=_("All categories"),
        widget=forms.Select(attrs=FILTER_ATTRS),
    )
    qtype = forms.ChoiceField(
        choices=[("", _("All types")), *QuestionType.choices],
        required=False,
        label=_("question type"),
        widget=forms.Select(attrs=FILTER_ATTRS),
    )
    tag = forms.ModelChoiceField(
        queryset=Tag.objects.filter(quizzes_questiontag_items__isnull=False).distinct().order_by("name"),
        required=False,
        label=_("tag"),
        empty_label=_("All tags"),
        widget=forms.Select(attrs=FILTER_ATTRS),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].label_from_instance = lambda category: category.indented_name

    def filter(self, objects):
        data = self.cleaned_data
        if data.get("q"):
            objects = objects.filter(Q(name__icontains=data["q"]) | Q(text__icontains=data["q"]))
            self.is_searching = True
            self.search_query = data["q"]
        if data.get("category"):
            objects = objects.filter(category__path__startswith=data["category"].path)
        if data.get("qtype"):
            objects = objects.filter(qtype=data["qtype"])
        if data.get("tag"):
            objects = objects.filter(tags=data["tag"])
        if data.get("category") or data.get("qtype") or data.get("tag"):
            self.is_searching = True  # "no results" then says that nothing matched, not that the bank is empty
        return objects


def _tag_names(question: Question) -> str:
    return ", ".join(sorted(tag.name for tag in question.tags.all()))


def _plain_text(question: Question) -> str:
    return Truncator(strip_tags(question.text)).chars(90)


class QuestionChooseMixin:
    filter_form_class = QuestionFilterForm
    ordering = ["category__path", "name", "pk"]

    def get_object_list(self):
        # One query for the page of questions plus one for their tags, however many are listed.
        return Question.objects.select_related("category").prefetch_related("tags")

    @property
    def columns(self):
        return [
            *super().columns,
            Column("qtype", label=_("Type"), accessor="get_qtype_display"),
            Column("category", label=_("Category"), accessor="category.name"),
            Column("tags", label=_("Tags"), accessor=_tag_names),
            Column("text", label=_("Question text"), accessor=_plain_text),
        ]


class QuestionChooseView(QuestionChooseMixin, ChooseView):
    pass


class QuestionChooseResultsView(QuestionChooseMixin, ChooseResultsView):
    pass


class QuestionChooserViewSet(SnippetChooserViewSet):
    choose_view_class = QuestionChooseView
    choose_results_view_class = QuestionChooseResultsView
