"""Timeline entries of counselling work. Data holds codes and ISO timestamps;
`prepare` turns them into labels in the reader's language."""

import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from mira.participants.events import register_event_kind


def _moment(value: str) -> str:
    if not value:
        return ""
    moment = timezone.localtime(datetime.datetime.fromisoformat(value))
    return formats.date_format(moment, "SHORT_DATETIME_FORMAT")


def _session_labels(data: dict) -> dict:
    from mira.counselling.models import SessionMode, Topic

    modes = dict(SessionMode.choices)
    topics = dict(Topic.choices)
    return {
        "when": _moment(data.get("started_at", "")),
        "mode": modes.get(data.get("mode"), ""),
        "minutes": data.get("minutes", ""),
        "topics": ", ".join(str(topics.get(code, code)) for code in data.get("topics", [])),
    }


def _appointment_labels(data: dict) -> dict:
    return {"when": _moment(data.get("starts_at", "")), "title": data.get("title", "")}


register_event_kind(
    "session_logged",
    _("Counselling session on %(when)s (%(mode)s, %(minutes)s min): %(topics)s"),
    "chat-left-text",
    _session_labels,
)
register_event_kind("session_updated", _("Counselling session of %(when)s edited"), "pencil-square", _session_labels)
register_event_kind(
    "appointment_booked", _("Appointment booked for %(when)s: %(title)s"), "calendar-plus", _appointment_labels
)
register_event_kind(
    "appointment_changed", _("Appointment changed, now %(when)s: %(title)s"), "calendar-event", _appointment_labels
)
register_event_kind(
    "appointment_cancelled", _("Appointment of %(when)s cancelled: %(title)s"), "calendar-x", _appointment_labels
)
register_event_kind(
    "appointment_done", _("Appointment of %(when)s held: %(title)s"), "calendar-check", _appointment_labels
)
