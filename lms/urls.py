"""Root URL configuration: our apps first, then Wagtail's page serving as the catch-all."""

from django.conf import settings
from django.urls import include, path, re_path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from lms import media, views

urlpatterns = [
    path("healthz/", views.healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("people.urls")),
    path("", include("accounts.urls")),
    path("", include("certificates.urls")),
    path("", include("accounts.oidc_urls")),
    path("", include("courses.urls")),
    path("", include("quizzes.urls")),
    path("", include("h5p.urls")),
    path("", include("notifications.urls")),
]

if settings.SERVE_MEDIA:
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns.append(re_path(rf"^{media_prefix}(?P<path>.*)$", media.serve_media, name="media"))

urlpatterns.append(path("", include(wagtail_urls)))
