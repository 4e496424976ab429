"""The cap on in-kind aid per participant, configured per funding period.

settings.MIRA_AID_CAP_PERIODS (optional) is either a list of (start date, cap)
pairs or a string "2020-01-01=1000.00,2027-01-01=1200.00" (as read from the
environment variable of the same name). Each period runs from its start date
until the next one starts. Without the setting the cap is 1,000.00 EUR from
1 January 2020. The cap that applies to a request is the one of the day it is
approved; it limits the sum of all the participant's approved (and later) requests.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULT_CAP_PERIODS: list[tuple[datetime.date, Decimal]] = [(datetime.date(2020, 1, 1), Decimal("1000.00"))]


def _parse(value) -> list[tuple[datetime.date, Decimal]]:
    if isinstance(value, str):
        pairs = []
        for chunk in value.split(","):
            if not chunk.strip():
                continue
            start, _sep, cap = chunk.partition("=")
            pairs.append((start.strip(), cap.strip()))
        value = pairs
    periods = []
    for start, cap in value:
        try:
            start = start if isinstance(start, datetime.date) else datetime.date.fromisoformat(start)
            cap = Decimal(str(cap)).quantize(Decimal("0.01"))
        except (ValueError, TypeError, InvalidOperation) as error:
            raise ImproperlyConfigured(
                f"MIRA_AID_CAP_PERIODS: {start!r}={cap!r} is not 'YYYY-MM-DD=amount'"
            ) from error  # fmt: skip
        if cap < 0:
            raise ImproperlyConfigured(f"MIRA_AID_CAP_PERIODS: the cap from {start} is negative")
        periods.append((start, cap))
    if not periods:
        raise ImproperlyConfigured("MIRA_AID_CAP_PERIODS names no period")
    return sorted(periods)


def cap_periods() -> list[tuple[datetime.date, Decimal]]:
    configured = getattr(settings, "MIRA_AID_CAP_PERIODS", None)
    return DEFAULT_CAP_PERIODS if not configured else _parse(configured)


def aid_cap_on(day: datetime.date) -> Decimal:
    """The cap per participant on that day (0.00 before the first period: no aid)."""
    cap = Decimal("0.00")
    for start, period_cap in cap_periods():
        if start <= day:
            cap = period_cap
    return cap
