"""Synthetic data at federal scale, for the benchmark (manage.py generate_synthetic_data).

Each app may contribute a `synthetic.py` with `generate(ctx: SyntheticContext)`; they run in
SYNTHETIC_APPS order. Everything is written with bulk_create in batches: no per-row saves,
no signals, no history rows except where an app writes them itself in bulk.
"""

import datetime
from dataclasses import dataclass, field
from random import Random

from django.utils import timezone

SYNTHETIC_APPS = [
    "mira.accounts",
    "mira.network",
    "mira.participants",
    "mira.privacy",
    "mira.counselling",
    "mira.accompaniment",
    "mira.roadmap",
    "mira.aid",
]
BATCH_SIZE = 5000


@dataclass
class SyntheticContext:
    participants: int
    centres_count: int = 20
    random: Random = field(default_factory=lambda: Random(7))  # noqa: S311 (synthetic data, not security)
    today: datetime.date = field(default_factory=timezone.localdate)
    centres: list = field(default_factory=list)
    counsellors: dict = field(default_factory=dict)  # centre id -> [user ids]
    coordinators: dict = field(default_factory=dict)  # centre id -> [user ids]
    finance: dict = field(default_factory=dict)  # centre id -> [user ids]
    # (participant id, centre id, counsellor id, stage, opened_on, return country) for every generated case
    cases: list = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    def days(self, offset: int) -> datetime.date:
        return self.today + datetime.timedelta(days=offset)

    def aware(self, day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour, minute))


def bulk_insert(model, objects, batch_size: int = BATCH_SIZE) -> list:
    """bulk_create in batches; returns the created objects (with primary keys on PostgreSQL)."""
    created = []
    for start in range(0, len(objects), batch_size):
        created.extend(model.objects.bulk_create(objects[start : start + batch_size], batch_size=batch_size))
    return created
