import datetime

from django.utils import timezone

from mira.accompaniment.models import TaskStatus
from mira.accompaniment.selectors import tasks_for_my_day
from mira.accompaniment.tests.factories import TaskFactory
from mira.participants.tests.factories import ParticipantFactory


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def test_tasks_for_my_day_due_today_and_overdue_soonest_first(centre, counsellor, coordinator):
    participant = ParticipantFactory(centre=centre, assigned_counsellor=counsellor, case_number="EF-2026-0042")
    TaskFactory(participant=participant, title="heute", responsible=counsellor, due_on=days(0))
    TaskFactory(participant=participant, title="gestern", responsible=counsellor, due_on=days(-1))
    TaskFactory(participant=participant, title="morgen", responsible=counsellor, due_on=days(1))
    TaskFactory(participant=participant, title="erledigt", responsible=counsellor, due_on=days(-2),
                status=TaskStatus.DONE)  # fmt: skip
    TaskFactory(participant=participant, title="abgebrochen", responsible=counsellor, due_on=days(-2),
                status=TaskStatus.CANCELLED)  # fmt: skip
    TaskFactory(participant=participant, title="in Arbeit", responsible=counsellor, due_on=days(-3),
                status=TaskStatus.IN_PROGRESS)  # fmt: skip
    TaskFactory(participant=participant, title="Kollege", responsible=coordinator, due_on=days(-1))
    tasks = tasks_for_my_day(user=counsellor, today=days(0))
    assert [(task.title, task.is_overdue) for task in tasks] == [
        ("in Arbeit", True),
        ("gestern", True),
        ("heute", False),
    ]
    assert tasks[0].participant.case_number == "EF-2026-0042"
    assert tasks[0].get_absolute_url() == f"/cases/{participant.pk}/tasks/{tasks[0].pk}/"


def test_tasks_for_my_day_reads_the_case_with_the_task(centre, counsellor, django_assert_num_queries):
    for _ in range(3):
        TaskFactory(participant=ParticipantFactory(centre=centre), responsible=counsellor, due_on=days(-1))
    with django_assert_num_queries(1):
        tasks = tasks_for_my_day(user=counsellor, today=days(0))
        case_numbers = [task.participant.case_number for task in tasks]
    assert len(case_numbers) == 3
