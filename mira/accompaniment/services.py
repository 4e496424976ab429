"""Writes of accompaniment and departure planning. Each function runs in one
transaction and logs what happened on the case to its timeline."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mira.accompaniment.models import (
    PENDING_STATUSES,
    ApplicationStatus,
    ChecklistTemplate,
    ChecklistTemplateStep,
    DeadlineRule,
    ProgrammeApplication,
    Task,
    TaskAttachment,
    TaskSource,
    TaskStatus,
)
from mira.accompaniment.scheduling import PlannedDeadline, departure_plan
from mira.participants.events import case_event_log
from mira.participants.models import Participant, Stage
from mira.participants.services import counsellors_of

# Fields a task form may change (status has its own entry point).
TASK_FIELDS = ("title", "notes", "responsible", "due_on")


def _check_due_on(participant: Participant, due_on: datetime.date, field: str = "due_on") -> None:
    if due_on < participant.opened_on:
        raise ValidationError(
            {
                field: _("The due date %(due)s lies before the case was opened (%(opened)s).")
                % {
                    "due": date_format(due_on, "SHORT_DATE_FORMAT"),
                    "opened": date_format(participant.opened_on, "SHORT_DATE_FORMAT"),
                }
            }
        )


def _check_responsible(participant: Participant, responsible, field: str = "responsible") -> None:
    if not counsellors_of(participant.centre).filter(pk=responsible.pk).exists():
        raise ValidationError(
            {field: _("Only an active counsellor or coordinator of the case's centre can be responsible.")}
        )


def _task_event(task: Task, kind: str, actor, **data) -> None:
    case_event_log(
        participant=task.participant,
        kind=kind,
        actor=actor,
        task_id=task.pk,
        title=task.title,
        due_on=task.due_on.isoformat(),
        **data,
    )


def task_create(
    *, participant: Participant, title: str, due_on: datetime.date, responsible, actor, notes: str = ""
) -> Task:
    """Adds a task by hand."""
    _check_due_on(participant, due_on)
    _check_responsible(participant, responsible)
    task = Task(
        participant=participant,
        title=title,
        notes=notes,
        due_on=due_on,
        responsible=responsible,
        created_by=actor,
        source=TaskSource.MANUAL,
    )
    task.full_clean()
    with transaction.atomic():
        task.save()
        _task_event(task, "task_created", actor)
    return task


def task_update(*, task: Task, actor, changed_fields: Iterable[str]) -> Task:
    """Saves the edited fields of a task (title, notes, responsible, due date)."""
    changed = [name for name in changed_fields if name in TASK_FIELDS]
    if "due_on" in changed:
        _check_due_on(task.participant, task.due_on)
    if "responsible" in changed:
        _check_responsible(task.participant, task.responsible)
    task.full_clean()
    with transaction.atomic():
        task.save()
        if changed:
            _task_event(task, "task_changed", actor, fields=changed)
    return task


def task_set_status(*, task: Task, status: str, actor) -> Task:
    """The single entry point of a task's status.

    Side effects: "done" records today as done_on, any other status clears it;
    a timeline entry is written.
    """
    if status not in TaskStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    old = task.status
    if old == status:
        return task
    with transaction.atomic():
        task.status = status
        task.done_on = timezone.localdate() if status == TaskStatus.DONE else None
        task.save(update_fields=["status", "done_on", "updated_at"])
        _task_event(task, "task_status_changed", actor, old=old, new=status)
    return task


def tasks_create_from_template(
    *, participant: Participant, template: ChecklistTemplate, start_on: datetime.date, responsible, actor
) -> list[Task]:
    """One task per step of the template, due start_on + the step's offset."""
    steps = list(template.steps.all())
    if not steps:
        raise ValidationError({"template": _("This checklist has no steps yet.")})
    if not template.active:
        raise ValidationError({"template": _("This checklist is no longer in use.")})
    _check_due_on(participant, start_on, field="start_on")
    _check_responsible(participant, responsible)
    tasks = [
        Task(
            participant=participant,
            title=step.title,
            notes=step.description,
            due_on=start_on + datetime.timedelta(days=step.offset_days),
            responsible=responsible,
            created_by=actor,
            source=TaskSource.TEMPLATE,
            template_step=step,
            sort_order=position,
        )
        for position, step in enumerate(steps)
    ]
    for task in tasks:
        task.full_clean()
    with transaction.atomic():
        for task in tasks:
            task.save()
        case_event_log(
            participant=participant,
            kind="tasks_from_template",
            actor=actor,
            template=template.name,
            count=len(tasks),
        )
    return tasks


def task_attachment_add(*, task: Task, uploaded_file, title: str, category: str, actor) -> TaskAttachment:
    """Stores the file as a document of the case and attaches it to the task."""
    from mira.documents.services import document_create

    with transaction.atomic():
        document = document_create(
            participant=task.participant, uploaded_file=uploaded_file, title=title, category=category, actor=actor
        )
        attachment = TaskAttachment(task=task, document=document, added_by=actor)
        attachment.full_clean()
        attachment.save()
        _task_event(task, "task_attachment_added", actor, document=document.title)
    return attachment


