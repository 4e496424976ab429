import datetime
import importlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mira.accompaniment.models import (
    ApplicationStatus,
    DeadlineRule,
    OffsetUnit,
    Programme,
    RuleCondition,
)
from mira.accompaniment.scheduling import deadline_for, departure_plan, is_working_day, working_days_before
from mira.accompaniment.tests.factories import DeadlineRuleFactory, ProgrammeApplicationFactory
from mira.participants.models import Relationship
from mira.participants.tests.factories import HouseholdMemberFactory, ParticipantFactory

D = datetime.date


def _rule(offset, unit=OffsetUnit.WORKING_DAYS):
    return DeadlineRule(title="Frist", offset=offset, unit=unit)


def test_deadline_for_calendar_days_counts_every_day():
    assert deadline_for(D(2026, 12, 10), _rule(19, OffsetUnit.CALENDAR_DAYS)) == D(2026, 11, 21)


def test_deadline_for_calendar_days_may_fall_on_a_weekend():
    # 19 calendar days before Thursday 10 Dec 2026 is Saturday 21 Nov: RIAT takes applications any day.
    assert deadline_for(D(2026, 12, 10), _rule(19, OffsetUnit.CALENDAR_DAYS)).weekday() == 5


def test_deadline_for_working_days_skips_the_weekend():
    # Wednesday 2 Dec 2026: Tue, Mon, (Sun, Sat), Fri, Thu, Wed.
    assert deadline_for(D(2026, 12, 2), _rule(5)) == D(2026, 11, 25)


def test_deadline_for_working_days_skips_easter_before_a_monday_departure():
    # Monday 13 Apr 2026, a week after Easter Monday (6 Apr) and Good Friday (3 Apr).
    assert deadline_for(D(2026, 4, 13), _rule(5)) == D(2026, 4, 2)


def test_deadline_for_working_days_on_the_day_after_easter_monday():
    assert deadline_for(D(2026, 4, 7), _rule(5)) == D(2026, 3, 27)


def test_deadline_for_working_days_skips_german_unity_day():
    # 3 Oct 2025 is a Friday.
    assert deadline_for(D(2025, 10, 8), _rule(5)) == D(2025, 9, 30)


def test_deadline_for_working_days_skips_reformation_day_in_thuringia():
    # 31 Oct 2025 (Friday) is a public holiday in Thuringia, not in every Land.
    assert deadline_for(D(2025, 11, 4), _rule(5)) == D(2025, 10, 27)


def test_deadline_for_working_days_skips_world_childrens_day_in_thuringia():
    # 20 Sep 2027 is a Monday; Weltkindertag is a public holiday only in Thuringia.
    assert deadline_for(D(2027, 9, 22), _rule(2)) == D(2027, 9, 17)


def test_deadline_for_working_days_across_christmas_and_new_year():
    # 24 and 31 December are working days; 25 December 2026 (Friday) and 1 January 2027 are not.
    assert deadline_for(D(2027, 1, 4), _rule(10)) == D(2026, 12, 17)


def test_deadline_for_zero_working_days_is_the_departure_day():
    assert deadline_for(D(2026, 12, 2), _rule(0)) == D(2026, 12, 2)


def test_is_working_day_holidays_of_thuringia():
    assert [is_working_day(day) for day in (D(2026, 9, 21), D(2026, 10, 30), D(2027, 9, 20), D(2027, 3, 29))] == [
        True,
        True,
        False,
        False,
    ]


@given(
    departure=st.dates(min_value=D(2024, 1, 1), max_value=D(2032, 12, 31)),
    count=st.integers(min_value=1, max_value=40),
)
def test_working_days_before_leaves_exactly_that_many_working_days(departure, count):
    due = working_days_before(departure, count)
    between = [due + datetime.timedelta(days=n) for n in range((departure - due).days)]
    assert is_working_day(due)
    assert sum(is_working_day(day) for day in between) == count


@pytest.fixture
def rules(db):
    """The seeded rules are replaced by a known set (the seed itself is tested below)."""
    DeadlineRule.objects.all().delete()
    return {
        "jrs": DeadlineRuleFactory(title="JRS", programme=Programme.JRS, offset=19),
        "riat": DeadlineRuleFactory(title="RIAT", programme=Programme.JRS, offset=5, unit=OffsetUnit.WORKING_DAYS),
        "passport": DeadlineRuleFactory(title="Pass", offset=28),
        "consent": DeadlineRuleFactory(
            title="Zustimmung", offset=21, condition=RuleCondition.MINOR_CHILDREN_ONE_PARENT
        ),
        "inactive": DeadlineRuleFactory(title="Alt", offset=3, active=False),
    }


def _titles(plan):
    return [(deadline.rule.title, deadline.due_on, deadline.too_late) for deadline in plan]


def test_departure_plan_without_programmes_or_children(rules):
    participant = ParticipantFactory()
    plan = departure_plan(participant, D(2026, 12, 10), today=D(2026, 11, 1))
    assert _titles(plan) == [("Pass", D(2026, 11, 12), False)]


