"""Synthetic accompaniment data at federal scale: tasks on the cases at work and programme
applications of cases preparing or completing their return (bulk inserts, no timeline)."""

import datetime

from mira.accompaniment.demo import MANUAL_TASKS
from mira.accompaniment.models import (
    ApplicationStatus,
    Programme,
    ProgrammeApplication,
    Task,
    TaskSource,
    TaskStatus,
)
from mira.core.synthetic import SyntheticContext, bulk_insert
from mira.participants.models import Stage

WORKING_STAGES = {Stage.COUNSELLING, Stage.ROADMAP_DEVELOPMENT, Stage.GOALS_AGREED, Stage.ROADMAP_SHARED}
PREPARING_STAGES = {Stage.GOALS_AGREED, Stage.ROADMAP_SHARED}
RETURNED_STAGES = {Stage.DEPARTED, Stage.COACHING, Stage.CLOSED}


def generate(ctx: SyntheticContext) -> None:
    rng = ctx.random
    tasks, applications = [], []
    for participant_id, _centre_id, counsellor_id, stage, opened, _country in ctx.cases:
        if stage in WORKING_STAGES:
            for position in range(rng.randint(1, 5)):
                title, notes = rng.choice(MANUAL_TASKS)
                due = max(opened, ctx.days(rng.randint(-20, 40)))
                done = due < ctx.today and rng.random() < 0.8
                tasks.append(
                    Task(
                        participant_id=participant_id,
                        title=title,
                        notes=notes,
                        responsible_id=counsellor_id,
                        due_on=due,
                        status=TaskStatus.DONE if done else TaskStatus.OPEN,
                        done_on=due if done else None,
                        source=TaskSource.MANUAL,
                        sort_order=position,
                        created_by_id=counsellor_id,
                    )
                )
        if stage in PREPARING_STAGES:
            submitted = max(opened, ctx.days(-rng.randint(5, 40)))
            applications.append(_application(participant_id, counsellor_id, Programme.REAG_GARP, submitted=submitted))
        elif stage in RETURNED_STAGES:
            submitted = opened + datetime.timedelta(days=rng.randint(30, 90))
            if submitted < ctx.today:
                decided = min(ctx.today, submitted + datetime.timedelta(days=14))
                applications.append(
                    _application(
                        participant_id, counsellor_id, Programme.REAG_GARP, submitted=submitted, decided=decided,
                        paid=decided,
                    )
                )  # fmt: skip
    bulk_insert(Task, tasks)
    bulk_insert(ProgrammeApplication, applications)


def _application(participant_id, counsellor_id, programme, *, submitted, decided=None, paid=None):
    status = ApplicationStatus.PAID if paid else ApplicationStatus.SUBMITTED
    return ProgrammeApplication(
        participant_id=participant_id,
        programme=programme,
        status=status,
        submitted_on=submitted,
        decided_on=decided,
        paid_on=paid,
        created_by_id=counsellor_id,
    )
