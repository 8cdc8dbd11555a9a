"""Wagtail admin for H5P: content items (upload/replace), and per item the learners' results and raw statements."""

import json

import django_filters
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from h5p.forms import H5PContentForm
from h5p.models import H5PContent, H5PPlacement, H5PResult, H5PStatement
from lms.exports import StreamedSpreadsheetExportMixin
from lms.filters import SubtreeFilter
from lms.scoped_admin import ScopedPermissionPolicy, ScopedViewSetMixin
from lms.scoping import scope_for
from people.admin_columns import UnitColumn
from people.models import UnitKerja

BROWSER_NOTE = _("reported by the browser")


def _placed_in_courses(course_ids):
    return H5PPlacement.objects.filter(course_id__in=course_ids).values("content_id")


def content_in_scope(user):
    """H5P items a trainer may see, choose, replace and delete: those placed in their courses and those
    they uploaded (not yet placed anywhere); Admin BPSDM all (``lms/scoping.py``)."""
    scope = scope_for(user)
    if scope.everything:
        return Q()
    return Q(uploaded_by=user) | Q(pk__in=_placed_in_courses(scope.course_ids))


def learner_rows_in_scope(user):
    """Results and statements: of the people in a supervisor's units, and for a trainer, of their
    courses' learners on the items placed in those courses; Admin BPSDM all (``lms/scoping.py``)."""
    scope = scope_for(user)
    if scope.everything:
        return Q()
    condition = scope.rows(course_field=None)
    if scope.course_ids:
        condition |= Q(content_id__in=_placed_in_courses(scope.course_ids)) & scope.learners_of_courses()
    return condition


# Registered before the viewsets below ask for their models' policies. Learner records are written by
# the xAPI endpoint only: the admin may look, never edit.
register_permission_policy(H5PContent, ScopedPermissionPolicy(H5PContent, rows=content_in_scope), exact_class=True)
register_permission_policy(
    H5PResult, ScopedPermissionPolicy(H5PResult, rows=learner_rows_in_scope, read_only=True), exact_class=True
)
register_permission_policy(
    H5PStatement, ScopedPermissionPolicy(H5PStatement, rows=learner_rows_in_scope, read_only=True), exact_class=True
)


class ContentInScopeFilter(django_filters.ModelChoiceFilter):
    """The content filter offers only the items this person may see."""

    def get_queryset(self, request):
        if request is None:
            return H5PContent.objects.none()
        return H5PContent.objects.filter(content_in_scope(request.user))


def _yes_no(value):
    if value is None:
        return "–"
    return str(_("Yes")) if value else str(_("No"))


# --------------------------------------------------------------------------------------------
# Content items


class H5PContentViewSet(ScopedViewSetMixin, SnippetViewSet):
    model = H5PContent
    icon = "pick"
    menu_label = _("H5P content")
    menu_name = "h5p-content"
    menu_order = 250
    add_to_admin_menu = True
    search_fields = ["title", "description"]
    search_backend_name = None
    ordering = ["title"]
    list_per_page = 50
    edit_handler = ObjectList(
        [FieldPanel("title"), FieldPanel("description"), FieldPanel("upload")], base_form_class=H5PContentForm
    )

    @property
    def list_display(self):
        return [
            "title",
            Column("main_library", label=_("content type")),
            Column(
                "results_link",
                label=_("Results"),
                accessor=lambda item: format_html(
                    '<a href="{}?content={}">{}</a> · <a href="{}" target="_blank" rel="noopener">{}</a>',
                    reverse("h5p_results:index"),
                    item.pk,
                    _("Results"),
                    reverse("h5p:activity", args=[item.pk]),
                    _("Preview"),
                ),
            ),
            DateColumn("updated_at", label=_("updated at")),
        ]


register_snippet(H5PContentViewSet)


# --------------------------------------------------------------------------------------------
# Results per item


class H5PResultFilterSet(WagtailFilterSet):
    content = ContentInScopeFilter(label=_("H5P content"))
    unit = SubtreeFilter(
        field_name="user__asn_profile__unit", queryset=UnitKerja.objects.all(), label=_("work unit (with sub-units)")
    )
    completed = django_filters.BooleanFilter(
        field_name="completed_at", lookup_expr="isnull", exclude=True, label=_("completed")
    )
    success = django_filters.BooleanFilter(label=_("passed"))

    class Meta:
        model = H5PResult
        fields = ["content", "unit", "completed", "success"]


def _score(raw, maximum):
    if raw is None or not maximum:
        return "–"
    return f"{raw:g} / {maximum:g}"


def _browser_score_column(name: str, label, raw: str, maximum: str) -> Column:
    """A score as "raw / max", its heading saying the browser reported it."""
    return Column(
        name,
        label=format_html("{}<br><small>({})</small>", label, BROWSER_NOTE),
        accessor=lambda row: _score(getattr(row, raw), getattr(row, maximum)),
    )


# The learner's name as the listings and exports show it (the username for someone without a profile).
PARTICIPANT = Coalesce(F("user__asn_profile__full_name"), F("user__username"))


class LearnerRowsViewSet(ScopedViewSetMixin, ModelViewSet):
    """What browsers reported (results, statements): listed, filtered and exported in the scope of
    ``learner_rows_in_scope``; never added, edited or copied (the read-only policy refuses them)."""

    list_per_page = 50
    copy_view_enabled = False
    inspect_view_enabled = False


