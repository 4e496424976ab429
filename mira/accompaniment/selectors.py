"""Reads of accompaniment tasks and departure planning. Every query runs inside the
centre scope (django-scopes), so a forgotten filter finds nothing of another centre."""

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, QuerySet, Value, When

from mira.accompaniment.models import (
    PENDING_STATUSES,
    ChecklistTemplate,
    DeadlineRule,
    ProgrammeApplication,
    Task,
    TaskStatus,
)
from mira.participants.models import Participant


def tasks_for_my_day(*, user, today: datetime.date) -> QuerySet[Task]:
    """Open tasks of the user that are due today or overdue, soonest first (for the counsellor's
    start page), with the case's number and name (not its fifty columns of master data)."""
    return (
        Task.objects.filter(responsible=user, status__in=PENDING_STATUSES, due_on__lte=today)
        .select_related("participant")
        .only(
            "id", "participant_id", "title", "due_on", "status", "sort_order",
            "participant__case_number", "participant__first_name", "participant__last_name",
            "participant__centre_id",
        )
        .order_by("due_on", "sort_order", "id")
    )  # fmt: skip


def tasks_of_case(participant: Participant) -> QuerySet[Task]:
    """All tasks of a case: pending ones first by due date, then the finished ones."""
    return (
        Task.objects.filter(participant=participant)
        .select_related("responsible")
        .annotate(attachment_count=Count("attachments"))
        .order_by(_pending_first(), "due_on", "sort_order", "id")
    )


def _pending_first():
    return Case(When(status__in=PENDING_STATUSES, then=Value(0)), default=Value(1), output_field=IntegerField())


def task_card_of_case(participant: Participant, today: datetime.date) -> tuple[list[Task], dict]:
    """The case page's tasks card: the pending tasks, soonest due first, and the numbers of pending,
    overdue and done tasks, from one query over the case's tasks (a case has a few dozen at most)."""
    tasks = list(
        Task.objects.filter(participant=participant)
        .select_related("responsible")
        .order_by("due_on", "sort_order", "id")
    )
    pending = [task for task in tasks if task.status in PENDING_STATUSES]
    counts = {
        "pending": len(pending),
        "overdue": sum(1 for task in pending if task.due_on < today),
        "done": sum(1 for task in tasks if task.status == TaskStatus.DONE),
    }
    return pending, counts


@dataclass(frozen=True)
class TaskFilter:
    responsible_id: int | None = None  # None: everybody
    status: str = "pending"  # "pending", one of TaskStatus, or "all"
    overdue_only: bool = False


def task_list(*, task_filter: TaskFilter, today: datetime.date) -> QuerySet[Task]:
    """Tasks of the centre (the scope) for the task lists, soonest due first."""
    tasks = Task.objects.select_related("participant", "responsible")
    if task_filter.responsible_id:
        tasks = tasks.filter(responsible_id=task_filter.responsible_id)
    if task_filter.overdue_only:
        tasks = tasks.filter(pending=True, due_on__lt=today)
    elif task_filter.status == "pending":
        tasks = tasks.filter(pending=True)
    elif task_filter.status in TaskStatus.values:
        tasks = tasks.filter(status=task_filter.status)
    return tasks.order_by("due_on", "participant__case_number", "sort_order", "id")


def applications_of_case(participant: Participant) -> QuerySet[ProgrammeApplication]:
    return ProgrammeApplication.objects.filter(participant=participant).order_by("created_at", "id")


def checklist_templates(*, active_only: bool = False) -> QuerySet[ChecklistTemplate]:
    templates = ChecklistTemplate.objects.annotate(step_count=Count("steps"))
    if active_only:
        templates = templates.filter(active=True, step_count__gt=0)
    return templates.order_by("name", "id")


def deadline_rules() -> QuerySet[DeadlineRule]:
    return DeadlineRule.objects.order_by("-active", "title", "id")
