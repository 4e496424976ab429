"""Local days as timestamps (Europe/Berlin).

Filter timestamps with `field__gte=day_start(first)` and `field__lt=day_start(last + 1 day)`
rather than `field__date__…`: the comparison with a timestamp can use an index on the field,
the `__date` cast cannot.
"""

import datetime

from django.db.models import Q
from django.utils import timezone


def day_start(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of day in the current time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def within_days(field: str, first: datetime.date | None, last: datetime.date | None) -> Q:
    """Timestamps of `field` on the local days first to last (both included; either may be open)."""
    condition = Q()
    if first:
        condition &= Q(**{f"{field}__gte": day_start(first)})
    if last:
        condition &= Q(**{f"{field}__lt": day_start(last + datetime.timedelta(days=1))})
    return condition