class H5PResultIndexView(StreamedSpreadsheetExportMixin, IndexView):
    """Each learner's summary with name, NIP and unit in the same query, for the table and exports."""

    custom_field_preprocess = {"success": {"csv": _yes_no, "xlsx": _yes_no}}
    unit_label_fields = {"unit_name": "unit_path"}

    def get_base_queryset(self):
        return H5PResult.objects.annotate(
            participant=PARTICIPANT,
            nip=Coalesce(F("user__asn_profile__nip"), Value("")),
            unit_name=Coalesce(F("user__asn_profile__unit__name"), Value("")),
            unit_path=F("user__asn_profile__unit__path"),
        )


class H5PResultViewSet(LearnerRowsViewSet):
    model = H5PResult
    index_view_class = H5PResultIndexView
    icon = "tasks"
    menu_label = _("H5P results")
    menu_name = "h5p-results"
    menu_order = 251
    add_to_admin_menu = True
    url_prefix = "h5p/results"
    name = "h5p_results"
    filterset_class = H5PResultFilterSet
    search_fields = ["content_title", "user__asn_profile__full_name", "user__asn_profile__nip", "user__username"]
    search_backend_name = None
    ordering = ["content_title", "participant"]
    form_fields = ["content_title"]  # never shown: the policy refuses add and edit
    export_filename = "hasil-h5p"
    list_export = [
        "participant",
        "nip",
        "unit_name",
        "content_title",
        "attempts",
        "latest_raw",
        "best_raw",
        "best_max",
        "best_percent",
        "success",
        "completed_at",
        "last_activity_at",
    ]
    export_headings = {
        "participant": _("participant"),
        "nip": _("NIP / NI PPPK"),
        "unit_name": _("work unit"),
        "content_title": _("H5P content"),
        "attempts": _("attempts"),
        "latest_raw": _("latest score (reported by the browser)"),
        "best_raw": _("best score (reported by the browser)"),
        "best_max": _("maximum score"),
        "best_percent": _("best score % (reported by the browser)"),
        "success": _("passed"),
        "completed_at": _("completed at"),
        "last_activity_at": _("last activity"),
    }

    @property
    def list_display(self):
        return [
            Column("participant", label=_("participant")),
            Column("nip", label=_("NIP / NI PPPK")),
            UnitColumn("unit_name", label=_("work unit"), unit_of=lambda row: (row.unit_path, row.unit_name)),
            Column("content_title", label=_("H5P content")),
            Column("attempts", label=_("attempts")),
            _browser_score_column("best", _("best score"), "best_raw", "best_max"),
            Column("success", label=_("passed"), accessor=lambda row: _yes_no(row.success)),
            DateColumn("completed_at", label=_("completed at")),
            Column(
                "statements",
                label=_("xAPI statements"),
                accessor=lambda row: format_html(
                    '<a href="{}?content={}&amp;user={}">{}</a>',
                    reverse("h5p_statements:index"),
                    row.content_id or "",
                    row.user_id,
                    _("View"),
                ),
            ),
        ]


# --------------------------------------------------------------------------------------------
# Raw statements


class H5PStatementFilterSet(WagtailFilterSet):
    content = ContentInScopeFilter(label=_("H5P content"))
    user = django_filters.NumberFilter(field_name="user_id", label=_("participant id"))
    verb = django_filters.CharFilter(label=_("verb"))

    class Meta:
        model = H5PStatement
        fields = ["content", "user", "verb"]


def _pretty_statement(row):
    return format_html(
        '<details><summary>{}</summary><pre style="white-space: pre-wrap; max-width: 60rem">{}</pre></details>',
        _("Show"),
        json.dumps(row.statement, indent=2, ensure_ascii=False),
    )


class H5PStatementIndexView(StreamedSpreadsheetExportMixin, IndexView):
    def get_base_queryset(self):
        return H5PStatement.objects.annotate(participant=PARTICIPANT)


class H5PStatementViewSet(LearnerRowsViewSet):
    model = H5PStatement
    index_view_class = H5PStatementIndexView
    icon = "code"
    menu_label = _("xAPI statements")
    add_to_admin_menu = False
    url_prefix = "h5p/statements"
    name = "h5p_statements"
    filterset_class = H5PStatementFilterSet
    ordering = ["-stored_at"]
    form_fields = ["verb"]  # never shown: the policy refuses add and edit
    export_filename = "pernyataan-xapi"
    list_export = [
        "stored_at",
        "participant",
        "verb",
        "object_iri",
        "is_top_level",
        "score_raw",
        "score_max",
        "success",
        "completion",
        "statement_json",
    ]
    export_headings = {"participant": _("participant"), "statement_json": _("statement")}

    @property
    def list_display(self):
        return [
            DateColumn("stored_at", label=_("received at")),
            Column("participant", label=_("participant")),
            Column("verb", label=_("verb")),
            Column("is_top_level", label=_("whole activity"), accessor=lambda row: _yes_no(row.is_top_level)),
            _browser_score_column("score", _("score"), "score_raw", "score_max"),
            Column("statement", label=_("statement"), accessor=_pretty_statement),
        ]

    def get_index_view_kwargs(self, **kwargs):
        view_kwargs = super().get_index_view_kwargs(**kwargs)
        view_kwargs["custom_field_preprocess"] = {
            "statement_json": {"csv": lambda value: value, "xlsx": lambda value: value},
        }
        return view_kwargs


@hooks.register("register_admin_viewset")
def register_h5p_viewsets():
    return [H5PResultViewSet(), H5PStatementViewSet()]
