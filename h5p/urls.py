"""URLs of the h5p app."""

urlpatterns: list = []
