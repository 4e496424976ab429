"""Synthetic accompaniment at federal scale: tasks over each case's time in counselling (done
when their day has passed, a few overdue on the open cases, some due in the coming weeks) and
programme applications (REAG/GARP from the agreed roadmap on, StarthilfePlus for some of those
who returned), with their timeline entries."""

import datetime
from decimal import Decimal

from mira.accompaniment.demo import MANUAL_TASKS
from mira.accompaniment.models import ApplicationStatus, Programme, ProgrammeApplication, Task, TaskSource, TaskStatus
from mira.core.synthetic import SyntheticContext, bulk_insert, row
from mira.participants.models import CaseEvent, Stage

TASKS_PER_CASE = (1, 6)
AMOUNTS = {Programme.REAG_GARP: Decimal("200.00"), Programme.STARTHILFE_PLUS: Decimal("1000.00")}


def generate(ctx: SyntheticContext) -> None:
    for chunk in ctx.chunks():
        tasks, applications = [], []
        for case in chunk:
            if case.reached(Stage.COUNSELLING):
                tasks += _tasks(ctx, case)
            applications += _applications(ctx, case)
        events = []
        for task in bulk_insert(Task, tasks):
            data = {"task_id": task.pk, "title": task.title, "due_on": task.due_on.isoformat()}
            events.append(row(CaseEvent, participant_id=task.participant_id, kind="task_created",
                                    actor_id=task.created_by_id, at=task.created_at, data=data))  # fmt: skip
            if task.status != TaskStatus.OPEN:
                events.append(row(CaseEvent, participant_id=task.participant_id, kind="task_status_changed",
                                        actor_id=task.responsible_id, at=task.updated_at,
                                        data={**data, "old": TaskStatus.OPEN, "new": task.status}))  # fmt: skip
        for application in bulk_insert(ProgrammeApplication, applications):
            data = {"application_id": application.pk, "programme": application.programme, "programme_name": ""}
            events.append(row(CaseEvent, participant_id=application.participant_id, kind="programme_application_added",
                                    actor_id=application.created_by_id, at=application.created_at,
                                    data={**data, "status": ApplicationStatus.PLANNED}))  # fmt: skip
            previous = ApplicationStatus.PLANNED
            for status, day in application.steps:
                events.append(row(CaseEvent, participant_id=application.participant_id,
                                        kind="programme_application_status_changed",
                                        actor_id=application.created_by_id, at=ctx.moment(day),
                                        data={**data, "old": previous, "new": status}))  # fmt: skip
                previous = status
        bulk_insert(CaseEvent, events)


def _tasks(ctx: SyntheticContext, case) -> list[Task]:
    rng = ctx.random
    start = case.stage_dates[Stage.COUNSELLING]
    end = case.departure or case.closed or ctx.days(40)
    span = max(0, (end - start).days)
    tasks = []
    for position, (title, notes) in enumerate(rng.sample(MANUAL_TASKS, rng.randint(*TASKS_PER_CASE))):
        created = start + datetime.timedelta(days=rng.randint(0, span))
        if created > ctx.today:
            created = ctx.today
        due = created + datetime.timedelta(days=rng.randint(3, 30))
        status, done_on = TaskStatus.OPEN, None
        if due < ctx.today and (not case.is_open or rng.random() < 0.85):
            status = TaskStatus.DONE if rng.random() < 0.93 else TaskStatus.CANCELLED
            done_on = min(ctx.today, due - datetime.timedelta(days=rng.randint(0, 3)))
            done_on = max(done_on, created)
        elif case.is_open and due >= ctx.today and rng.random() < 0.2:
            status = TaskStatus.IN_PROGRESS
        created_at = ctx.moment(created)
        tasks.append(
            row(
                Task,
                participant_id=case.pk,
                title=title,
                notes=notes,
                responsible_id=case.counsellor_id,
                due_on=due,
                status=status,
                done_on=done_on if status == TaskStatus.DONE else None,
                source=TaskSource.MANUAL,
                sort_order=position,
                created_by_id=case.counsellor_id,
                created_at=created_at,
                updated_at=max(created_at, ctx.moment(done_on)) if done_on else created_at,
            )
        )
    return tasks


def _applications(ctx: SyntheticContext, case) -> list[ProgrammeApplication]:
    rng = ctx.random
    agreed = case.stage_dates.get(Stage.GOALS_AGREED)
    if agreed is None:
        return []
    applications = []
    submitted = agreed + datetime.timedelta(days=rng.randint(1, 7))
    if submitted <= ctx.today:
        applications.append(_application(ctx, case, Programme.REAG_GARP, submitted))
    if case.departure and rng.random() < 0.4:
        applications.append(
            _application(ctx, case, Programme.STARTHILFE_PLUS, case.departure - datetime.timedelta(days=5))
        )
    return applications


def _application(ctx: SyntheticContext, case, programme: str, submitted: datetime.date) -> ProgrammeApplication:
    rng = ctx.random
    steps = [(ApplicationStatus.SUBMITTED, submitted)]
    decided = submitted + datetime.timedelta(days=rng.randint(7, 21))
    if decided <= ctx.today:
        approved = rng.random() < 0.95
        steps.append((ApplicationStatus.APPROVED if approved else ApplicationStatus.REJECTED, decided))
        paid = max(decided, case.departure or decided) + datetime.timedelta(days=rng.randint(0, 10))
        if approved and case.departure and paid <= ctx.today:
            steps.append((ApplicationStatus.PAID, paid))
    dates = dict(steps)
    created = ctx.moment(submitted - datetime.timedelta(days=rng.randint(0, 5)))
    application = row(
        ProgrammeApplication,
        participant_id=case.pk,
        programme=programme,
        status=steps[-1][0],
        submitted_on=submitted,
        decided_on=dates.get(ApplicationStatus.APPROVED) or dates.get(ApplicationStatus.REJECTED),
        paid_on=dates.get(ApplicationStatus.PAID),
        amount=AMOUNTS.get(programme),
        created_by_id=case.counsellor_id,
        created_at=created,
        updated_at=ctx.moment(steps[-1][1]),
    )
    application.steps = steps
    return application