# ---------------------------------------------------------------- checklist templates


def checklist_template_save(*, template: ChecklistTemplate, steps: Iterable[ChecklistTemplateStep] = (),
                            deleted_steps: Iterable[ChecklistTemplateStep] = (), actor) -> ChecklistTemplate:  # fmt: skip
    """Saves a template with its (new, changed and deleted) steps, all or nothing."""
    if template.pk is None:
        template.centre = actor.centre
    template.full_clean()
    with transaction.atomic():
        template.save()
        for step in deleted_steps:
            if step.pk:
                step.delete()
        for step in steps:
            step.template = template
            step.full_clean()
            step.save()
    return template


def deadline_rule_save(*, rule: DeadlineRule, actor) -> DeadlineRule:
    """Saves a rule; tasks already planned keep their dates until a departure is planned again."""
    rule.full_clean()
    with transaction.atomic():
        rule.save()
    return rule


# ---------------------------------------------------------------- programme applications

APPLICATION_FIELDS = ("programme", "programme_name", "amount", "reference", "notes")

# Which status may follow which; a rejected application can be prepared again.
APPLICATION_TRANSITIONS: dict[str, set[str]] = {
    ApplicationStatus.PLANNED: {ApplicationStatus.SUBMITTED},
    ApplicationStatus.SUBMITTED: {ApplicationStatus.APPROVED, ApplicationStatus.REJECTED, ApplicationStatus.PLANNED},
    ApplicationStatus.APPROVED: {ApplicationStatus.PAID, ApplicationStatus.REJECTED},
    ApplicationStatus.REJECTED: {ApplicationStatus.PLANNED},
    ApplicationStatus.PAID: set(),
}


# The order in which the next statuses are offered: the usual way forward first.
_OFFER_ORDER = [
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.APPROVED,
    ApplicationStatus.PAID,
    ApplicationStatus.REJECTED,
    ApplicationStatus.PLANNED,
]


def application_transitions_from(status: str) -> list[ApplicationStatus]:
    return [value for value in _OFFER_ORDER if value in APPLICATION_TRANSITIONS[status]]


def _application_data(application: ProgrammeApplication) -> dict:
    return {
        "application_id": application.pk,
        "programme": application.programme,
        "programme_name": application.programme_name,
    }


def programme_application_create(*, application: ProgrammeApplication, actor) -> ProgrammeApplication:
    """Records that the case applies (or will apply) to a programme; it starts as "planned"."""
    application.status = ApplicationStatus.PLANNED
    application.created_by = actor
    application.full_clean()
    with transaction.atomic():
        application.save()
        case_event_log(
            participant=application.participant,
            kind="programme_application_added",
            actor=actor,
            status=application.status,
            **_application_data(application),
        )
    return application


def programme_application_update(*, application: ProgrammeApplication, actor, changed_fields: Iterable[str]):
    changed = [name for name in changed_fields if name in APPLICATION_FIELDS]
    application.full_clean()
    with transaction.atomic():
        application.save()
        if changed:
            case_event_log(
                participant=application.participant,
                kind="programme_application_changed",
                actor=actor,
                fields=changed,
                **_application_data(application),
            )
    return application


def programme_application_set_status(
    *, application: ProgrammeApplication, status: str, on: datetime.date, actor
) -> ProgrammeApplication:
    """The single entry point of an application's status.

    Side effects: "submitted" records on as submitted_on, "approved"/"rejected" as
    decided_on, "paid" as paid_on; going back to "planned" clears the dates;
    a timeline entry is written. A rejection of a programme with deadline rules
    takes effect on the tasks the next time the departure is planned.
    """
    if status not in APPLICATION_TRANSITIONS.get(application.status, set()):
        labels = dict(ApplicationStatus.choices)
        raise ValidationError(
            {"status": _("An application that is “%(old)s” cannot become “%(new)s”.")
             % {"old": labels[application.status], "new": labels.get(status, status)}}
        )  # fmt: skip
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date cannot lie in the future.")})
    earlier = {
        ApplicationStatus.APPROVED: application.submitted_on,
        ApplicationStatus.REJECTED: application.submitted_on,
        ApplicationStatus.PAID: application.decided_on,
    }.get(status)
    if earlier and on < earlier:
        raise ValidationError(
            {"on": _("The date cannot lie before the previous step (%(date)s).")
             % {"date": date_format(earlier, "SHORT_DATE_FORMAT")}}
        )  # fmt: skip
    old = application.status
    with transaction.atomic():
        application = ProgrammeApplication.objects.select_for_update().get(pk=application.pk)
        if application.status != old:
            raise ValidationError({"status": _("Somebody else changed this application meanwhile. Please reload.")})
        application.status = status
        if status == ApplicationStatus.SUBMITTED:
            application.submitted_on = on
        elif status in (ApplicationStatus.APPROVED, ApplicationStatus.REJECTED):
            application.decided_on = on
        elif status == ApplicationStatus.PAID:
            application.paid_on = on
        elif status == ApplicationStatus.PLANNED:
            application.submitted_on = application.decided_on = application.paid_on = None
        application.full_clean()
        application.save()
        case_event_log(
            participant=application.participant,
            kind="programme_application_status_changed",
            actor=actor,
            old=old,
            new=status,
            **_application_data(application),
        )
    return application


