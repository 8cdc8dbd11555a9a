"""The site's home page: the root of the page tree that holds the course catalogue."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


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
        """Every page below the home page is a catalogue's (``subpage_types``): a catalogue is one query,
        a lesson (catalogue/course/module/lesson) one, any other page two (``route_below``), instead of
        Wagtail's two per level."""
        from courses.models import CourseIndexPage
        from courses.models.pages import route_below

        if len(path_components) == 1:
            catalogue = CourseIndexPage.objects.filter(
                path__startswith=self.path, depth=self.depth + 1, slug=path_components[0]
            ).first()
            if catalogue is not None:
                return catalogue.route(request, [])
        elif path_components:
            return route_below(self, request, path_components, lesson_levels=4)
        return super().route(request, path_components)

    class Meta:
        verbose_name = _("home page")