def test_departure_plan_with_a_jrs_application(rules):
    participant = ParticipantFactory()
    ProgrammeApplicationFactory(participant=participant, programme=Programme.JRS)
    plan = departure_plan(participant, D(2026, 12, 10), today=D(2026, 11, 1))
    assert _titles(plan) == [
        ("Pass", D(2026, 11, 12), False),
        ("JRS", D(2026, 11, 21), False),
        ("RIAT", D(2026, 12, 3), False),
    ]


def test_departure_plan_ignores_a_rejected_jrs_application(rules):
    participant = ParticipantFactory()
    ProgrammeApplicationFactory(participant=participant, programme=Programme.JRS, status=ApplicationStatus.REJECTED)
    plan = departure_plan(participant, D(2026, 12, 10), today=D(2026, 11, 1))
    assert [deadline.rule.title for deadline in plan] == ["Pass"]


def test_departure_plan_marks_deadlines_before_today_as_too_late(rules):
    participant = ParticipantFactory()
    ProgrammeApplicationFactory(participant=participant, programme=Programme.JRS)
    plan = departure_plan(participant, D(2026, 12, 10), today=D(2026, 11, 22))
    assert _titles(plan) == [
        ("Pass", D(2026, 11, 12), True),
        ("JRS", D(2026, 11, 21), True),
        ("RIAT", D(2026, 12, 3), False),
    ]


def test_departure_plan_deadline_today_is_not_too_late(rules):
    participant = ParticipantFactory()
    plan = departure_plan(participant, D(2026, 12, 10), today=D(2026, 11, 12))
    assert _titles(plan) == [("Pass", D(2026, 11, 12), False)]


def test_departure_plan_consent_when_a_parent_travels_alone_with_a_child(rules):
    participant = ParticipantFactory()
    HouseholdMemberFactory(participant=participant, relationship=Relationship.CHILD, date_of_birth=D(2016, 9, 1))
    plan = departure_plan(participant, D(2026, 12, 10), today=D(2026, 11, 1))
    assert _titles(plan) == [("Pass", D(2026, 11, 12), False), ("Zustimmung", D(2026, 11, 19), False)]


def test_departure_plan_no_consent_when_both_parents_travel(rules):
    participant = ParticipantFactory()
    HouseholdMemberFactory(participant=participant, relationship=Relationship.CHILD, date_of_birth=D(2016, 9, 1))
    HouseholdMemberFactory(participant=participant, relationship=Relationship.SPOUSE, date_of_birth=D(1990, 1, 1))
    plan = departure_plan(participant, D(2026, 12, 10), today=D(2026, 11, 1))
    assert [deadline.rule.title for deadline in plan] == ["Pass"]


def test_departure_plan_consent_when_the_spouse_stays_in_germany(rules):
    participant = ParticipantFactory()
    HouseholdMemberFactory(participant=participant, relationship=Relationship.CHILD, date_of_birth=D(2016, 9, 1))
    HouseholdMemberFactory(
        participant=participant, relationship=Relationship.SPOUSE, date_of_birth=D(1990, 1, 1), returns_along=False
    )
    plan = departure_plan(participant, D(2026, 12, 10), today=D(2026, 11, 1))
    assert [deadline.rule.title for deadline in plan] == ["Pass", "Zustimmung"]


def test_departure_plan_no_consent_for_a_child_of_age_on_the_departure_day(rules):
    participant = ParticipantFactory()
    HouseholdMemberFactory(participant=participant, relationship=Relationship.CHILD, date_of_birth=D(2008, 12, 9))
    plan = departure_plan(participant, D(2026, 12, 10), today=D(2026, 11, 1))
    assert [deadline.rule.title for deadline in plan] == ["Pass"]


def test_departure_plan_consent_for_a_child_who_turns_18_after_the_departure(rules):
    participant = ParticipantFactory()
    HouseholdMemberFactory(participant=participant, relationship=Relationship.CHILD, date_of_birth=D(2008, 12, 11))
    plan = departure_plan(participant, D(2026, 12, 10), today=D(2026, 11, 1))
    assert [deadline.rule.title for deadline in plan] == ["Pass", "Zustimmung"]


@pytest.mark.django_db
def test_seeded_deadline_rules_hold_the_programme_deadlines():
    # Browser tests flush the database, so the seed is run here rather than relied upon.
    from django.apps import apps

    seed = importlib.import_module("mira.accompaniment.migrations.0002_seed_deadline_rules").seed
    DeadlineRule.objects.all().delete()
    seed(apps, None)
    seeded = {
        (rule.programme, rule.offset, rule.unit, rule.condition) for rule in DeadlineRule.objects.filter(active=True)
    }
    assert seeded == {
        ("jrs", 19, "calendar_days", "always"),
        ("jrs", 5, "working_days", "always"),
        ("", 28, "calendar_days", "always"),
        ("", 10, "working_days", "always"),
        ("", 21, "calendar_days", "minor_children_one_parent"),
    }
