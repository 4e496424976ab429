"""Synthetic demo data for the quickstart. Each app contributes a `demo.py` with
`load(ctx: DemoContext)`; they run in DEMO_APPS order, sharing the context."""

import datetime
from dataclasses import dataclass, field
from random import Random

from django.utils import timezone

DEMO_PASSWORD = "mira-demo"

# Order matters: later apps use what earlier ones created (ctx.extra).
DEMO_APPS = [
    "mira.accounts",
    "mira.participants",
    "mira.privacy",
    # after privacy: referrals abroad need the demo consents
    "mira.network",
    "mira.documents",
    "mira.counselling",
    "mira.accompaniment",
    "mira.roadmap",
    "mira.aid",
    "mira.portal",
    "mira.psychology",
]


@dataclass
class DemoContext:
    random: Random = field(default_factory=lambda: Random(20261125))  # noqa: S311 (demo data, not security)
    today: datetime.date = field(default_factory=timezone.localdate)
    centres: dict = field(default_factory=dict)  # code -> Centre
    users: dict = field(default_factory=dict)  # username -> User
    participants: list = field(default_factory=list)  # all demo participants, main centre first
    extra: dict = field(default_factory=dict)  # anything an app wants to hand to later apps

    def days(self, offset: int) -> datetime.date:
        return self.today + datetime.timedelta(days=offset)

    def moment(self, day_offset: int, hour: int, minute: int = 0) -> datetime.datetime:
        day = self.days(day_offset)
        return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour, minute))
