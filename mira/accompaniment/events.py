"""Timeline entries of accompaniment and departure planning. Data holds codes and
ISO dates; prepare() turns them into labels in the reader's language."""

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from mira.accompaniment.models import ApplicationStatus, Programme, TaskStatus
from mira.participants.events import register_event_kind


def _date(value) -> str:
    if not value:
        return ""
    return date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT")


def _task(data: dict) -> dict:
    statuses = dict(TaskStatus.choices)
    return {
        **data,
        "due_on": _date(data.get("due_on")),
        "old": statuses.get(data.get("old"), ""),
        "new": statuses.get(data.get("new"), ""),
    }


def _programme_label(data: dict) -> str:
    label = str(dict(Programme.choices).get(data.get("programme"), ""))
    return f"{label}: {data['programme_name']}" if data.get("programme_name") else label


def _application(data: dict) -> dict:
    statuses = dict(ApplicationStatus.choices)
    return {
        **data,
        "programme": _programme_label(data),
        "status": statuses.get(data.get("status"), ""),
        "old": statuses.get(data.get("old"), ""),
        "new": statuses.get(data.get("new"), ""),
    }


def _departure(data: dict) -> dict:
    count = data.get("count", 0)
    missed = data.get("missed", 0)
    summary = ngettext("%(count)d deadline scheduled", "%(count)d deadlines scheduled", count) % {"count": count}
    if missed:
        summary += ", " + ngettext(
            "%(count)d of them can no longer be met", "%(count)d of them can no longer be met", missed
        ) % {"count": missed}
    return {"departure": _date(data.get("departure")), "summary": summary}


register_event_kind("task_created", _("Task added: %(title)s (due %(due_on)s)"), "list-check", _task)
register_event_kind("task_changed", _("Task changed: %(title)s (due %(due_on)s)"), "list-check", _task)
register_event_kind("task_status_changed", _("Task “%(title)s”: %(old)s → %(new)s"), "check2-square", _task)
register_event_kind(
    "tasks_from_template", _("%(count)s tasks added from the checklist “%(template)s”"), "card-checklist"
)
register_event_kind("task_attachment_added", _("Document “%(document)s” attached to task “%(title)s”"), "paperclip")
register_event_kind("departure_planned", _("Departure planned for %(departure)s: %(summary)s"), "airplane", _departure)
register_event_kind(
    "programme_application_added", _("Application to %(programme)s recorded (%(status)s)"), "file-earmark-text",
    _application,
)  # fmt: skip
register_event_kind(
    "programme_application_changed", _("Application to %(programme)s changed"), "file-earmark-text", _application
)
register_event_kind(
    "programme_application_status_changed", _("Application to %(programme)s: %(old)s → %(new)s"),
    "file-earmark-check", _application,
)  # fmt: skip
