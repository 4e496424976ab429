"""Two versions of a roadmap side by side, with the changes marked word by word."""

import difflib
import re
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from mira.roadmap.models import Goal, RoadmapVersion

_TOKEN = re.compile(r"\s+|[^\s]+")


def text_diff(old: str, new: str) -> tuple[SafeString, SafeString]:
    """HTML of both texts, words removed from old in <del>, words added in new in <ins>."""
    old_tokens, new_tokens = _TOKEN.findall(old or ""), _TOKEN.findall(new or "")
    old_html, new_html = [], []
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    for operation, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        removed = escape("".join(old_tokens[a_start:a_end]))
        added = escape("".join(new_tokens[b_start:b_end]))
        if operation == "equal":
            old_html.append(removed)
            new_html.append(added)
            continue
        if removed:
            old_html.append(f'<del class="mira-diff-del">{removed}</del>')
        if added:
            new_html.append(f'<ins class="mira-diff-ins">{added}</ins>')
    return mark_safe("".join(old_html)), mark_safe("".join(new_html))  # noqa: S308 (escaped above)


@dataclass
class FieldChange:
    label: str
    old_html: SafeString
    new_html: SafeString
    changed: bool


def _field_change(label, old: str, new: str) -> FieldChange:
    old_html, new_html = text_diff(old, new)
    return FieldChange(label=str(label), old_html=old_html, new_html=new_html, changed=old != new)


def _version_fields(version: RoadmapVersion) -> dict[str, str]:
    return {
        "current_situation": version.current_situation,
        "professional_wishes": version.professional_wishes,
        "personal_wishes": version.personal_wishes,
        "family_situation": version.family_situation,
        "qualifications": version.qualifications,
        "wished_sectors": ", ".join(version.wished_sector_labels),
        "destination": version.destination_display,
    }


def _goal_fields(goal: Goal | None) -> dict[str, str]:
    if goal is None:
        return dict.fromkeys(("phase", "title", "title_translated", "measure", "owner", "due_on", "status"), "")
    return {
        "phase": str(goal.get_phase_display()),
        "title": goal.title,
        "title_translated": goal.title_translated,
        "measure": goal.measure,
        "owner": goal.owner_display,
        "due_on": date_format(goal.due_on, "SHORT_DATE_FORMAT"),
        "status": str(goal.get_status_display()),
    }


@dataclass
class GoalChange:
    state: str  # "added", "removed", "changed", "same"
    old: Goal | None
    new: Goal | None
    fields: list[FieldChange] = field(default_factory=list)


@dataclass
class OfferChange:
    state: str  # "added", "removed", "same"
    title: str
    organisation_name: str


@dataclass
class VersionComparison:
    old: RoadmapVersion
    new: RoadmapVersion
    fields: list[FieldChange]
    goals: list[GoalChange]
    offers: list[OfferChange]

    @property
    def changed_count(self) -> int:
        return (
            sum(1 for change in self.fields if change.changed)
            + sum(1 for change in self.goals if change.state != "same")
            + sum(1 for change in self.offers if change.state != "same")
        )


def versions_compare(old: RoadmapVersion, new: RoadmapVersion) -> VersionComparison:
    """Compares content, goals (matched across versions by their key) and chosen offers."""
    old_fields, new_fields = _version_fields(old), _version_fields(new)
    labels = {name: RoadmapVersion._meta.get_field(name).verbose_name for name in old_fields if name != "destination"}
    labels["destination"] = _("Destination")
    fields = [_field_change(labels[name], old_fields[name], new_fields[name]) for name in old_fields]

    old_goals = {goal.key: goal for goal in old.goals.all()}
    new_goals = {goal.key: goal for goal in new.goals.all()}
    goal_labels = {
        name: Goal._meta.get_field(name).verbose_name
        for name in ("phase", "title", "title_translated", "measure", "owner", "due_on", "status")
    }
    goals = []
    for key in [*new_goals, *(key for key in old_goals if key not in new_goals)]:
        before, after = old_goals.get(key), new_goals.get(key)
        a, b = _goal_fields(before), _goal_fields(after)
        changes = [_field_change(goal_labels[name], a[name], b[name]) for name in a]
        if before is None:
            state = "added"
        elif after is None:
            state = "removed"
        else:
            state = "changed" if any(change.changed for change in changes) else "same"
        goals.append(GoalChange(state=state, old=before, new=after, fields=changes))

    def offer_key(chosen):
        return chosen.offer_id or f"{chosen.title}|{chosen.organisation_name}"

    old_offers = {offer_key(chosen): chosen for chosen in old.offers.all()}
    new_offers = {offer_key(chosen): chosen for chosen in new.offers.all()}
    offers = [
        OfferChange("same" if key in old_offers else "added", chosen.title, chosen.organisation_name)
        for key, chosen in new_offers.items()
    ] + [
        OfferChange("removed", chosen.title, chosen.organisation_name)
        for key, chosen in old_offers.items()
        if key not in new_offers
    ]
    return VersionComparison(old=old, new=new, fields=fields, goals=goals, offers=offers)
