"""The change history of a session, for reading: who changed which field when, old and new value.

simple-history writes one record per save and one more when the attendees change;
records of one person within a few seconds are one change for the reader.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import formats, timezone

from mira.counselling.models import CounsellingSession, Interpreter, SessionMode
from mira.participants.models import HouseholdMember

SAME_CHANGE_WITHIN = datetime.timedelta(seconds=10)
# Long texts are shown folded.
LONG_FIELDS = {"notes", "next_steps"}
SHOWN_FIELDS = [
    "started_at",
    "duration_minutes",
    "mode",
    "topics",
    "language",
    "interpreter",
    "interpreter_other",
    "participant_attended",
    "household_attendees",
    "notes",
    "next_steps",
]


@dataclass
class FieldChange:
    label: str
    old: str
    new: str
    is_long: bool = False


@dataclass
class Change:
    at: datetime.datetime
    user: object
    created: bool
    fields: list[FieldChange] = field(default_factory=list)


def _display(session: CounsellingSession, name: str, value, names: dict) -> str:
    if value in (None, "", []):
        return "—"
    if name == "started_at":
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if name == "mode":
        return str(dict(SessionMode.choices).get(value, value))
    if name == "topics":
        probe = CounsellingSession(topics=value)
        return ", ".join(probe.topic_labels)
    if name == "language":
        return CounsellingSession(language=value).language_display
    if name == "interpreter":
        return names["interpreter"].get(value, str(value))
    if name == "participant_attended":
        from django.utils.translation import gettext

        return gettext("yes") if value else gettext("no")
    if name == "household_attendees":
        ids = sorted(row["householdmember"] for row in value)
        return ", ".join(names["member"].get(pk, str(pk)) for pk in ids) or "—"
    return str(value)


def session_changes(session: CounsellingSession) -> list[Change]:
    """Newest first. The first entry of a session is its recording (created=True), without field list."""
    records = list(session.history.select_related("history_user").order_by("history_date", "history_id"))
    groups: list[list] = []
    for record in records:
        last = groups[-1][-1] if groups else None
        if (
            last is not None
            and last.history_user_id == record.history_user_id
            and record.history_date - last.history_date <= SAME_CHANGE_WITHIN
        ):
            groups[-1].append(record)
        else:
            groups.append([record])
    names = {
        "interpreter": dict(
            Interpreter.objects.filter(pk__in={r.interpreter_id for r in records if r.interpreter_id}).values_list(
                "pk", "name"
            )
        ),
        "member": {
            member.pk: f"{member.first_name} {member.last_name}"
            for member in HouseholdMember.objects.filter(participant_id=session.participant_id)
        },
    }
    labels = {name: str(CounsellingSession._meta.get_field(name).verbose_name) for name in SHOWN_FIELDS}
    changes = []
    previous = None
    for group in groups:
        current = group[-1]
        change = Change(at=current.history_date, user=current.history_user, created=previous is None)
        if previous is not None:
            delta = current.diff_against(previous, included_fields=SHOWN_FIELDS)
            by_name = {item.field: item for item in delta.changes}
            for name in SHOWN_FIELDS:
                item = by_name.get(name)
                if item is None:
                    continue
                old, new = _display(session, name, item.old, names), _display(session, name, item.new, names)
                if old != new:
                    change.fields.append(FieldChange(labels[name], old, new, is_long=name in LONG_FIELDS))
            if change.fields:
                changes.append(change)
        else:
            changes.append(change)
        previous = current
    return list(reversed(changes))
