"""Synthetic data at federal scale, for the benchmark (manage.py generate_synthetic_data).

Each app may contribute a `synthetic.py` with `generate(ctx: SyntheticContext)`; they run in
SYNTHETIC_APPS order. Everything is written with bulk_create in batches: no per-row saves,
no signals, no services. History rows (django-simple-history) are written in bulk where the
data protection officer's audit reads them (case files, household members, consents, documents).

The participants generator plans each case's life once (SyntheticCase: stage dates, contact
days, departure); the other generators derive their records from that plan, so a case's
sessions, roadmap, aid and timeline fit its stage and its dates.
"""

import datetime
import enum
import importlib
import time
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from random import Random

from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction
from django.db.models.base import ModelState
from django.utils import timezone
from django_scopes import scopes_disabled

from mira.core.models import OfCase

SYNTHETIC_APPS = [
    "mira.accounts",
    "mira.participants",
    "mira.network",
    "mira.privacy",
    "mira.documents",
    "mira.counselling",
    "mira.accompaniment",
    "mira.roadmap",
    "mira.aid",
]
BATCH_SIZE = 5000
# The generators walk the cases in chunks of this many, so memory stays flat at any scale.
CHUNK_SIZE = 5000
SYNTHETIC_CENTRE_PREFIX = "Synthetic centre"
# Office hours are local time; the zone is looked up once (timezone.make_aware costs a lookup per call).
ZONE = zoneinfo.ZoneInfo(settings.TIME_ZONE)


@dataclass(slots=True)
class SyntheticCase:
    """One generated case and the plan of its life, for the generators that run after participants."""

    pk: int
    centre_id: int
    counsellor_id: int
    stage: str
    opened: datetime.date
    country: str
    region: str
    language: str  # the document language (Participant.preferred_language)
    interpreter_language: str  # "" when no interpreter is needed
    case_number: str
    # The day each stage of the path was reached (first_contact is the opening day).
    stage_dates: dict = field(default_factory=dict)
    # The days of counselling sessions, oldest first (also the case's contacts).
    contact_days: list = field(default_factory=list)
    departure: datetime.date | None = None
    planned_departure: datetime.date | None = None
    closed: datetime.date | None = None
    household_size: int = 0

    def reached(self, stage: str) -> bool:
        return stage in self.stage_dates

    @property
    def is_open(self) -> bool:
        return self.closed is None


@dataclass
class SyntheticContext:
    participants: int
    centres_count: int = 20
    random: Random = field(default_factory=lambda: Random(7))  # noqa: S311 (synthetic data, not security)
    today: datetime.date = field(default_factory=timezone.localdate)
    now: datetime.datetime = field(default_factory=timezone.now)
    centres: list = field(default_factory=list)
    counsellors: dict = field(default_factory=dict)  # centre id -> [user ids]
    coordinators: dict = field(default_factory=dict)  # centre id -> [user ids]
    finance: dict = field(default_factory=dict)  # centre id -> [user ids]
    data_protection: dict = field(default_factory=dict)  # centre id -> [user ids]
    cases: list = field(default_factory=list)  # [SyntheticCase], in the order of their primary keys
    extra: dict = field(default_factory=dict)

    def days(self, offset: int) -> datetime.date:
        return self.today + datetime.timedelta(days=offset)

    def aware(self, day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
        return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE)

    def moment(self, day: datetime.date, hour: int | None = None, minute: int | None = None) -> datetime.datetime:
        """A time in office hours on day (never in the future)."""
        rng = self.random
        moment = self.aware(day, rng.randint(8, 16) if hour is None else hour,
                            rng.choice((0, 15, 30, 45)) if minute is None else minute)  # fmt: skip
        return min(moment, self.now)

    def chunks(self, size: int = CHUNK_SIZE):
        for start in range(0, len(self.cases), size):
            yield self.cases[start : start + size]


_DEFAULTS: dict = {}


