"""Trainer and supervisor screens in the Wagtail admin: results per quiz (filter by unit), one attempt in
full, item analysis, regrade with a dry run, the essay grading queue, pre-/post-test gains, and question
import/export. Trainers see the quizzes they may edit; supervisors see results of their units only."""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from lms.redirects import safe_next_url
from lms.scoping import scope_for
from people.models import UnitKerja
from quizzes import importing, qtypes, responses, selectors, services, statistics
from quizzes.formats import moodle_xml
from quizzes.models import Attempt, AttemptSlot, AttemptState, Question, QuestionCategory, QuizPage

FULL_REVEAL = responses.Reveal(correctness=True, feedback=True, right_answers=True, marks=True)


def _require(request, perm: str):
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _quiz_for_results(request, quiz_id: int):
    _require(request, "quizzes.view_quiz_results")
    quiz = get_object_or_404(QuizPage, pk=quiz_id)
    scope = selectors.results_scope(user=request.user, quiz=quiz)
    if scope is False:
        raise Http404
    return quiz, scope


def _quiz_for_trainer(request, quiz_id: int) -> QuizPage:
    """Statistics, regrade, grading: the trainers of the quiz's course (and Admin BPSDM), lms/scoping.py."""
    _require(request, "quizzes.grade_attempts")
    quiz = get_object_or_404(QuizPage, pk=quiz_id)
    if not scope_for(request.user).manages_page(quiz):
        raise Http404
    return quiz


def _render(request, template: str, title: str, context: dict, icon: str = "list-ul"):
    return render(request, template, {"page_title": title, "header_icon": icon, **context})


# --- quizzes and results -------------------------------------------------------------------------


def quiz_index(request):
    _require(request, "quizzes.view_quiz_results")
    quizzes = QuizPage.objects.all()
    scope = scope_for(request.user)
    if not scope.unit_paths:  # supervisors see every quiz their people may take; trainers their courses'
        quizzes = quizzes.filter(scope.pages())
    # Counted over the learners in scope only: a supervisor's numbers are their units'.
    waiting = Q(attempts__state=AttemptState.NEEDS_GRADING)
    results_in_scope = None
    if not scope.everything:
        results_in_scope = scope.rows(course_field="results__course_id", user_field="results__user_id")
        waiting &= scope.rows(course_field="attempts__course_id", user_field="attempts__user_id")
    quizzes = quizzes.annotate(
        learners=Count("results", filter=results_in_scope, distinct=True),
        waiting=Count("attempts", filter=waiting, distinct=True),
    ).order_by("path")
    return _render(request, "quizzes/admin/quiz_index.html", _("Quiz results"), {"quizzes": quizzes})


