"""URLs of the h5p app: package files, the xAPI and saved-state endpoints, and the item's own page."""

from django.urls import path

from h5p import views

app_name = "h5p"

urlpatterns = [
    path("h5p/<int:pk>/", views.activity, name="activity"),
    path("h5p/<int:pk>/xapi/", views.statement, name="statement"),
    path("h5p/<int:pk>/state/", views.state, name="state"),
    # The sandboxed player and the files it fetches: authorised by a token in the path.
    path("h5p/<int:pk>/v/<str:version>/t/<str:token>/player/", views.player_page, name="player"),
    path("h5p/<int:pk>/v/<str:version>/t/<str:token>/<path:path>", views.package_file, name="token_file"),
    # The same files for a signed-in trainer or learner (session).
    path("h5p/<int:pk>/v/<str:version>/<path:path>", views.package_file, name="file"),
]
