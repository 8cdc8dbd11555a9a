"""The course outline panel on the course edit page: modules and items in order, with enrolment links."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel
from wagtail.models import Page


class CourseOutlinePanel(Panel):
    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("Course outline"))
        kwargs.setdefault(
            "help_text",
            _("Modules and lessons in the order participants see them. Drag pages in the page explorer to reorder."),
        )
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "courses/admin/outline_panel.html"

        def get_context_data(self, parent_context=None):
            # courses.models imports this module while it loads: the models and what reads them come later.
            from courses import completion, selectors
            from courses.models import Enrolment, EnrolmentStatus, LessonPage, ModulePage

            context = super().get_context_data(parent_context)
            course = self.instance
            if not course.pk:
                return context
            pages = list(
                Page.objects.descendant_of(course)
                .filter(depth__lte=course.depth + 2)
                .order_by("path")
                .select_related("content_type")
            )
            required = dict(LessonPage.objects.filter(pk__in=[p.pk for p in pages]).values_list("pk", "required"))
            for provider in completion.item_providers():
                ids = [p.pk for p in pages if p.content_type.model_class() is provider.page_model]
                if ids and provider.page_model is not LessonPage:
                    required.update({pk: pk in provider.required_ids(ids) for pk in ids})
            rows, module_number, item_number = [], 0, 0
            for page in pages:
                model = page.content_type.model_class()
                is_module = model is ModulePage
                if is_module or page.depth == course.depth + 1:
                    module_number += 1
                    item_number = 0
                    number = str(module_number)
                else:
                    item_number += 1
                    number = f"{module_number}.{item_number}"
                rows.append(
                    {
                        "page": page,
                        "number": number,
                        "depth": page.depth - course.depth,
                        "is_module": is_module,
                        "kind": model._meta.verbose_name if model else "",
                        "required": required.get(page.pk),
                    }
                )
            counts = Enrolment.objects.filter(course=course).aggregate(
                active=Count("pk", filter=Q(status=EnrolmentStatus.ACTIVE)),
                requested=Count("pk", filter=Q(status=EnrolmentStatus.REQUESTED)),
                completed=Count("pk", filter=Q(status=EnrolmentStatus.ACTIVE, completed_at__isnull=False)),
            )
            context.update(
                rows=rows,
                can_manage=selectors.can_manage_enrolments(self.request.user, course),
                active_count=counts["active"],
                requested_count=counts["requested"],
                completed_count=counts["completed"],
            )
            return context
