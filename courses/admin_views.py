"""Trainers' admin screens: the enrolment request queue and assigning a course to people and units."""

import re

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from courses import selectors, services
from courses.models import CoursePage, Enrolment, EnrolmentStatus
from people import nip as nip_rules
from people.models import UnitKerja


def may_manage_any(user) -> bool:
    return user.is_active and (user.is_superuser or user.has_perm("courses.manage_enrolments"))


class ManageEnrolmentsMixin:
    def dispatch(self, request, *args, **kwargs):
        if not may_manage_any(request.user):
            raise PermissionDenied  # the admin turns this into a redirect with a message
        return super().dispatch(request, *args, **kwargs)


class EnrolmentRequestsView(ManageEnrolmentsMixin, WagtailAdminTemplateMixin, TemplateView):
    """GET: requests waiting for approval in the courses the trainer manages. POST: approve or decline one."""

    template_name = "courses/admin/enrolment_requests.html"
    page_title = _("Enrolment requests")
    header_icon = "tasks"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        courses = selectors.manageable_courses(self.request.user)
        requests = (
            Enrolment.objects.filter(status=EnrolmentStatus.REQUESTED, course__in=courses.values("pk"))
            .select_related("user__asn_profile__unit", "course")
            .order_by("requested_at")
        )
        course_id = self.request.GET.get("course")
        if course_id and course_id.isdigit():
            requests = requests.filter(course_id=int(course_id))
            context["course_filter"] = courses.filter(pk=int(course_id)).first()
        context["requests"] = requests[:500]
        return context

    def post(self, request, *args, **kwargs):
        decision = request.POST.get("decision")
        enrolment_id = request.POST.get("enrolment", "")
        if decision not in {"approve", "decline"} or not enrolment_id.isdigit():
            messages.error(request, gettext("Choose approve or decline for a request."))
            return redirect(request.get_full_path())
        enrolment = get_object_or_404(Enrolment.objects.select_related("user", "course"), pk=int(enrolment_id))
        if enrolment.course is None or not selectors.can_manage_enrolments(request.user, enrolment.course):
            raise Http404  # not one of this trainer's courses: as if it did not exist
        try:
            services.enrolment_decide(enrolment=enrolment, by=request.user, approve=decision == "approve")
        except services.EnrolmentError as error:
            messages.error(request, str(error))
        else:
            name = enrolment.user.display_name
            if decision == "approve":
                messages.success(
                    request,
                    gettext("%(name)s is now enrolled in %(course)s.")
                    % {"name": name, "course": enrolment.course_title},
                )
            else:
                messages.success(request, gettext("The request of %(name)s was declined.") % {"name": name})
        return redirect(request.get_full_path())


def _identifiers(text: str) -> list[str]:
    return [part for part in re.split(r"[\s,;]+", text or "") if part]


class AssignForm(forms.Form):
    people = forms.CharField(
        label=_("People (NIP or user name)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line, or separated by commas. NIPs may contain spaces."),
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Work units (each with every unit below it)"),
        queryset=UnitKerja.objects.order_by("path"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text=_("Everyone in a chosen unit and in the units below it is assigned."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].label_from_instance = lambda unit: unit.indented_name

    def clean_people(self):
        # NIPs come one per line and may contain spaces; user names never do.
        lines = [line.strip() for line in (self.cleaned_data.get("people") or "").replace(",", "\n").splitlines()]
        wanted = []
        for line in lines:
            if not line:
                continue
            normalised = nip_rules.normalise(line)
            if normalised.isdigit() and len(normalised) == 18:
                wanted.append(normalised)
            else:
                wanted.extend(_identifiers(line))
        if not wanted:
            return []
        user_model = get_user_model()
        users = list(
            user_model.objects.filter(
                Q(username__in=wanted) | Q(asn_profile__nip__in=wanted), is_active=True
            ).select_related("asn_profile")
        )
        found = {user.username for user in users} | {
            user.asn_profile.nip for user in users if getattr(user, "asn_profile", None) is not None
        }
        missing = [identifier for identifier in wanted if identifier not in found]
        if missing:
            raise forms.ValidationError(
                gettext("Not found (nothing was assigned): %(list)s") % {"list": ", ".join(missing[:20])}
            )
        return users

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("people") and not cleaned.get("units"):
            raise forms.ValidationError(gettext("Give at least one person or choose at least one unit."))
        return cleaned


class CourseAssignView(ManageEnrolmentsMixin, WagtailAdminTemplateMixin, FormView):
    """Assign one course to people and whole units in one action. POST; assigning twice changes nothing."""

    template_name = "courses/admin/course_assign.html"
    form_class = AssignForm
    header_icon = "group"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.course = get_object_or_404(CoursePage, pk=kwargs["course_id"])

    def dispatch(self, request, *args, **kwargs):
        if may_manage_any(request.user) and not selectors.can_manage_enrolments(request.user, self.course):
            raise Http404  # another trainer's course: as if it did not exist (lms/scoping.py)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return gettext("Assign participants")

    def get_page_subtitle(self):
        return self.course.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("wagtailadmin_pages:edit", args=[self.course.pk]), "label": self.course.title},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = {
            status: Enrolment.objects.filter(course=self.course, status=status).count()
            for status in (EnrolmentStatus.ACTIVE, EnrolmentStatus.REQUESTED)
        }
        context.update(
            course=self.course,
            active_count=counts[EnrolmentStatus.ACTIVE],
            requested_count=counts[EnrolmentStatus.REQUESTED],
        )
        return context

    def form_valid(self, form):
        try:
            result = services.course_assign(
                course=self.course,
                by=self.request.user,
                users=form.cleaned_data["people"],
                units=form.cleaned_data["units"],
            )
        except services.EnrolmentError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            gettext("%(created)d newly enrolled, %(reactivated)d enrolled again, %(unchanged)d already enrolled.")
            % {"created": result.created, "reactivated": result.reactivated, "unchanged": result.unchanged},
        )
        return redirect(reverse("courses_admin:assign", args=[self.course.pk]))
