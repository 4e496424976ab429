"""The case timeline: every app logs what happened on a case through case_event_log.

Messages are stored as a kind plus data and translated when shown, so the
timeline reads in the viewer's language. Apps register their kinds at import
time with register_event_kind (in their events module or services).
"""

from django.utils.translation import gettext_lazy as _

from mira.participants.models import CaseEvent, Participant, Stage

_MESSAGES: dict[str, tuple] = {}


def register_event_kind(kind: str, message, icon: str = "dot", prepare=None) -> None:
    """message is a lazy translatable string with %(name)s placeholders for the event data;
    prepare, if given, turns the stored data (codes) into display values when shown."""
    _MESSAGES[kind] = (message, icon, prepare)


def registered_messages() -> list:
    """The messages of every registered kind (the data-subject export prints them in the person's language)."""
    return [message for message, _icon, _prepare in _MESSAGES.values()]


def case_event_log(*, participant: Participant, kind: str, actor=None, **data) -> CaseEvent:
    if kind not in _MESSAGES:
        raise ValueError(f"Unregistered case event kind {kind!r}")
    return CaseEvent.objects.create(participant=participant, kind=kind, actor=actor, data=data)


class _SafeDict(dict):
    def __missing__(self, key):
        return ""


def event_message(event: CaseEvent) -> str:
    message, _icon, prepare = _MESSAGES.get(event.kind, (event.kind, "dot", None))
    data = prepare(event.data) if prepare else event.data
    try:
        return str(message) % _SafeDict(data)
    except (TypeError, ValueError):
        return str(message)


def event_icon(event: CaseEvent) -> str:
    return _MESSAGES.get(event.kind, ("", "dot", None))[1]


def _stage_labels(data: dict) -> dict:
    labels = dict(Stage.choices)
    return {"old": labels.get(data.get("old"), ""), "new": labels.get(data.get("new"), "")}


def _field_labels(data: dict) -> dict:
    names = []
    for name in data.get("fields", []):
        try:
            names.append(str(Participant._meta.get_field(name).verbose_name))
        except Exception:
            names.append(name)
    return {"fields": ", ".join(names)}


register_event_kind("case_opened", _("Case opened by intake"), "folder-plus")
register_event_kind(
    "duplicate_dismissed",
    _("Enrolled although similar cases were shown, as a different person from %(cases)s"),
    "people",
    lambda data: {"cases": ", ".join(data.get("cases", []))},
)
register_event_kind("case_updated", _("Master data changed: %(fields)s"), "pencil", _field_labels)
register_event_kind("stage_changed", _("Stage changed from “%(old)s” to “%(new)s”"), "signpost-split", _stage_labels)
register_event_kind("household_added", _("Household member added: %(name)s"), "people")
register_event_kind("household_updated", _("Household member changed: %(name)s"), "people")
register_event_kind("household_removed", _("Household member removed: %(name)s"), "people")
