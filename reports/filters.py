"""The filter forms of the reports; their choices are limited to what the viewer's scope covers.

The filtersets only parse and validate the query string (so every filter lives in the URL); the
selectors in ``reports/selectors.py`` do the filtering.
"""

import django_filters
from django import forms
from django.db.models import Q
from django.forms.utils import flatatt
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from courses.models import CourseCategory, CoursePage, ProgressStatus
from people.models import UnitKerja
from quizzes.models import QuizPage, QuizRole
from reports import selectors
from reports.scoping import Scope


class PlainSelect(forms.Select):
    """A select written out in Python. Django renders one template per option, which for the
    province's 600 units costs more than the report's queries."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = "" if value in (None, "") else str(value)
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((str(option), " selected" if str(option) == chosen else "", label) for option, label in self.choices),
        )
        return format_html("<select{}>{}</select>", flatatt(final_attrs), options)


class UnitChoiceFilter(django_filters.ModelChoiceFilter):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("work unit (with sub-units)"))
        super().__init__(queryset=UnitKerja.objects.all(), widget=PlainSelect, **kwargs)


def _year_choices():
    return [(year, str(year)) for year in selectors.year_choices()]


class ReportFilterSet(WagtailFilterSet):
    """Base: a unit filter limited to the scope's subtrees; the scope comes from the view."""

    unit = UnitChoiceFilter()

    def __init__(self, data=None, queryset=None, *, scope: Scope, **kwargs):
        # The filterset never filters (the selectors do), but django-filter wants a queryset.
        super().__init__(data, queryset if queryset is not None else UnitKerja.objects.none(), **kwargs)
        self.scope = scope
        field = self.form.fields["unit"]
        field.queryset = UnitKerja.objects.filter(scope.units()).order_by("path")
        # The scope's units are read once, for the options and for ``unit_labels`` (which the rows and
        # the exports use too); the queryset only validates a chosen unit. An option is indented as
        # in the tree and named with the units above, so that a chosen "BKPSDM" still says whose.
        field.widget.choices = self._unit_options  # read when drawn: an export has no options
        if "course" in self.form.fields:
            courses = CoursePage.objects.filter(scope.courses()).order_by("title")
            self.form.fields["course"].queryset = courses

    @cached_property
    def _scope_units(self) -> list[tuple]:
        return list(self.form.fields["unit"].queryset.values_list("pk", "path", "depth", "name"))

    @cached_property
    def unit_labels(self) -> dict[str, str]:
        return UnitKerja.labels((path, name) for _pk, path, _depth, name in self._scope_units)

    def _unit_options(self):
        labels = self.unit_labels
        options = ((pk, "\u00a0\u00a0" * (depth - 1) + labels[path]) for pk, path, depth, _name in self._scope_units)
        return [("", self.form.fields["unit"].empty_label), *options]

    def values(self) -> dict:
        """The valid, non-empty filters; an invalid one (e.g. a unit outside the scope) is dropped and
        its error shown on the form."""
        self.is_valid()
        values = {
            name: value
            for name, value in self.form.cleaned_data.items()
            if name not in self.form.errors and value not in (None, "")
        }
        if "year" in values:
            values["year"] = int(values["year"])
        return values


class YearFilterMixin(django_filters.FilterSet):
    year = django_filters.ChoiceFilter(choices=_year_choices, empty_label=_("This year"), label=_("year"))


def _course_filter():
    """A course choice; ``ReportFilterSet`` narrows it to the courses in the viewer's scope."""
    return django_filters.ModelChoiceFilter(queryset=CoursePage.objects.none(), label=_("course"), widget=PlainSelect)


class ParticipantsFilterSet(YearFilterMixin, ReportFilterSet):
    """The people of one course."""

    status = django_filters.ChoiceFilter(choices=ProgressStatus.choices, label=_("progress"))


class CourseCompletionFilterSet(ParticipantsFilterSet):
    """Every course: completion per course, and the people of every course."""

    course = _course_filter()
    category = django_filters.ModelChoiceFilter(queryset=CourseCategory.objects.all(), label=_("category"))


def _band_choices():
    return list(selectors.JPBand.labels().items())


def _activation_choices():
    return list(selectors.Activation.labels().items())


class JPComplianceFilterSet(YearFilterMixin, ReportFilterSet):
    band = django_filters.ChoiceFilter(choices=_band_choices, label=_("20 JP status"))
    activation = django_filters.ChoiceFilter(choices=_activation_choices, label=_("activation"))


class QuizResultsFilterSet(ReportFilterSet):
    course = _course_filter()
    quiz = django_filters.ModelChoiceFilter(queryset=CoursePage.objects.none(), label=_("quiz"), widget=PlainSelect)
    passed = django_filters.BooleanFilter(label=_("passed"))
    role = django_filters.ChoiceFilter(label=_("quiz role"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["role"].choices = [("", "---------"), *QuizRole.choices]
        quizzes = QuizPage.objects.order_by("title")
        if self.scope.courses():  # a trainer: the quizzes below their own courses
            below = Q(pk__in=[])
            for path in CoursePage.objects.filter(self.scope.courses()).values_list("path", flat=True):
                below |= Q(path__startswith=path)
            quizzes = quizzes.filter(below)
        self.form.fields["quiz"].queryset = quizzes


class SIASNFilterSet(ReportFilterSet):
    completed = django_filters.DateFromToRangeFilter(
        label=_("completed between"), widget=DateRangePickerWidget, help_text=_("Empty: this year so far.")
    )


class OverviewFilterSet(YearFilterMixin, ReportFilterSet):
    pass
