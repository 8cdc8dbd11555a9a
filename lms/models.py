"""The site's home page: the root of the page tree that holds the course catalogue."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from courses.wagtail_overrides import route_from_home


class HomePage(Page):
    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text=_("A few sentences that welcome ASN to the platform."),
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CourseIndexPage"]
    max_count = 1

    def route(self, request, path_components):
        """Below the home page, courses routes in fewer queries than Wagtail (courses/wagtail_overrides.py)."""
        routed = route_from_home(self, request, path_components)
        if routed is not None:
            return routed
        return super().route(request, path_components)

    class Meta:
        verbose_name = _("home page")
