"""Scale data for report benchmarks (``manage.py seed_scale``): a province of units, ASN, courses and progress.

What it builds, deterministically from ``seed`` (``random.Random`` streams only; the one input from the
clock is the current year and how much of it has passed, which places the dates):

- 12 instansi roots (Pemerintah Provinsi Jambi and the 11 kabupaten/kota) with their OPD (Sekretariat
  Daerah, Inspektorat, Dinas ..., Badan ..., Kecamatan ...) and bidang/bagian: about 600 ``UnitKerja``
  rows, codes ``SK-<instansi>[.<opd>[.<bidang>]]`` (``SK-15``, ``SK-15.04``, ``SK-1571.03.02``), so
  they never meet the demo codes (``15``, ``15.03``). Paths are computed here and bulk-inserted after
  any existing roots; siblings are in name order, as ``UnitKerja.node_order_by`` asks.
- ``people`` ASN, each a ``User`` (username = NIP, one shared unusable password, role Peserta) and an
  ``ASNProfile`` with a valid NIP (PNS) or NI PPPK, spread over OPD and bidang by OPD size.
- Three accounts sharing ``password``: ``skala_admin`` (Admin BPSDM), ``skala_supervisor``
  (Supervisor, head of the largest OPD of the province, which it supervises) and ``skala_pengajar``
  (Pengajar, trainer of the first three scale courses). The last two have ASN profiles as well.
- ``courses`` live ``CoursePage`` trees under the catalogue: 2 modules × 3 required lessons and a
  required final quiz in the second module; every 4th course also has a pre-test (not required: a
  baseline nobody must pass) and a required post-test paired with it, directly under the course. So
  a course has 7 required items, or 8 with a post-test. Pages are created with the Wagtail page API
  and ``live=True``, without revisions (the only part written row by row).
- About ``people × enrolments_per_person × 0.98`` enrolments with their summary fields as
  ``courses.services`` would have written them, ``LessonProgress`` rows, finished quiz ``Attempt``
  rows with their ``QuizResult`` (marks carried directly: quizzes have no questions and there are no
  ``AttemptSlot`` rows), and one ``JPCredit`` per completed enrolment.

Dates: completions fall in the previous and the current calendar year (WIB), never after today;
a few current-year completions are on 1 January before 07:00 WIB, when it is still the previous year
in UTC. Everything is inserted with ``bulk_create`` per chunk of people in one transaction, so a
failed run leaves nothing and a finished one is found again by the unit ``SK-15`` (nothing is
written twice).
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import (
    Enrolment,
    JPCredit,
    LessonProgress,
)
from people import roles
from people.models import ASNProfile, UnitKerja, UnitKind
from people.ranks import EmploymentType, JabatanType
from quizzes.models import Attempt, QuizResult
from scale.asn import PeoplePlanner
from scale.constants import ADMIN_USERNAME, CHUNK_PEOPLE, MARKER_CODE, SUPERVISOR_USERNAME, TRAINER_USERNAME
from scale.learning import LearningPlanner, course_plan
from scale.units import unit_plan
from scale.writers import (
    ScaleSummary,
    _account,
    _bulk,
    _forget_queries,
    _groups,
    _LearningWriter,
    _profile,
    _profile_fields,
    _write,
    _write_courses,
    _write_units,
    existing_summary,
)


def seed_scale(
    *,
    people: int = 60_000,
    courses: int = 40,
    enrolments_per_person: int = 5,
    seed: int = 15,
    password: str = "Jambi2026!",  # noqa: S107 - benchmark accounts on a benchmark database
    stdout=None,
) -> ScaleSummary:
    """Generate the scale data set (see the module docstring). Does nothing when it is already there."""
    found = existing_summary()
    if found is not None:
        _write(
            stdout,
            _(
                "Scale data is already present (%(units)d work units, %(people)d ASN, %(enrolments)d enrolments in "
                "%(courses)d courses); nothing was changed."
            )
            % {"units": found.units, "people": found.people, "enrolments": found.enrolments, "courses": found.courses},
        )
        return found

    summary = ScaleSummary()
    today = timezone.localdate()
    now = timezone.now()
    clock = time.perf_counter

    with transaction.atomic():
        # Units.
        started = clock()
        specs = unit_plan()
        unit_ids = _write_units(specs)
        summary.units = len(specs)
        summary.seconds["units"] = clock() - started
        _write(
            stdout,
            _("Units: %(rows)d work units in %(seconds).1f s.")
            % {"rows": summary.units, "seconds": summary.seconds["units"]},
        )

        # Accounts (skala_supervisor comes after the people: it heads the largest OPD) and the NIPs taken.
        started = clock()
        groups = _groups()
        password_hash = make_password(password)  # hashed once: PBKDF2 takes a noticeable time
        user_model = get_user_model()
        taken = set(ASNProfile.objects.values_list("nip", flat=True))
        taken.update(name for name in user_model.objects.values_list("username", flat=True) if name.isdigit())
        staff_planner = PeoplePlanner(seed=seed, units=specs, today=today, taken=taken, stream="staff")
        admin = _account(
            ADMIN_USERNAME,
            password_hash=password_hash,
            groups=[groups[roles.ADMIN_BPSDM]],
            first_name="Admin",
            last_name="BPSDM (skala)",
            email="skala.admin@bpsdm.jambiprov.go.id",
        )
        bpsdm = next(s for s in specs if s.name == "Badan Pengembangan Sumber Daya Manusia")
        trainer, _trainer_profile = _staff_account(
            TRAINER_USERNAME,
            planner=staff_planner,
            unit_code=bpsdm.code,
            jabatan=(JabatanType.FUNGSIONAL, "Widyaiswara Ahli Madya"),
            golongan="IV/a",
            groups=[groups[roles.PENGAJAR], groups[roles.PESERTA]],
            password_hash=password_hash,
            unit_ids=unit_ids,
        )
        summary.seconds["accounts"] = clock() - started
        _write(
            stdout,
            _("Accounts: %(admin)s and %(trainer)s in %(seconds).1f s.")
            % {"admin": ADMIN_USERNAME, "trainer": TRAINER_USERNAME, "seconds": summary.seconds["accounts"]},
        )

        # Courses: page by page.
        started = clock()
        course_specs = course_plan(courses)
        created_courses, summary.pages = _write_courses(
            course_specs,
            trainer=trainer,
            published_at=datetime(today.year - 1, 1, 2, 8, 0, tzinfo=timezone.get_default_timezone()),
        )
        summary.courses = len(created_courses)
        summary.seconds["courses"] = clock() - started
        _write(
            stdout,
            _("Courses: %(courses)d courses, %(pages)d pages in %(seconds).1f s.")
            % {"courses": summary.courses, "pages": summary.pages, "seconds": summary.seconds["courses"]},
        )

        # People, in chunks.
        started = clock()
        planner = PeoplePlanner(seed=seed, units=specs, today=today, taken=taken)
        peserta = groups[roles.PESERTA]
        membership = user_model.groups.through
        unusable = make_password(None)  # one shared unusable password: learners sign in after a reset
        user_ids: list[int] = []
        members_per_opd: Counter[str] = Counter()
        opd_of = {spec.code: spec.opd_code for spec in specs}
        remaining = people
        while remaining > 0:
            chunk = [planner.person() for _index in range(min(CHUNK_PEOPLE, remaining))]
            remaining -= len(chunk)
            users = [
                user_model(
                    username=person.nip,
                    email=f"{person.nip}@asn.jambiprov.go.id",
                    password=unusable,
                    first_name=person.first_name,
                    last_name=person.last_name,
                )
                for person in chunk
            ]
            _bulk(user_model, users, key="username")
            profiles = [
                ASNProfile(user_id=user.pk, unit_id=unit_ids[person.unit_code], **_profile_fields(person))
                for user, person in zip(users, chunk, strict=True)
            ]
            _bulk(ASNProfile, profiles)
            _bulk(membership, [membership(user_id=user.pk, group_id=peserta.pk) for user in users])
            user_ids.extend(user.pk for user in users)
            _forget_queries()
            members_per_opd.update(opd_of[person.unit_code] for person in chunk)
        summary.people = len(user_ids)

        # The supervisor heads the largest OPD of the province.
        province_opds = [spec for spec in specs if spec.kind == UnitKind.OPD and spec.parent_code == MARKER_CODE]
        largest = max(province_opds, key=lambda spec: (members_per_opd[spec.code], spec.weight))
        _supervisor, supervisor_profile = _staff_account(
            SUPERVISOR_USERNAME,
            planner=staff_planner,
            unit_code=largest.code,
            jabatan=(JabatanType.JPT_PRATAMA, f"Kepala {largest.name}"),
            golongan="IV/c",
            groups=[groups[roles.SUPERVISOR], groups[roles.PESERTA]],
            password_hash=password_hash,
            unit_ids=unit_ids,
        )
        supervisor_profile.supervised_units.add(unit_ids[largest.code])
        summary.seconds["people"] = clock() - started
        _write(
            stdout,
            _("People: %(rows)d ASN (and %(supervisor)s, head of %(unit)s) in %(seconds).1f s.")
            % {
                "rows": summary.people,
                "supervisor": SUPERVISOR_USERNAME,
                "unit": largest.name,
                "seconds": summary.seconds["people"],
            },
        )

        # Learning, in chunks of people.
        started = clock()
        learning = LearningPlanner(
            seed=seed, courses=course_specs, enrolments_per_person=enrolments_per_person, today=today, now=now
        )
        writer = _LearningWriter(created_courses, decided_by_id=admin.pk)
        for chunk_start in range(0, len(user_ids), CHUNK_PEOPLE):
            chunk = range(chunk_start, min(chunk_start + CHUNK_PEOPLE, len(user_ids)))
            plans = [plan for person in chunk for plan in learning.person(person)]
            writer.write(plans, user_ids={person: user_ids[person] for person in chunk})
            _forget_queries()
        for name in ("enrolments", "lesson_progress", "attempts", "quiz_results", "jp_credits"):
            setattr(summary, name, writer.counts[name])
        summary.seconds["learning"] = clock() - started
        _write(
            stdout,
            _(
                "Learning: %(enrolments)d enrolments, %(lessons)d lesson progress rows, %(attempts)d quiz attempts, "
                "%(results)d quiz results, %(credits)d JP credits in %(seconds).1f s."
            )
            % {
                "enrolments": summary.enrolments,
                "lessons": summary.lesson_progress,
                "attempts": summary.attempts,
                "results": summary.quiz_results,
                "credits": summary.jp_credits,
                "seconds": summary.seconds["learning"],
            },
        )
    _refresh_planner_statistics()
    return summary


def _staff_account(username: str, *, planner, unit_code: str, jabatan, golongan: str, groups, password_hash, unit_ids):
    """A staff account of the scale data (a PNS with an ASN profile in ``unit_code``) and its profile."""
    spec = planner.person(unit_code=unit_code, jabatan=jabatan, golongan=golongan, employment_type=EmploymentType.PNS)
    user = _account(
        username,
        password_hash=password_hash,
        groups=groups,
        first_name=spec.first_name,
        last_name=spec.last_name,
    )
    return user, _profile(user, spec, unit_ids)


def _refresh_planner_statistics() -> None:
    """After a bulk load PostgreSQL's planner still believes the tables are empty until autovacuum
    catches up, and picks nested loops over hundreds of thousands of rows: analyse them now."""
    if connection.vendor != "postgresql":
        return
    tables = [
        model._meta.db_table
        for model in (ASNProfile, UnitKerja, Enrolment, JPCredit, LessonProgress, Attempt, QuizResult)
    ]
    tables.append(get_user_model()._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(table) for table in tables))
