"""Wagtail admin forms of the question bank: tree placement of categories, complete questions only."""

from django import forms
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from lms.scoping import scope_for
from quizzes import authoring, qtypes
from quizzes.models import QuestionCategory, QuizPage


class QuestionCategoryForm(WagtailAdminModelForm):
    """Treebeard nodes are placed with ``add_child``/``move``, not by saving a parent field."""

    parent = forms.ModelChoiceField(
        queryset=QuestionCategory.objects.all(),
        required=False,
        label=_("parent category"),
        help_text=_("Leave empty for a top-level category."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["parent"].initial = self.instance.get_parent()
            self.fields["parent"].queryset = QuestionCategory.objects.exclude(path__startswith=self.instance.path)
        self.fields["parent"].label_from_instance = lambda category: category.indented_name

    @transaction.atomic
    def save(self, commit=True):
        category = super().save(commit=False)
        parent = self.cleaned_data.get("parent")
        if category.pk is None:
            category = parent.add_child(instance=category) if parent else QuestionCategory.add_root(instance=category)
        else:
            category.save()
            if parent != category.get_parent():
                if parent:
                    category.move(parent, pos="sorted-child")
                else:
                    category.move(QuestionCategory.get_first_root_node(), pos="sorted-sibling")
            category.refresh_from_db()
        self.instance = category
        return category


class QuestionForm(WagtailAdminModelForm):
    """Refuses a question that could not be answered or graded (e.g. a choice question without a right
    option), with the reason in Bahasa Indonesia; nothing is saved until it is complete."""

    def clean(self):
        cleaned = super().clean()
        qtype = cleaned.get("qtype")
        formset = self.formsets.get("options")
        if not qtype or formset is None or not all(form.is_valid() for form in formset.forms):
            return cleaned
        rows = [
            {
                "text": form.cleaned_data.get("text", ""),
                "credit": form.cleaned_data.get("credit") or 0,
                "match": form.cleaned_data.get("match_text", ""),
                "tolerance": form.cleaned_data.get("tolerance") or 0,
            }
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if not qtypes.get(qtype).has_options:
            if rows:
                self.add_error(None, _("True/false and essay questions have no answer options; remove them."))
            return cleaned
        for problem in authoring.option_problems(qtype, rows):
            self.add_error(None, problem)
        return cleaned


class QuizOverrideForm(WagtailAdminModelForm):
    """An override only on a quiz of the editor's own courses, for a learner in their scope
    (``lms/scoping.py``): the choices are narrowed, so a posted id outside them is refused."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scope = scope_for(self.for_user) if self.for_user is not None else None
        if scope is None:
            return
        if "quiz" in self.fields:
            self.fields["quiz"].queryset = QuizPage.objects.filter(scope.pages())
        if "user" in self.fields:
            people = scope.people(unit_field="asn_profile__unit", user_field="pk")
            self.fields["user"].queryset = get_user_model().objects.filter(people).order_by("username")
