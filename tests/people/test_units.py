"""The unit tree: subtree queries in one query, people filtered by subtree."""

import pytest

from people.models import ASNProfile, UnitKerja
from tests.factories import ASNProfileFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    province = UnitFactory(name="Pemerintah Provinsi Jambi", code="15", kind="instansi")
    dinkes = UnitFactory(parent=province, name="Dinas Kesehatan", code="15.03")
    bidang = UnitFactory(parent=dinkes, name="Bidang Pelayanan", code="15.03.01", kind="bidang")
    seksi = UnitFactory(parent=bidang, name="Seksi Primer", code="15.03.01.01", kind="subunit")
    disdik = UnitFactory(parent=province, name="Dinas Pendidikan", code="15.04")
    kota = UnitFactory(name="Pemerintah Kota Jambi", code="1571", kind="instansi")
    return {"province": province, "dinkes": dinkes, "bidang": bidang, "seksi": seksi, "disdik": disdik, "kota": kota}


def refreshed(unit):
    return UnitKerja.objects.get(pk=unit.pk)


def test_subtree_is_the_unit_and_everything_below(tree):
    codes = set(refreshed(tree["dinkes"]).subtree().values_list("code", flat=True))
    assert codes == {"15.03", "15.03.01", "15.03.01.01"}


def test_subtree_is_one_query_at_any_depth(tree, django_assert_num_queries):
    province = refreshed(tree["province"])
    with django_assert_num_queries(1):
        units = list(province.subtree())
    assert len(units) == 5  # not the Kota Jambi tree


def test_people_in_a_subtree_are_one_query(tree, django_assert_num_queries):
    inside = [ASNProfileFactory(unit=refreshed(tree["seksi"])), ASNProfileFactory(unit=refreshed(tree["dinkes"]))]
    ASNProfileFactory(unit=refreshed(tree["disdik"]))
    ASNProfileFactory(unit=refreshed(tree["kota"]))
    dinkes = refreshed(tree["dinkes"])
    with django_assert_num_queries(1):
        found = list(ASNProfile.objects.filter(unit__path__startswith=dinkes.path).values_list("pk", flat=True))
    assert sorted(found) == sorted(p.pk for p in inside)


def test_sibling_with_a_shared_prefix_is_not_in_the_subtree(tree):
    # Paths are fixed-width steps, so unit 0001 and 00010001 never confuse 0001 with 00011.
    dinkes_codes = set(refreshed(tree["dinkes"]).subtree().values_list("code", flat=True))
    assert "15.04" not in dinkes_codes
