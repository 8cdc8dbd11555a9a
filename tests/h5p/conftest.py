"""Each H5P test writes packages into its own media folder, so what it finds there is its own doing."""

import pytest


@pytest.fixture(autouse=True)
def _own_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_content_types():
    """Transactional tests restore the database with its original content type ids; an earlier
    flush may have left other ids in the process-wide cache."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    yield
    ContentType.objects.clear_cache()
