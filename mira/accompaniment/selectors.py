"""Reads of accompaniment tasks and departure planning (filled in by the accompaniment app)."""

import datetime


def tasks_for_my_day(*, user, today: datetime.date) -> list:
    """Open tasks of the user that are due today or overdue, soonest first (for the counsellor's start page)."""
    return []
