"""Wagtail admin screens for people and work units, grouped under one menu."""

import django_filters
from django.db.models import Q
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.viewsets.base import ViewSet
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from lms.filters import SubtreeFilter
from lms.scoped_admin import ScopedPermissionPolicy, ScopedViewSetMixin
from lms.scoping import scope_for
from people.admin_columns import ActivationColumn, UnitColumn
from people.admin_forms import ASNProfileForm, UnitKerjaForm
from people.models import ASNProfile, UnitKerja
from people.ranks import GOLONGAN_CHOICES, EmploymentType
from people.roster_admin import RosterImportView, RosterTemplateView, can_import_roster


def profiles_in_scope(user):
    """The ASN profiles ``user`` may see: a supervisor their unit subtrees, a trainer the learners of
    their courses, Admin BPSDM everyone (``lms/scoping.py``). Listing, chooser, edit and search alike."""
    return scope_for(user).people()


def whole_organisation(user):
    """Work units are the public organisation chart: every staff member with the permission sees all."""
    return Q()


# Registered before the viewsets below ask for their models' policies.
register_permission_policy(ASNProfile, ScopedPermissionPolicy(ASNProfile, rows=profiles_in_scope), exact_class=True)
register_permission_policy(UnitKerja, ScopedPermissionPolicy(UnitKerja, rows=whole_organisation), exact_class=True)


class ASNProfileFilterSet(WagtailFilterSet):
    unit = SubtreeFilter(queryset=UnitKerja.objects.all(), label=_("work unit (with sub-units)"))
    employment_type = django_filters.ChoiceFilter(choices=EmploymentType.choices, label=_("employment type"))
    golongan = django_filters.ChoiceFilter(choices=GOLONGAN_CHOICES, label=_("golongan/ruang"))
    activated = django_filters.BooleanFilter(
        field_name="user__activated_at",
        lookup_expr="isnull",
        exclude=True,
        label=_("account activated"),
    )

    class Meta:
        model = ASNProfile
        fields = ["unit", "employment_type", "golongan", "activated"]


class ASNProfileViewSet(ScopedViewSetMixin, SnippetViewSet):
    model = ASNProfile
    icon = "user"
    menu_label = _("ASN")
    list_display = [
        "full_name",
        "nip_formatted",
        "rank_display",
        "jabatan_name",
        UnitColumn("unit", label=_("work unit")),
        ActivationColumn("activation", label=_("account")),
    ]
    list_per_page = 50
    search_fields = ["full_name", "nip"]
    search_backend_name = None  # plain ORM search: rows bulk-imported from rosters are found at once
    filterset_class = ASNProfileFilterSet
    ordering = ["full_name"]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("employment_type"),
                    FieldPanel("nip"),
                    FieldPanel("full_name"),
                    FieldRowPanel([FieldPanel("gender"), FieldPanel("birth_place"), FieldPanel("birth_date")]),
                ],
                heading=_("Identity"),
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("golongan"), FieldPanel("pppk_grade")]),
                    FieldRowPanel([FieldPanel("jabatan_type"), FieldPanel("jabatan_name")]),
                    FieldPanel("unit"),
                    FieldPanel("supervisor"),
                    FieldPanel("supervised_units"),
                ],
                heading=_("Rank, position and unit"),
            ),
            MultiFieldPanel([FieldPanel("email"), FieldPanel("phone")], heading=_("Contact")),
        ],
        base_form_class=ASNProfileForm,
    )

    def get_queryset(self, request):
        return ASNProfile.objects.select_related("unit", "user")


class UnitKerjaViewSet(ScopedViewSetMixin, SnippetViewSet):
    model = UnitKerja
    icon = "site"
    menu_label = _("Work units")
    list_display = ["indented_name", "code", "kind"]
    list_per_page = 100
    search_fields = ["name", "code"]
    search_backend_name = None
    list_filter = ["kind", "depth"]
    ordering = ["path"]
    edit_handler = ObjectList(
        [FieldPanel("parent"), FieldPanel("code"), FieldPanel("name"), FieldPanel("kind")],
        base_form_class=UnitKerjaForm,
    )


class RosterImportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_import_roster(request.user)


class RosterImportViewSet(ViewSet):
    """Roster import of ASN from CSV/XLSX (people/roster_admin.py), listed under Personnel."""

    name = "roster_import"
    url_prefix = "people/roster-import"
    icon = "upload"
    menu_label = _("Import ASN")
    menu_item_class = RosterImportMenuItem

    def get_urlpatterns(self):
        return [
            path("", RosterImportView.as_view(), name="index"),
            path("template.csv", RosterTemplateView.as_view(file_format="csv"), name="template_csv"),
            path("template.xlsx", RosterTemplateView.as_view(file_format="xlsx"), name="template_xlsx"),
        ]


class PeopleViewSetGroup(SnippetViewSetGroup):
    items = (ASNProfileViewSet, UnitKerjaViewSet, RosterImportViewSet)
    menu_icon = "group"
    menu_label = _("Personnel")
    menu_name = "personnel"
    menu_order = 300


register_snippet(PeopleViewSetGroup)