# ---------------------------------------------------------------- departure planning

# Cases in these stages have left (or left the programme); their departure is no longer planned.
NOT_PLANNABLE_STAGES = (Stage.DEPARTED, Stage.COACHING, Stage.CLOSED, Stage.WITHDRAWN)


class MissedDeadlines(ValidationError):
    """The departure date leaves too little time for some deadlines; planning needs confirmation."""

    def __init__(self, missed: list[PlannedDeadline]):
        self.missed = missed
        message = ngettext(
            "This departure date leaves too little time for %(count)d deadline.",
            "This departure date leaves too little time for %(count)d deadlines.",
            len(missed),
        ) % {"count": len(missed)}
        super().__init__({"departure": message})


def departure_plan_check(*, participant: Participant, departure: datetime.date) -> list[PlannedDeadline]:
    """Validates a planned departure date and returns its plan (raises ValidationError when it cannot be planned)."""
    if participant.stage in NOT_PLANNABLE_STAGES:
        raise ValidationError(
            {"departure": _("A case in stage “%(stage)s” has no departure to plan.")
             % {"stage": participant.get_stage_display()}}
        )  # fmt: skip
    today = timezone.localdate()
    if departure < today:
        raise ValidationError({"departure": _("The planned departure cannot lie in the past.")})
    if departure < participant.opened_on:
        raise ValidationError({"departure": _("The planned departure cannot lie before the case was opened.")})
    return departure_plan(participant, departure, today=today)


def departure_plan_apply(
    *, participant: Participant, departure: datetime.date, actor, accept_missed_deadlines: bool = False
) -> list[Task]:
    """Sets the planned departure of the case and back-schedules the deadline tasks.

    Idempotent: each rule has at most one task per case; planning again (e.g. after the
    date moved) updates the due dates of pending generated tasks instead of adding new
    ones, leaves done ones alone, reopens cancelled ones that apply again, and cancels
    pending ones whose rule no longer applies. Raises MissedDeadlines when a deadline
    lies in the past, unless accept_missed_deadlines is set (the user confirmed).
    Side effects: participant.planned_departure is updated (only that field and the
    version), a timeline entry is written.
    """
    plan = departure_plan_check(participant=participant, departure=departure)
    missed = [deadline for deadline in plan if deadline.too_late]
    if missed and not accept_missed_deadlines:
        raise MissedDeadlines(missed)
    with transaction.atomic():
        locked = Participant.objects.select_for_update().get(pk=participant.pk)
        existing = {
            task.deadline_rule_id: task
            for task in Task.objects.select_for_update().filter(participant=participant, deadline_rule__isnull=False)
        }
        planned_rule_ids = set()
        tasks = []
        for position, deadline in enumerate(plan):
            planned_rule_ids.add(deadline.rule.pk)
            task = existing.get(deadline.rule.pk)
            if task is None:
                task = Task(
                    participant=participant,
                    title=deadline.rule.title,
                    notes=deadline.rule.description,
                    due_on=deadline.due_on,
                    responsible=participant.assigned_counsellor,
                    created_by=actor,
                    source=TaskSource.DEPARTURE_RULE,
                    deadline_rule=deadline.rule,
                    sort_order=position,
                )
                task.full_clean()
                task.save()
            elif task.status != TaskStatus.DONE:
                if task.status == TaskStatus.CANCELLED:
                    task_set_status(task=task, status=TaskStatus.OPEN, actor=actor)
                task.due_on = deadline.due_on
                task.sort_order = position
                task.save(update_fields=["due_on", "sort_order", "updated_at"])
            tasks.append(task)
        for rule_id, task in existing.items():
            if rule_id not in planned_rule_ids and task.status in PENDING_STATUSES:
                task_set_status(task=task, status=TaskStatus.CANCELLED, actor=actor)
        locked.planned_departure = departure
        locked.version += 1
        locked.save(update_fields=["planned_departure", "version", "updated_at"])
        participant.planned_departure = departure
        participant.version = locked.version
        case_event_log(
            participant=participant,
            kind="departure_planned",
            actor=actor,
            departure=departure.isoformat(),
            count=len(plan),
            missed=len(missed),
        )
    return tasks
