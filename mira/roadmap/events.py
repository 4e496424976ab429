"""Timeline entries of the roadmap. The data holds codes; labels are looked up when shown."""

from django.utils.translation import gettext_lazy as _

from mira.participants.events import register_event_kind
from mira.roadmap.models import AgreementMethod, GoalStatus


def _status_labels(data: dict) -> dict:
    labels = dict(GoalStatus.choices)
    comment = data.get("comment") or ""
    return {
        **data,
        "old": labels.get(data.get("old"), ""),
        "new": labels.get(data.get("new"), ""),
        "by_organisation": f" ({data['organisation']})" if data.get("organisation") else "",
        "comment": f": {comment}" if comment else "",
    }


def _agreement_labels(data: dict) -> dict:
    return {**data, "method": dict(AgreementMethod.choices).get(data.get("method"), "")}


def _share_labels(data: dict) -> dict:
    return {**data, "pdf": " (PDF)" if data.get("pdf_handed_over") else ""}


register_event_kind("roadmap_started", _("Roadmap started (version %(number)s)"), "signpost")
register_event_kind(
    "roadmap_revision_started",
    _("New draft of the roadmap started: version %(number)s, based on version %(based_on)s"),
    "signpost",
)
register_event_kind(
    "roadmap_agreed",
    _("Roadmap version %(number)s agreed with %(goals)s binding goals (%(method)s)"),
    "pen",
    _agreement_labels,
)
register_event_kind(
    "roadmap_shared", _("Roadmap version %(number)s shared with %(recipient)s%(pdf)s"), "share", _share_labels
)
register_event_kind(
    "roadmap_share_revoked",
    _("Sharing of roadmap version %(number)s with %(recipient)s revoked: %(reason)s"),
    "x-circle",
)
register_event_kind(
    "roadmap_goal_status",
    _("Goal “%(title)s”: %(old)s → %(new)s%(by_organisation)s%(comment)s"),
    "flag",
    _status_labels,
)
