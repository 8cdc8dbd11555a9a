"""Writes of the people app that change many rows at once: the roster import of ASN."""

import contextlib
import os
import secrets
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from people import roles, roster
from people.models import ASNProfile, UnitKerja
from people.roster import (
    COLUMN_NAMES,
    RosterFileError,
    RosterRecord,
    RowError,
    clean_table,
    read_roster,
    table_from_dicts,
)

# Rows per lookup and per bulk statement. Queries grow with the number of batches, never per row.
BATCH_SIZE = 500
# A file where every cell is wrong would list hundreds of thousands of errors; nobody reads past the
# first few thousand, and they are enough to see the pattern and fix the file.
MAX_REPORTED_ERRORS = 10_000


@dataclass
class ImportResult:
    """What an import did (or, for a dry run, would do), or why it did nothing."""

    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0  # may exceed len(errors), see MAX_REPORTED_ERRORS

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def errors_truncated(self) -> bool:
        return self.error_count > len(self.errors)


def roster_import(
    *,
    file: str | Path | bytes | BinaryIO | None = None,
    rows: Iterable[Mapping[str, Any]] | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Import ASN from a roster file (a path, bytes or a binary file object, CSV or XLSX) or from
    dicts keyed by column heading. Every row is validated first; if any is wrong nothing is written.
    Otherwise one transaction creates or updates people by NIP: the account (username = NIP, no
    usable password until one is set), the ASN profile, the Peserta role and supervisor links."""
    try:
        table = table_from_dicts(rows) if rows is not None else read_roster(_read_bytes(file))
    except RosterFileError as exc:
        return _failed(dry_run, [RowError(None, "", exc.message)], rows=0)

    records, errors = clean_table(table)
    try:
        with contextlib.nullcontext() if dry_run else transaction.atomic():
            snapshot = _Snapshot.load(records, lock=not dry_run)
            errors.extend(snapshot.errors_for(records))
            if errors or not all(record.valid for record in records):
                return _failed(dry_run, errors, rows=len(table.rows))
            plan = _Plan.make(records, snapshot)
            if not dry_run:
                plan.apply()
    except IntegrityError:
        # Someone changed the same people (or accounts) while this import ran; the transaction
        # rolled back, so nothing is half-written.
        message = _("Another change to the same people happened during the import. Nothing was written; try again.")
        return _failed(dry_run, [RowError(None, "", message)], rows=len(table.rows))
    return ImportResult(
        dry_run=dry_run,
        rows=len(table.rows),
        created=len(plan.new_records),
        updated=len(plan.updated_nips),
        unchanged=len(records) - len(plan.new_records) - len(plan.updated_nips),
    )


def _read_bytes(file) -> bytes:
    limit = roster.limits.MAX_FILE_BYTES
    too_big = _("The file is larger than %(limit)s MB. Split the roster into several files.") % {
        "limit": roster.megabytes(limit)
    }
    if isinstance(file, bytes):
        return file
    if isinstance(file, str | Path):
        try:
            if os.path.getsize(file) > limit:
                raise RosterFileError(too_big)
            with open(file, "rb") as handle:
                return handle.read()
        except OSError as exc:
            raise RosterFileError(
                _("The file cannot be opened: %(problem)s") % {"problem": exc.strerror or exc}
            ) from exc
    if file is None:
        raise RosterFileError(_("No file was given."))
    data = file.read(limit + 1)
    if len(data) > limit:
        raise RosterFileError(too_big)
    return data


def _failed(dry_run: bool, errors: list[RowError], *, rows: int) -> ImportResult:
    order = {name: index for index, name in enumerate(COLUMN_NAMES)}
    errors = sorted(errors, key=lambda e: (e.row or 0, order.get(e.column, len(order)), e.column))
    return ImportResult(dry_run=dry_run, rows=rows, errors=errors[:MAX_REPORTED_ERRORS], error_count=len(errors))


def _batches(items: list, size: int = BATCH_SIZE):
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class _Snapshot:
    """What the database holds about the people in the file, read in a fixed number of queries per batch."""

    unit_ids: dict[str, int]
    profiles: dict[str, ASNProfile]  # by NIP, with .user and .current_supervisor_nip
    accounts: dict[str, tuple[int, str, str | None]]  # username -> (user id, email, NIP of its profile)
    other_profile_ids: dict[str, int]  # supervisors named in the file who are not rows of it
    peserta: Group | None
    peserta_user_ids: set[int]

    @classmethod
    def load(cls, records: list[RosterRecord], *, lock: bool) -> "_Snapshot":
        user_model = get_user_model()
        # Rows that are wrong elsewhere are looked up too, so every error is found in one pass.
        nips = list(dict.fromkeys(record.nip for record in records if record.nip))
        in_file = set(nips)

        unit_ids: dict[str, int] = {}
        for codes in _batches(sorted({record.unit_code for record in records if record.unit_code})):
            unit_ids.update(UnitKerja.objects.filter(code__in=codes).values_list("code", "id"))

        profiles: dict[str, ASNProfile] = {}
        for batch in _batches(nips):
            queryset = ASNProfile.objects.filter(nip__in=batch).select_related("user")
            if lock:
                # Hold the rows being updated so an admin edit cannot be lost under the import.
                queryset = queryset.select_for_update(of=("self",))
            queryset = queryset.annotate(current_supervisor_nip=F("supervisor__nip"))
            profiles.update((profile.nip, profile) for profile in queryset)

        accounts: dict[str, tuple[int, str, str | None]] = {}
        for batch in _batches([nip for nip in nips if nip not in profiles]):
            rows = user_model.objects.filter(username__in=batch).values_list(
                "username", "id", "email", "asn_profile__nip"
            )
            accounts.update((username, (pk, email, profile_nip)) for username, pk, email, profile_nip in rows)

        other_profile_ids: dict[str, int] = {}
        outside = sorted({r.supervisor_nip for r in records if r.supervisor_nip and r.supervisor_nip not in in_file})
        for batch in _batches(outside):
            other_profile_ids.update(ASNProfile.objects.filter(nip__in=batch).values_list("nip", "id"))

        peserta = Group.objects.filter(name=roles.PESERTA).first()
        peserta_user_ids: set[int] = set()
        known_user_ids = [profile.user_id for profile in profiles.values()]
        known_user_ids += [pk for pk, _email, profile_nip in accounts.values() if profile_nip is None]
        if peserta is not None:
            membership = get_user_model().groups.through
            for batch in _batches(known_user_ids):
                peserta_user_ids.update(
                    membership.objects.filter(group=peserta, user_id__in=batch).values_list("user_id", flat=True)
                )
        return cls(unit_ids, profiles, accounts, other_profile_ids, peserta, peserta_user_ids)

    def errors_for(self, records: list[RosterRecord]) -> list[RowError]:
        """Rules that need the database: the unit exists, the supervisor exists, the NIP is free."""
        in_file = {record.nip for record in records if record.nip}
        errors = []
        for record in records:
            if record.unit_code and record.unit_code not in self.unit_ids:
                errors.append(RowError(
                    record.row, "kode_unit",
                    _("No work unit has this code. The codes are listed under Personnel → Work units."),
                    record.unit_code,
                ))  # fmt: skip
            supervisor = record.supervisor_nip
            if supervisor and supervisor not in in_file and supervisor not in self.other_profile_ids:
                errors.append(RowError(
                    record.row, "nip_atasan", _("No ASN has this NIP, in this file or in the system."), supervisor
                ))  # fmt: skip
            account = self.accounts.get(record.nip) if record.nip else None
            if record.nip not in self.profiles and account is not None and account[2] is not None:
                errors.append(RowError(
                    record.row, "nip",
                    _("An account with this NIP as username belongs to another ASN (NIP %(other)s).")
                    % {"other": account[2]},
                    record.nip,
                ))  # fmt: skip
        return errors


@dataclass
class _Plan:
    """The changes an import makes: new people, changed people, role memberships, supervisor links."""

    snapshot: _Snapshot
    records: list[RosterRecord]
    new_records: list[RosterRecord]
    # Changed profiles grouped by the fields that changed: a monthly roster changes a few fields of a
    # few people, and updating only those keeps bulk_update's CASE expressions small.
    changed_profiles: dict[tuple[str, ...], list[ASNProfile]]
    changed_users: list[Any]
    updated_nips: set[str]
    needs_peserta: list[int]  # existing user ids missing the Peserta role

    @classmethod
    def make(cls, records: list[RosterRecord], snapshot: _Snapshot) -> "_Plan":
        new_records, changed_users = [], []
        changed_profiles: dict[tuple[str, ...], list[ASNProfile]] = defaultdict(list)
        updated_nips: set[str] = set()
        needs_peserta: list[int] = []
        for record in records:
            profile = snapshot.profiles.get(record.nip)
            if profile is None:
                new_records.append(record)
                continue
            changed_fields = []
            for name, value in _profile_values(record, snapshot).items():
                if getattr(profile, name) != value:
                    setattr(profile, name, value)
                    changed_fields.append(name.removesuffix("_id"))
            if record.supervisor_nip and record.supervisor_nip != profile.current_supervisor_nip:
                changed_fields.append("supervisor")  # its id is set in apply(), once new people have ids
            if changed_fields:
                changed_profiles[tuple(changed_fields)].append(profile)
                updated_nips.add(record.nip)
            if record.email is not None and profile.user.email != record.email:
                profile.user.email = record.email
                changed_users.append(profile.user)
                updated_nips.add(record.nip)
            if profile.user_id not in snapshot.peserta_user_ids:
                needs_peserta.append(profile.user_id)
                updated_nips.add(record.nip)
        return cls(snapshot, records, new_records, changed_profiles, changed_users, updated_nips, needs_peserta)

    def apply(self) -> None:
        user_model = get_user_model()
        snapshot = self.snapshot
        now = timezone.now()

        # Accounts: reuse an account whose username is the NIP (created in the admin before the
        # profile), else create one with an unusable password: the person sets it via a reset.
        user_ids: dict[str, int] = {}
        new_users = []
        for record in self.new_records:
            account = snapshot.accounts.get(record.nip)
            if account is not None:
                user_ids[record.nip] = account[0]
                if record.email is not None and account[1] != record.email:
                    self.changed_users.append(user_model(pk=account[0], email=record.email))
                if account[0] not in snapshot.peserta_user_ids:
                    self.needs_peserta.append(account[0])
            else:
                new_users.append(
                    user_model(username=record.nip, email=record.email or "", password=_unusable_password())
                )
        _bulk_create(user_model, new_users, key="username")
        user_ids.update((user.username, user.pk) for user in new_users)
        self.needs_peserta.extend(user.pk for user in new_users)
        if self.changed_users:
            user_model.objects.bulk_update(self.changed_users, ["email"], batch_size=BATCH_SIZE)

        # Profiles of new people, level by level down the supervisor chains in the file, so every
        # supervisor has an id before the people who report to them are inserted. Chains are as deep
        # as the organisation (a handful of levels), so this adds a few statements, never one per row.
        profile_ids = {nip: profile.pk for nip, profile in snapshot.profiles.items()}
        profile_ids.update(snapshot.other_profile_ids)
        for level in _levels(self.new_records):
            new_profiles = []
            for record in level:
                values = _profile_values(record, snapshot)
                values["supervisor_id"] = profile_ids.get(record.supervisor_nip)
                new_profiles.append(ASNProfile(user_id=user_ids[record.nip], nip=record.nip, updated_at=now, **values))
            _bulk_create(ASNProfile, new_profiles, key="nip")
            profile_ids.update((profile.nip, profile.pk) for profile in new_profiles)

        # Changed people, with supervisors that may be new in this file.
        by_nip = {record.nip: record for record in self.records}
        for fields, profiles in self.changed_profiles.items():
            if "supervisor" in fields:
                for profile in profiles:
                    profile.supervisor_id = profile_ids[by_nip[profile.nip].supervisor_nip]
            ASNProfile.objects.bulk_update(profiles, fields, batch_size=BATCH_SIZE)
        # The same timestamp for all: a plain UPDATE, not one more CASE branch per person.
        changed_ids = [profile.pk for profiles in self.changed_profiles.values() for profile in profiles]
        for batch in _batches(changed_ids):
            ASNProfile.objects.filter(pk__in=batch).update(updated_at=now)

        # Everyone in the roster is a learner.
        if self.needs_peserta:
            peserta = snapshot.peserta or Group.objects.get_or_create(name=roles.PESERTA)[0]
            membership = user_model.groups.through
            _bulk_create(
                membership,
                [membership(user_id=user_id, group_id=peserta.pk) for user_id in self.needs_peserta],
                ignore_conflicts=True,
            )


def _levels(records: list[RosterRecord]) -> list[list[RosterRecord]]:
    """New people grouped so that each one's supervisor, when also new, is in an earlier group.
    The file has no supervisor loops (``roster.clean_table`` refuses them)."""
    by_nip = {record.nip: record for record in records}
    depth: dict[str, int] = {}
    for record in records:
        chain: list[str] = []
        nip = record.nip
        while nip in by_nip and nip not in depth and nip not in chain:
            chain.append(nip)
            nip = by_nip[nip].supervisor_nip
        base = depth.get(nip, -1)
        for offset, member in enumerate(reversed(chain), start=1):
            depth[member] = base + offset
    levels: dict[int, list[RosterRecord]] = defaultdict(list)
    for record in records:
        levels[depth[record.nip]].append(record)
    return [levels[level] for level in sorted(levels)]


def _profile_values(record: RosterRecord, snapshot: _Snapshot) -> dict[str, Any]:
    """The profile fields a row sets. Optional cells left empty keep the stored value (or blank)."""
    profile = snapshot.profiles.get(record.nip)
    values = {
        "employment_type": record.employment_type,
        "full_name": record.full_name,
        "gender": record.gender,
        "birth_date": record.birth_date,
        "golongan": record.golongan,
        "pppk_grade": record.pppk_grade,
        "jabatan_type": record.jabatan_type,
        "jabatan_name": record.jabatan_name,
        "unit_id": snapshot.unit_ids[record.unit_code],
    }
    for name, value in (("birth_place", record.birth_place), ("phone", record.phone)):
        if value is not None:
            values[name] = value
        elif profile is None:
            values[name] = ""
    return values


def _unusable_password() -> str:
    """What ``make_password(None)`` stores, from one urandom call instead of 40 ``secrets.choice``."""
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)


def _bulk_create(model, objects: list, *, key: str | None = None, **kwargs) -> None:
    """bulk_create in batches; with ``key``, make sure every object has its primary key afterwards."""
    if not objects:
        return
    model.objects.bulk_create(objects, batch_size=BATCH_SIZE, **kwargs)
    if key and objects[0].pk is None:
        # PostgreSQL and SQLite >= 3.35 return the new ids; other databases need them read back.
        for batch in _batches(objects):
            ids = dict(model.objects.filter(**{f"{key}__in": [getattr(o, key) for o in batch]}).values_list(key, "pk"))
            for obj in batch:
                obj.pk = ids[getattr(obj, key)]
