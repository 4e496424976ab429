"""Back-scheduling of departure deadlines.

The rules themselves are data (DeadlineRule, edited by coordinators); this module
only knows how to count days: calendar days, or working days (Monday to Friday
without the public holidays of Thuringia, e.g. Weltkindertag on 20 September and
Reformationstag on 31 October).
"""

import datetime
from dataclasses import dataclass
from functools import cache

import holidays
from django.utils import timezone

from mira.accompaniment.models import ApplicationStatus, DeadlineRule, OffsetUnit, RuleCondition
from mira.participants.models import Participant, Relationship

ADULT_AGE = 18


@cache
def _thuringian_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.Germany(subdiv="TH", years=year))


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _thuringian_holidays(day.year)


def working_days_before(day: datetime.date, count: int) -> datetime.date:
    """The date `count` working days before `day` (day itself not counted)."""
    current = day
    remaining = count
    while remaining > 0:
        current -= datetime.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def deadline_for(departure: datetime.date, rule: DeadlineRule) -> datetime.date:
    """The last day on which what the rule asks for must be done."""
    if rule.unit == OffsetUnit.WORKING_DAYS:
        return working_days_before(departure, rule.offset)
    return departure - datetime.timedelta(days=rule.offset)


@dataclass(frozen=True)
class PlannedDeadline:
    rule: DeadlineRule
    due_on: datetime.date
    # The deadline lies before today: it can no longer be met for this departure date.
    too_late: bool


@dataclass(frozen=True)
class CaseFacts:
    """What the rules' conditions look at, read once per plan."""

    programmes: frozenset[str]  # programmes applied (or to be applied) for, rejected ones left out
    minor_child_along: bool  # a child under 18 on the departure day returns along
    second_parent_along: bool  # a spouse or partner returns along

    @classmethod
    def of(cls, participant: Participant, departure: datetime.date) -> "CaseFacts":
        members = [member for member in participant.household_members.all() if member.returns_along]
        return cls(
            programmes=frozenset(active_programmes(participant)),
            minor_child_along=any(
                member.relationship == Relationship.CHILD and member.age_on(departure) < ADULT_AGE for member in members
            ),
            second_parent_along=any(member.relationship == Relationship.SPOUSE for member in members),
        )


def rule_applies(rule: DeadlineRule, facts: CaseFacts) -> bool:
    if not rule.active:
        return False
    if rule.programme and rule.programme not in facts.programmes:
        return False
    if rule.condition == RuleCondition.MINOR_CHILDREN:
        return facts.minor_child_along
    if rule.condition == RuleCondition.MINOR_CHILDREN_ONE_PARENT:
        return facts.minor_child_along and not facts.second_parent_along
    return True


def active_programmes(participant: Participant) -> set[str]:
    return set(
        participant.programme_applications.exclude(status=ApplicationStatus.REJECTED).values_list(
            "programme", flat=True
        )
    )


def departure_plan(
    participant: Participant, departure: datetime.date, *, today: datetime.date | None = None
) -> list[PlannedDeadline]:
    """The deadlines of every active rule that applies to the case, soonest first."""
    today = today or timezone.localdate()
    facts = CaseFacts.of(participant, departure)
    plan = []
    for rule in DeadlineRule.objects.filter(active=True):
        if rule_applies(rule, facts):
            due_on = deadline_for(departure, rule)
            plan.append(PlannedDeadline(rule=rule, due_on=due_on, too_late=due_on < today))
    plan.sort(key=lambda deadline: (deadline.due_on, deadline.rule.title))
    return plan
