"""Lays appointments out for the server-rendered calendar (day and week views).

The grid has one row per quarter hour; a block's position is given as CSS
classes (row start, row span, lane, lane width: see static/counselling/calendar.css),
because the Content-Security-Policy forbids inline styles. Overlapping
appointments in one column sit side by side in lanes.
"""

import datetime
import math
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

ROW_MINUTES = 15
SLOT_MINUTES = 30
DEFAULT_FIRST_HOUR = 8
DEFAULT_LAST_HOUR = 18
MAX_LANES = 12
WEEKEND = (5, 6)


@dataclass
class Block:
    appointment: object
    row: int
    span: int
    lane: int = 1
    width: int = 1
    palette: int = 0

    @property
    def css(self) -> str:
        return (
            f"mira-cal-r{self.row} mira-cal-s{self.span} mira-cal-c{self.lane} mira-cal-w{self.width} "
            f"mira-cal-p{self.palette}"
        )


@dataclass
class Column:
    day: datetime.date
    counsellor: object = None
    is_today: bool = False
    holiday: str = ""
    appointments: list = field(default_factory=list)
    blocks: list = field(default_factory=list)
    # Where an empty slot of the column leads (mira.js makes the slots' links from it).
    new_url: str = ""


@dataclass
class Grid:
    first_hour: int
    last_hour: int
    columns: list
    hours: list = field(default_factory=list)
    slot_minutes: int = SLOT_MINUTES


@cache
def _holidays(year: int, language: str) -> dict:
    import holidays

    return dict(holidays.Germany(subdiv="TH", years=year, language=language))


def holiday_name(day: datetime.date) -> str:
    """The public holiday in Thuringia on day, if any (in German or English)."""
    language = "de" if (get_language() or "de").startswith("de") else "en_US"
    return _holidays(day.year, language).get(day, "")


def _local(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment)


def _hour_range(appointments: list, days: list[datetime.date]) -> tuple[int, int]:
    first, last = DEFAULT_FIRST_HOUR, DEFAULT_LAST_HOUR
    for appointment in appointments:
        start, end = _local(appointment.starts_at), _local(appointment.ends_at)
        if start.date() in days:
            first = min(first, start.hour)
        if end.date() in days:
            last = max(last, end.hour + (1 if end.minute else 0))
        if end.date() > start.date():
            last = 24
        if start.date() < end.date() and end.date() in days and start.date() not in days:
            first = 0
    return max(0, first), min(24, last)


def _place_blocks(column: Column, first_hour: int, last_hour: int, palettes: dict) -> None:
    rows = (last_hour - first_hour) * 60 // ROW_MINUTES
    grid_start = timezone.make_aware(datetime.datetime.combine(column.day, datetime.time(first_hour)))
    blocks = []
    for appointment in column.appointments:
        start = max(appointment.starts_at, grid_start)
        end = appointment.ends_at
        row = math.floor((start - grid_start).total_seconds() / 60 / ROW_MINUTES) + 1
        end_row = math.ceil((end - grid_start).total_seconds() / 60 / ROW_MINUTES) + 1
        row = min(max(row, 1), rows)
        end_row = min(max(end_row, row + 1), rows + 1)
        blocks.append(
            Block(appointment, row=row, span=end_row - row, palette=palettes.get(appointment.counsellor_id, 0))
        )
    # Lanes: a cluster is a run of blocks that overlap one another; each block takes
    # the first free lane of its cluster, and the last block of a narrow cluster widens.
    blocks.sort(key=lambda block: (block.row, -block.span))
    clusters: list[list[Block]] = []
    cluster_end = 0
    for block in blocks:
        if not clusters or block.row >= cluster_end:
            clusters.append([])
            cluster_end = 0
        clusters[-1].append(block)
        cluster_end = max(cluster_end, block.row + block.span)
    lane_count = 1
    for cluster in clusters:
        lane_ends: list[int] = []
        for block in cluster:
            for index, lane_end in enumerate(lane_ends):
                if block.row >= lane_end:
                    block.lane = index + 1
                    lane_ends[index] = block.row + block.span
                    break
            else:
                lane_ends.append(block.row + block.span)
                block.lane = len(lane_ends)
        lane_count = max(lane_count, len(lane_ends))
        for block in cluster:
            block.lane = min(block.lane, MAX_LANES)
    for cluster in clusters:
        used = max(block.lane for block in cluster)
        for block in cluster:
            if block.lane == used:
                block.width = max(1, min(lane_count, MAX_LANES) - used + 1)
    column.blocks = blocks


def _new_url(column: Column, *, who: str) -> str:
    """The link of the column's empty slots, without their start: a new appointment of the
    column's counsellor, or of the counsellor whose calendar is shown."""
    base = reverse("counselling:appointment_create")
    if column.counsellor is not None:
        return f"{base}?{urlencode({'counsellor': column.counsellor.pk})}"
    if who not in ("me", "all"):
        return f"{base}?{urlencode({'counsellor': who})}"
    return base


def build_grid(
    *,
    days: list[datetime.date],
    appointments: list,
    today: datetime.date,
    counsellors: list | None = None,
    who: str = "me",
    palettes: dict | None = None,
) -> Grid:
    """Columns per day (week view, or a single day), or per counsellor (a day of the whole centre)."""
    palettes = palettes or {}
    first_hour, last_hour = _hour_range(appointments, days)
    columns = []
    if counsellors is not None:
        day = days[0]
        for counsellor in counsellors:
            columns.append(Column(day=day, counsellor=counsellor, is_today=day == today))
    else:
        for day in days:
            columns.append(Column(day=day, is_today=day == today, holiday=holiday_name(day)))
    for column in columns:
        day_start = timezone.make_aware(datetime.datetime.combine(column.day, datetime.time.min))
        day_end = day_start + datetime.timedelta(days=1)
        column.appointments = [
            appointment
            for appointment in appointments
            if appointment.starts_at < day_end
            and appointment.ends_at > day_start
            and (column.counsellor is None or appointment.counsellor_id == column.counsellor.pk)
        ]
        _place_blocks(column, first_hour, last_hour, palettes)
        column.new_url = _new_url(column, who=who)
    hours = [datetime.time(hour) for hour in range(first_hour, last_hour)]
    return Grid(first_hour=first_hour, last_hour=last_hour, columns=columns, hours=hours)


def week_days(anchor: datetime.date, appointments: list) -> list[datetime.date]:
    """Monday to Friday of anchor's week, and the weekend days that have appointments (or are anchor)."""
    monday = anchor - datetime.timedelta(days=anchor.weekday())
    days = [monday + datetime.timedelta(days=offset) for offset in range(7)]
    busy = {_local(a.starts_at).date() for a in appointments}
    return [day for day in days if day.weekday() not in WEEKEND or day in busy or day == anchor]