class UnitFilterForm(forms.Form):
    unit = forms.ModelChoiceField(
        queryset=UnitKerja.objects.none(), required=False, label=gettext_lazy("work unit (with sub-units)")
    )

    def __init__(self, *args, scope=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = UnitKerja.objects.all()
        if scope:
            condition = Q(pk__in=[])
            for path in scope:
                condition |= Q(path__startswith=path)
            units = units.filter(condition)
        self.fields["unit"].queryset = units
        self.unit_labels = UnitKerja.labels(UnitKerja.objects.values_list("path", "name").order_by())
        self.fields["unit"].label_from_instance = lambda unit: (
            "\u00a0\u00a0" * (unit.depth - 1) + self.unit_labels.get(unit.path, unit.name)
        )


def quiz_results(request, quiz_id: int):
    quiz, scope = _quiz_for_results(request, quiz_id)
    form = UnitFilterForm(request.GET or None, scope=scope)
    unit = form.cleaned_data.get("unit") if form.is_valid() else None
    results = selectors.quiz_results(quiz=quiz, scope=scope, unit=unit)
    page = Paginator(results, 50).get_page(request.GET.get("p"))
    attempts = selectors.attempts_for_results(quiz=quiz, user_ids=[result.user_id for result in page])
    rows = [(result, attempts.get(result.user_id, [])) for result in page]
    for result in page:  # "BKPSDM — Kab. Bungo": the labels the unit filter read, no query per row
        profile = getattr(result.user, "asn_profile", None)
        if profile is not None:
            profile.unit_label = form.unit_labels.get(profile.unit.path, profile.unit.name)
    return _render(
        request,
        "quizzes/admin/results.html",
        _("Results: %(quiz)s") % {"quiz": quiz.title},
        {
            "quiz": quiz,
            "form": form,
            "rows": rows,
            "page_obj": page,
            "is_trainer": scope is None and request.user.has_perm("quizzes.grade_attempts"),
        },
    )


def attempt_detail(request, attempt_id: int):
    attempt = get_object_or_404(Attempt.objects.select_related("user__asn_profile__unit", "quiz"), pk=attempt_id)
    if attempt.quiz is None:
        if not request.user.is_superuser:
            raise Http404
        scope = None
    else:
        _quiz, scope = _quiz_for_results(request, attempt.quiz_id)
    if scope:
        profile = getattr(attempt.user, "asn_profile", None)
        if profile is None or not any(profile.unit.path.startswith(path) for path in scope):
            raise Http404
    # One's own attempt follows one's learner review rules; an attempt in progress shows no key to anyone.
    reveal = selectors.staff_review_reveal(attempt=attempt, viewer=request.user, full=FULL_REVEAL)
    own = attempt.user_id == request.user.pk
    questions = []
    if not own or reveal.correctness or reveal.feedback or reveal.right_answers:
        questions = selectors.attempt_review(attempt=attempt, reveal=reveal)
        slots = {slot.number: slot for slot in AttemptSlot.objects.filter(attempt=attempt).only("pk", "number")}
        for question in questions:
            question["slot_id"] = slots[question["number"]].pk
    return _render(
        request,
        "quizzes/admin/attempt.html",
        _("Attempt %(number)s: %(name)s") % {"number": attempt.number, "name": attempt.user.display_name},
        {
            "attempt": attempt,
            "questions": questions,
            "reveal": reveal,
            "own": own,
            "can_grade": not own and scope is None and request.user.has_perm("quizzes.grade_attempts"),
        },
    )


def quiz_statistics(request, quiz_id: int):
    quiz = _quiz_for_trainer(request, quiz_id)
    stats = statistics.quiz_statistics(quiz=quiz)
    peak = max((count for _band, count in stats.distribution), default=0) or 1
    bars = [(band, count, round(100 * count / peak)) for band, count in stats.distribution]
    return _render(
        request,
        "quizzes/admin/statistics.html",
        _("Item analysis: %(quiz)s") % {"quiz": quiz.title},
        {"quiz": quiz, "stats": stats, "bars": bars},
        icon="table",
    )


@require_http_methods(["GET", "POST"])
def quiz_regrade(request, quiz_id: int):
    quiz = _quiz_for_trainer(request, quiz_id)
    if request.method == "POST":
        changes = services.quiz_regrade(quiz=quiz, dry_run=False, user=request.user)
        messages.success(request, _("Regraded: %(count)s attempt(s) changed.") % {"count": len(changes)})
        return redirect("quizzes_admin:results", quiz_id=quiz.pk)
    changes = services.quiz_regrade(quiz=quiz, dry_run=True)
    return _render(
        request,
        "quizzes/admin/regrade.html",
        _("Regrade: %(quiz)s") % {"quiz": quiz.title},
        {"quiz": quiz, "changes": changes},
        icon="repeat",
    )


def quiz_gains(request, quiz_id: int):
    quiz, scope = _quiz_for_results(request, quiz_id)
    report = selectors.prepost_gains(posttest=quiz, scope=scope)
    if report is None:
        raise Http404
    return _render(
        request,
        "quizzes/admin/gains.html",
        _("Learning gain: %(quiz)s") % {"quiz": quiz.title},
        {"quiz": quiz, "report": report},
        icon="doc-full",
    )


# --- essays --------------------------------------------------------------------------------------


class EssayGradeForm(forms.Form):
    mark = forms.DecimalField(label=gettext_lazy("mark"), min_value=Decimal("0"), decimal_places=2)
    comment = forms.CharField(
        label=gettext_lazy("comment for the learner"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


def grading_queue(request):
    _require(request, "quizzes.grade_attempts")
    slots = selectors.grading_queue(user=request.user)
    page = Paginator(slots, 50).get_page(request.GET.get("p"))
    return _render(request, "quizzes/admin/grading_queue.html", _("Essays to grade"), {"page_obj": page}, icon="edit")


@require_http_methods(["GET", "POST"])
def grade_essay(request, slot_id: int):
    _require(request, "quizzes.grade_attempts")
    slot = get_object_or_404(
        AttemptSlot.objects.select_related("attempt__quiz", "attempt__user", "version"), pk=slot_id
    )
    if not qtypes.for_data(slot.version.data).needs_manual_grading or slot.attempt.state == AttemptState.IN_PROGRESS:
        raise Http404
    quiz = slot.attempt.quiz
    scope = scope_for(request.user)
    if not (scope.everything or (quiz is not None and scope.manages_page(quiz))):
        raise Http404
    if slot.attempt.user_id == request.user.pk:
        raise Http404  # nobody grades their own essay (the page shows the grader's notes, an answer key)
    form = EssayGradeForm(request.POST or None, initial={"mark": slot.mark, "comment": slot.grader_comment})
    if request.method == "POST" and form.is_valid():
        try:
            services.essay_grade(
                slot_id=slot.pk,
                mark=form.cleaned_data["mark"],
                comment=form.cleaned_data["comment"],
                grader=request.user,
            )
        except services.QuizError as error:
            form.add_error("mark", str(error))
        else:
            messages.success(request, _("Mark saved."))
            return redirect(safe_next_url(request, request.POST.get("next")) or reverse("quizzes_admin:grading_queue"))
    question = selectors.slot_review(slot, reveal=FULL_REVEAL)
    return _render(
        request,
        "quizzes/admin/grade_essay.html",
        _("Grade an essay"),
        {
            "slot": slot,
            "q": question,
            "form": form,
            "grader_info": slot.version.data.get("grader_info"),
            "next": safe_next_url(request, request.GET.get("next") or request.POST.get("next")),
        },
        icon="edit",
    )


# --- import and export ---------------------------------------------------------------------------


def _category_field(required=True):
    field = forms.ModelChoiceField(
        queryset=QuestionCategory.objects.all(), required=required, label=gettext_lazy("category")
    )
    field.label_from_instance = lambda category: category.indented_name
    return field


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("GIFT (.txt, .gift) or Moodle XML (.xml) file"))
    category = _category_field()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


@require_http_methods(["GET", "POST"])
def import_questions(request):
    _require(request, "quizzes.add_question")
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = importing.questions_import(
            filename=upload.name, content=upload.read(), category=form.cleaned_data["category"], user=request.user
        )
    return _render(
        request, "quizzes/admin/import.html", _("Import questions"), {"form": form, "report": report}, icon="upload"
    )


class ExportForm(forms.Form):
    category = _category_field()
    include_subcategories = forms.BooleanField(
        label=gettext_lazy("include subcategories"), required=False, initial=True
    )


def export_questions(request):
    _require(request, "quizzes.view_question")
    form = ExportForm(request.GET or None)
    if request.GET and form.is_valid():
        category = form.cleaned_data["category"]
        categories = category.subtree() if form.cleaned_data["include_subcategories"] else [category]
        questions = (
            Question.objects.filter(category__in=categories)
            .prefetch_related("options", "tags")
            .order_by("category__path", "name")
        )
        grouped: dict[int, list] = {}
        for question in questions:
            grouped.setdefault(question.category_id, []).append(question)
        names = dict(QuestionCategory.objects.values_list("path", "name"))
        step = QuestionCategory.steplen
        paths = [
            (
                [names[node.path[:end]] for end in range(step, len(node.path) + 1, step)],
                grouped.get(node.pk, []),
                node.description,
            )
            for node in categories
        ]
        response = HttpResponse(moodle_xml.export(paths), content_type="application/xml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="soal-{slugify(category.name) or "bank"}.xml"'
        return response
    return _render(request, "quizzes/admin/export.html", _("Export questions"), {"form": form}, icon="download")
