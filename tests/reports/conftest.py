import pytest

from tests.reports.world import build_world


@pytest.fixture
def world(db):
    return build_world()
