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
        """Every page below the home page is a catalogue's (``subpage_types``): a lesson
        (catalogue/course/module/lesson) is found in one query from here, anything else below a
        catalogue in one query for the catalogue, instead of Wagtail's two per level."""
        from courses.models import CourseIndexPage
        from courses.models.pages import lesson_by_url_path

        if len(path_components) == 4:
            lesson = lesson_by_url_path(
                self.url_path + "/".join(path_components) + "/", below_path=self.path, depth=self.depth + 4
            )
            if lesson is not None:
                return lesson.route(request, [])
        if path_components:
            catalogue = CourseIndexPage.objects.filter(
                path__startswith=self.path, depth=self.depth + 1, slug=path_components[0]
            ).first()
            if catalogue is not None:
                return catalogue.route(request, path_components[1:])
        return super().route(request, path_components)

    class Meta:
        verbose_name = _("home page")
