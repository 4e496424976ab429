import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from mira.participants.models import Stage
from mira.participants.tests.factories import ParticipantFactory
from mira.roadmap.models import GoalStatus
from mira.roadmap.selectors import goals_due_for
from mira.roadmap.services import goal_reminders_send
from mira.roadmap.tasks import send_goal_reminders
from mira.roadmap.tests.factories import AgreedVersionFactory, GoalFactory, RoadmapFactory, RoadmapVersionFactory

pytestmark = pytest.mark.django_db


def _days(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


@pytest.fixture
def agreed(counsellor, centre):
    participant = ParticipantFactory(centre=centre, assigned_counsellor=counsellor, case_number="EF-2026-0042")
    return AgreedVersionFactory(roadmap=RoadmapFactory(participant=participant))


def test_goals_due_within_seven_days_or_overdue_are_listed_most_urgent_first(agreed, counsellor):
    overdue = GoalFactory(version=agreed, title="Überfällig", due_on=_days(-2))
    soon = GoalFactory(version=agreed, title="Bald", due_on=_days(7))
    GoalFactory(version=agreed, title="Später", due_on=_days(8))
    GoalFactory(version=agreed, title="Erreicht", due_on=_days(1), status=GoalStatus.REACHED)
    assert list(goals_due_for(user=counsellor, today=timezone.localdate())) == [overdue, soon]


def test_goals_of_drafts_closed_cases_and_other_counsellors_are_not_listed(agreed, counsellor, make_user, centre):
    GoalFactory(version=RoadmapVersionFactory(roadmap=RoadmapFactory(participant__centre=centre)), due_on=_days(1))
    colleague_case = ParticipantFactory(centre=centre, assigned_counsellor=make_user(username="kollegin"))
    GoalFactory(version=AgreedVersionFactory(roadmap=RoadmapFactory(participant=colleague_case)), due_on=_days(1))
    closed = ParticipantFactory(centre=centre, assigned_counsellor=counsellor, stage=Stage.CLOSED)
    GoalFactory(version=AgreedVersionFactory(roadmap=RoadmapFactory(participant=closed)), due_on=_days(1))
    assert list(goals_due_for(user=counsellor, today=timezone.localdate())) == []


def test_reminder_email_lists_the_due_goals_once_a_day(agreed, counsellor):
    GoalFactory(version=agreed, title="Reisepass beantragen", due_on=_days(-1))
    GoalFactory(version=agreed, title="Flug buchen", due_on=_days(3))
    assert goal_reminders_send() == 1
    assert goal_reminders_send() == 0
    message = mail.outbox[0]
    assert (message.to, message.subject) == (["beratung@example.org"], "MIRA: 2 Ziele bald fällig oder überfällig")
    assert "EF-2026-0042: Reisepass beantragen" in message.body
    assert "(überfällig)" in message.body
    assert agreed.roadmap.participant.last_name not in message.body


def test_reminder_is_sent_again_the_next_day(agreed):
    GoalFactory(version=agreed, due_on=_days(2))
    assert goal_reminders_send() == 1
    assert goal_reminders_send(today=_days(1)) == 1


@pytest.mark.django_db(transaction=True)
def test_reminder_task_runs_on_the_real_queue(agreed):
    # transaction=True: the worker closes a connection that sits inside a test transaction.
    GoalFactory(version=agreed, due_on=_days(1))
    send_goal_reminders.enqueue()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert len(mail.outbox) == 1
