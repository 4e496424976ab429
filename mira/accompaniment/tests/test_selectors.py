import datetime

from django.utils import timezone
from django_scopes import scope

from mira.accompaniment import services
from mira.accompaniment.models import Task, TaskStatus
from mira.accompaniment.selectors import TaskFilter, task_list, tasks_for_my_day
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


def test_task_list_by_status_reads_the_pending_flag_the_database_keeps(centre, other_centre, counsellor):
    participant = ParticipantFactory(centre=centre, assigned_counsellor=counsellor)
    titles = {}
    for offset, status in enumerate(TaskStatus.values):
        task = TaskFactory(participant=participant, title=status, due_on=days(offset))
        services.task_set_status(task=task, status=status, actor=counsellor)
        titles[status] = task
    # Another centre's pending task: the list reads the task's own copy of its case's centre.
    TaskFactory(participant=ParticipantFactory(centre=other_centre), due_on=days(-5))
    assert titles["open"].centre_id == centre.pk

    def listed(status: str, overdue_only: bool = False) -> list[str]:
        with scope(centre=centre.pk):
            return [
                task.title
                for task in task_list(task_filter=TaskFilter(status=status, overdue_only=overdue_only), today=days(0))
            ]

    assert listed("pending") == ["open", "in_progress"]
    assert listed("done") == ["done"]
    assert listed("cancelled") == ["cancelled"]
    assert listed("all") == ["open", "in_progress", "done", "cancelled"]
    assert listed("pending", overdue_only=True) == []
    # A task done and opened again is pending again: the database recomputes the flag on each save.
    services.task_set_status(task=titles["done"], status=TaskStatus.OPEN, actor=counsellor)
    services.task_set_status(task=titles["open"], status=TaskStatus.CANCELLED, actor=counsellor)
    assert listed("pending") == ["in_progress", "done"]
    assert list(Task.objects.filter(pk=titles["done"].pk).values_list("pending", flat=True)) == [True]