def row(model, **values):
    """A model instance for bulk_insert, built without Model.__init__ (which costs several
    microseconds per row): the fields' defaults, then the given values (by attname, e.g.
    participant_id). Enough for inserting and reading attributes; nothing is validated."""
    defaults = _DEFAULTS.get(model)
    if defaults is None:
        fixed, computed = {}, []
        for f in model._meta.concrete_fields:
            if f.has_default() and callable(f.default):
                computed.append(f)
            else:
                fixed[f.attname] = f.get_default()
        defaults = _DEFAULTS[model] = (fixed, computed)
    fixed, computed = defaults
    instance = model.__new__(model)
    instance._state = ModelState()
    state = instance.__dict__
    state.update(fixed)
    for f in computed:
        if f.attname not in values:
            state[f.attname] = f.get_default()
    state.update(values)
    return instance


def bulk_insert(model, objects, batch_size: int = BATCH_SIZE) -> list:
    """Inserts model instances in batches and returns them with their primary keys set.

    On PostgreSQL the rows go in with COPY (primary keys drawn from the table's sequence
    first), which is several times faster than bulk_create; elsewhere (SQLite) bulk_create.
    Timestamps with auto_now / auto_now_add keep the moment the generator set (records are
    dated into the past); those left empty get the current time. No signals are sent."""
    if not objects:
        return []
    if issubclass(model, OfCase):
        _set_centre_of_case(objects)
    stamped = [
        f for f in model._meta.concrete_fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    now = timezone.now()
    for instance in objects:
        for stamp in stamped:
            if getattr(instance, stamp.attname) is None:
                setattr(instance, stamp.attname, now)
    if connection.vendor == "postgresql":
        for start in range(0, len(objects), batch_size):
            _copy(model, objects[start : start + batch_size])
        return objects
    saved = [(f, f.auto_now, f.auto_now_add) for f in stamped]
    try:
        for stamp in stamped:
            stamp.auto_now = stamp.auto_now_add = False
        created = []
        for start in range(0, len(objects), batch_size):
            created.extend(model._base_manager.bulk_create(objects[start : start + batch_size], batch_size=batch_size))
    finally:
        for stamp, auto_now, auto_now_add in saved:
            stamp.auto_now, stamp.auto_now_add = auto_now, auto_now_add
    return created


def _set_centre_of_case(objects: list) -> None:
    """Records that carry their case's centre (mira.core.models.OfCase) get it from the case,
    where the generator did not set it."""
    from mira.participants.models import Participant

    missing = {instance.participant_id for instance in objects if instance.centre_id is None}
    if missing:
        centres = dict(Participant._base_manager.filter(pk__in=missing).values_list("pk", "centre_id"))
        for instance in objects:
            if instance.centre_id is None:
                instance.centre_id = centres[instance.participant_id]


def _copy(model, objects: list) -> None:
    from psycopg.types.json import Jsonb

    meta = model._meta
    # The database computes generated columns (a task's pending flag).
    fields = [f for f in meta.concrete_fields if not f.generated]
    table = connection.ops.quote_name(meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    pk_name = meta.pk.attname
    with connection.cursor() as cursor:
        if getattr(objects[0], pk_name) is None:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(objects)],
            )
            for instance, (pk,) in zip(objects, cursor.fetchall(), strict=True):
                setattr(instance, pk_name, pk)
        converters = []
        for f in fields:
            if isinstance(f, models.JSONField):
                converters.append(lambda value: None if value is None else Jsonb(value))
            elif isinstance(f, models.FileField):
                converters.append(lambda value: str(value) if value else "")
            elif f.choices:
                converters.append(lambda value: value.value if isinstance(value, enum.Enum) else value)
            else:
                converters.append(None)
        getters = [(f.attname, convert) for f, convert in zip(fields, converters, strict=True)]
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for instance in objects:
                values = instance.__dict__
                copy.write_row(
                    [values[name] if convert is None else convert(values[name]) for name, convert in getters]
                )
    alias = connection.alias
    for instance in objects:
        instance._state.adding = False
        instance._state.db = alias


