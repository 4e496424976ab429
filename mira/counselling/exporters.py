"""iCalendar output: the personal feed and the download of one appointment.

Privacy first: calendar programs copy events to phones and cloud services, so an
event names the case by its case number and the appointment's title, never the
participant's name, and carries no notes. Times are written in UTC, which every
calendar program converts to local time.
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mira.counselling.models import Appointment, AppointmentStatus

PRODID = "-//MIRA Thüringen//Beratungskalender//DE"


def appointment_summary(appointment: Appointment) -> str:
    if appointment.participant_id:
        return f"{appointment.title} · {appointment.participant.case_number}"
    return appointment.title


def _event(appointment: Appointment, *, stamp: datetime.datetime):
    from icalendar import Event

    event = Event()
    event.add("uid", f"{appointment.uid}@mira")
    event.add("dtstamp", stamp)
    event.add("created", appointment.created_at.astimezone(datetime.UTC))
    event.add("last-modified", appointment.updated_at.astimezone(datetime.UTC))
    event.add("sequence", appointment.sequence)
    event.add("dtstart", appointment.starts_at.astimezone(datetime.UTC))
    event.add("dtend", appointment.ends_at.astimezone(datetime.UTC))
    event.add("summary", appointment_summary(appointment))
    if appointment.video_link:
        event.add("location", appointment.video_link)
        event.add("url", appointment.video_link)
    elif appointment.place:
        event.add("location", appointment.place)
    lines = []
    if appointment.interpreter_id:
        lines.append(_("Interpreter: %(name)s") % {"name": appointment.interpreter.name})
    if appointment.video_link:
        lines.append(_("Video meeting: %(link)s") % {"link": appointment.video_link})
    if lines:
        event.add("description", "\n".join(lines))
    event.add("status", "CANCELLED" if appointment.status == AppointmentStatus.CANCELLED else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if appointment.status == AppointmentStatus.CANCELLED else "OPAQUE")
    return event


def appointments_to_ical(appointments: Iterable[Appointment], *, name: str) -> bytes:
    """A VCALENDAR with one VEVENT per appointment (cancelled ones marked STATUS:CANCELLED)."""
    from icalendar import Calendar

    with translation.override(settings.LANGUAGE_CODE):
        calendar = Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", settings.TIME_ZONE)
        # Calendar programs that honour it poll the feed hourly.
        calendar.add("refresh-interval", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", "PT1H")
        stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
        for appointment in appointments:
            calendar.add_component(_event(appointment, stamp=stamp))
        return calendar.to_ical()
