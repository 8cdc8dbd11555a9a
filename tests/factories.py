"""factory_boy factories shared by every app's tests."""

import itertools
from datetime import date

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from people.models import ASNProfile, UnitKerja

_unit_codes = itertools.count(1)
_sequences = itertools.count(1)


def valid_nip(*, birth: date = date(1986, 9, 26), tmt: str = "201505", gender: str = "L", sequence: int | None = None):
    """An 18-digit NIP that passes every rule; the sequence makes it unique."""
    sequence = sequence if sequence is not None else next(_sequences) % 1000 or 1
    return f"{birth:%Y%m%d}{tmt}{'1' if gender == 'L' else '2'}{sequence:03d}"


class UnitFactory(factory.django.DjangoModelFactory):
    """Builds a root unit, or a child when ``parent=`` is given (treebeard needs add_root/add_child)."""

    class Meta:
        model = UnitKerja

    code = factory.LazyFunction(lambda: f"U{next(_unit_codes):05d}")
    name = factory.Sequence(lambda n: f"Unit Kerja {n}")
    kind = "opd"

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        return create_tree_node(model_class, parent=parent, **kwargs)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.go.id")
    password = factory.PostGenerationMethodCall("set_password", "rahasia-kuat-2026")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            for name in extracted:
                group, _ = Group.objects.get_or_create(name=name)
                self.groups.add(group)
        if create:
            self.save()


class ASNProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ASNProfile

    user = factory.SubFactory(UserFactory)
    employment_type = "PNS"
    gender = "L"
    birth_date = date(1986, 9, 26)
    nip = factory.LazyAttribute(lambda p: valid_nip(birth=p.birth_date, gender=p.gender))
    full_name = factory.Sequence(lambda n: f"Pegawai Nomor {n}, S.E.")
    birth_place = "Jambi"
    golongan = "III/a"
    pppk_grade = ""
    jabatan_type = "pelaksana"
    jabatan_name = "Pengelola Data"
    unit = factory.SubFactory(UnitFactory)


def create_tree_node(model_class, *, parent=None, **fields):
    """A treebeard node: a root, or a child of ``parent`` (re-read first: its path counters may be stale)."""
    if parent is not None:
        parent.refresh_from_db()
        return parent.add_child(**fields)
    return model_class.add_root(**fields)
