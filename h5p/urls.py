"""URLs of the h5p app: package files, the xAPI and saved-state endpoints, and the item's own page."""

from django.urls import path

from h5p import views

app_name = "h5p"

urlpatterns = [
    path("h5p/<int:pk>/", views.activity, name="activity"),
    path("h5p/<int:pk>/xapi/", views.statement, name="statement"),
    path("h5p/<int:pk>/state/", views.state, name="state"),
    path("h5p/<int:pk>/v/<str:version>/<path:path>", views.package_file, name="file"),
]