def history_rows(model: type[models.Model], records, *, kind: str = "+") -> list:
    """Rows of the model's simple-history table, as django-simple-history writes them on save.
    records: (instance, moment, user id) or (instance, moment, user id, {field: value as it was then})."""
    historical = model.history.model
    fields = [f.attname for f in historical.tracked_fields]
    rows = []
    for instance, moment, user_id, *changes in records:
        values = {name: getattr(instance, name) for name in fields}
        if changes:
            values.update(changes[0])
        rows.append(
            row(historical, history_date=moment, history_user_id=user_id, history_type=kind, history_change_reason=None,
                **values)
        )  # fmt: skip
    return rows


def spread(rng: Random, start: datetime.date, end: datetime.date, count: int) -> list[datetime.date]:
    """Up to count different working days between start and end (inclusive), sorted."""
    span = max(0, (end - start).days)
    days = {_weekday(start + datetime.timedelta(days=rng.randint(0, span)), end) for _ in range(count)}
    return sorted(days)


def _weekday(day: datetime.date, limit: datetime.date) -> datetime.date:
    while day.weekday() >= 5 and day < limit:
        day += datetime.timedelta(days=1)
    return day


def generate(
    *, participants: int, centres: int = 20, report: Callable[[str, float], None] | None = None
) -> SyntheticContext:
    """Writes the synthetic data of every app in SYNTHETIC_APPS in one transaction and returns the
    context (the plan of every case). report(step, seconds) is told how long each step took."""
    report = report or (lambda step, seconds: None)
    ctx = SyntheticContext(participants=participants, centres_count=centres)
    postgresql = connection.vendor == "postgresql"
    with scopes_disabled(), transaction.atomic():
        deferred = _defer_constraints_and_indexes() if postgresql else []
        for app in SYNTHETIC_APPS:
            try:
                module = importlib.import_module(f"{app}.synthetic")
            except ModuleNotFoundError as error:
                if error.name != f"{app}.synthetic":
                    raise
                continue
            step = time.monotonic()
            module.generate(ctx)
            report(app.split(".")[-1], time.monotonic() - step)
        with connection.cursor() as cursor:
            for label, statements in deferred:
                step = time.monotonic()
                for statement in statements:
                    cursor.execute(statement)
                report(label, time.monotonic() - step)
        step = time.monotonic()
    report("commit", time.monotonic() - step)
    if postgresql:
        # What autovacuum does on a live database: statistics for the planner and the visibility
        # map for index-only scans. VACUUM cannot run inside a transaction (a caller's, or a
        # test's): then only the statistics are gathered.
        step = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
        report("vacuum", time.monotonic() - step)
    return ctx


def _defer_constraints_and_indexes() -> list[tuple[str, list[str]]]:
    """Drops the foreign keys and plain (non-unique) indexes of MIRA's tables for the load and
    returns the statements that restore them: building an index once and checking a foreign key
    with one join afterwards is much faster than doing both row by row for millions of rows.
    Runs inside the generator's transaction, so a failed run leaves everything in place; a
    foreign key that the data violates fails the run when it is restored."""
    tables = sorted({model._meta.db_table for model in apps.get_models() if model.__module__.startswith("mira.")})
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cursor.execute(
            """SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c
               JOIN pg_class t ON t.oid = c.conrelid AND t.relnamespace = current_schema()::regnamespace
               WHERE c.contype = 'f' AND t.relname = ANY(%s) ORDER BY 1, 2""",
            [tables],
        )
        foreign_keys = cursor.fetchall()
        cursor.execute(
            """SELECT i.indexname, i.indexdef FROM pg_indexes i
               JOIN pg_class c ON c.relname = i.indexname AND c.relnamespace = current_schema()::regnamespace
               JOIN pg_index x ON x.indexrelid = c.oid
               WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
                 AND NOT x.indisunique AND NOT x.indisprimary ORDER BY 1""",
            [tables],
        )
        indexes = cursor.fetchall()
        for table, name, _definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
    return [
        ("indexes", [definition for _name, definition in indexes]),
        (
            "foreign keys",
            [
                f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}"
                for table, name, definition in foreign_keys
            ],
        ),
    ]
