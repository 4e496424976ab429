"""Demo data of accompaniment: checklists, open and overdue tasks, programme
applications in every status, and departure plans with their deadline tasks."""

import datetime

from mira.accompaniment import services
from mira.accompaniment.models import (
    ApplicationStatus,
    ChecklistTemplate,
    ChecklistTemplateStep,
    Programme,
    ProgrammeApplication,
    Task,
    TaskStatus,
)
from mira.core.demo import DemoContext
from mira.participants.models import Stage

# name, description, steps as (title, days after start, description)
CHECKLISTS = [
    ("Passbeschaffung", "Nationalpass oder Passersatz über die Botschaft bzw. das Konsulat des Herkunftslandes.", [
        ("Botschaftstermin vereinbaren", 0, "Online-Terminvergabe der Botschaft nutzen; Dolmetschung klären."),
        ("Passfotos anfertigen lassen", 3, "Biometrische Fotos nach den Vorgaben der Botschaft."),
        ("Geburtsurkunde beschaffen", 7, "Falls nicht vorhanden: über Angehörige im Herkunftsland anfordern."),
        ("Passantrag bei der Botschaft stellen", 14, "Gebühr und Begleitung zum Termin klären."),
        ("Pass abholen", 42, "Kopie für die Fallakte und die Ausländerbehörde."),
    ]),
    ("Schulzeugnisse beglaubigen", "Zeugnisse für Arbeit oder Ausbildung im Rückkehrland verwertbar machen.", [
        ("Zeugnisse und Nachweise zusammenstellen", 0, ""),
        ("Beglaubigte Kopien beim Bürgeramt anfertigen lassen", 7, ""),
        ("Übersetzung durch vereidigte Übersetzer:in beauftragen", 10, ""),
        ("Legalisation bzw. Apostille klären", 21, "Je nach Herkunftsland unterschiedlich."),
    ]),
    ("Abmeldung und Kündigungen", "Verträge und Meldungen vor der Ausreise beenden.", [
        ("Wohnung kündigen bzw. Auszug mit dem Sozialamt klären", 0, "Kündigungsfristen beachten."),
        ("Strom abmelden", 7, "Zählerstand bei Auszug festhalten."),
        ("Handyvertrag kündigen", 7, ""),
        ("Girokonto auflösen", 14, "Erst nach der letzten Zahlung."),
        ("Abmeldung beim Bürgeramt", 21, "Abmeldebescheinigung kopieren."),
    ]),
    ("Geburtsurkunde", "Geburtsurkunde aus dem Herkunftsland oder vom deutschen Standesamt.", [
        ("Zuständiges Standesamt bzw. Heimatbehörde ermitteln", 0, ""),
        ("Antrag mit Vollmacht stellen", 5, ""),
        ("Urkunde übersetzen lassen", 21, ""),
    ]),
]  # fmt: skip

# Tasks staff typically enter by hand: title, notes
MANUAL_TASKS = [
    ("Termin bei der Ausländerbehörde begleiten", "Dolmetscher:in für Arabisch angefragt."),
    ("Meldebescheinigung besorgen", ""),
    ("Arztbrief für Reisefähigkeit anfordern", "Hausarztpraxis informiert, Rückruf abwarten."),
    ("Kontakt zur Partnerorganisation im Herkunftsland herstellen", ""),
    ("Kindergeld abmelden", "Familienkasse, Nachweis der Ausreise nachreichen."),
    ("Jobcenter über geplante Ausreise informieren", ""),
    ("Schulbescheinigung der Kinder anfordern", ""),
    ("Impfpass prüfen lassen", ""),
    ("Gepäckregelung der Fluggesellschaft klären", ""),
    ("Kopie des Aufenthaltsdokuments für die Akte", ""),
]

WORKING_STAGES = (Stage.COUNSELLING, Stage.ROADMAP_DEVELOPMENT, Stage.GOALS_AGREED, Stage.ROADMAP_SHARED)


def load(ctx: DemoContext) -> None:
    templates = {}
    for code, centre in ctx.centres.items():
        for name, description, steps in CHECKLISTS:
            template = ChecklistTemplate.objects.create(centre=centre, name=name, description=description)
            ChecklistTemplateStep.objects.bulk_create(
                ChecklistTemplateStep(template=template, title=title, offset_days=offset, description=text, order=n)
                for n, (title, offset, text) in enumerate(steps)
            )
            templates[(code, name)] = template
    # The participants app may not have loaded cases yet: then there is nothing to accompany.
    cases = [p for p in ctx.participants if p.stage in WORKING_STAGES]
    for index, participant in enumerate(cases):
        _tasks(ctx, participant, index, templates)
    for participant in ctx.participants:
        _applications(ctx, participant)
    for participant in ctx.participants:
        if participant.stage in (Stage.GOALS_AGREED, Stage.ROADMAP_SHARED) and participant.planned_departure:
            _plan_departure(ctx, participant)
    _a_close_departure(ctx)
    _my_day(ctx)


def _tasks(ctx: DemoContext, participant, index: int, templates: dict) -> None:
    rng = ctx.random
    responsible = participant.assigned_counsellor
    opened = participant.opened_on
    # Every case at work gets one or two tasks entered by hand: some overdue, some due soon.
    for _ in range(rng.randint(1, 2)):
        title, notes = rng.choice(MANUAL_TASKS)
        due = max(opened, ctx.days(rng.randint(-8, 30)))
        task = services.task_create(
            participant=participant, title=title, notes=notes, due_on=due, responsible=responsible, actor=responsible
        )
        if due < ctx.today and rng.random() < 0.75:
            _finish(task, responsible, done_on=due)
    # Every third case works through a checklist started some weeks ago.
    if index % 3 == 0:
        name = rng.choice([name for name, _description, _steps in CHECKLISTS])
        template = templates.get((participant.centre.code, name))
        if template is None:
            return
        start = max(opened, ctx.days(-rng.randint(5, 30)))
        tasks = services.tasks_create_from_template(
            participant=participant, template=template, start_on=start, responsible=responsible, actor=responsible
        )
        for task in tasks:
            if task.due_on < ctx.days(-1) and rng.random() < 0.9:
                _finish(task, responsible, done_on=task.due_on)
            elif task.due_on <= ctx.today and rng.random() < 0.3:
                services.task_set_status(task=task, status=TaskStatus.IN_PROGRESS, actor=responsible)


def _finish(task: Task, actor, *, done_on: datetime.date) -> None:
    services.task_set_status(task=task, status=TaskStatus.DONE, actor=actor)
    Task.objects.filter(pk=task.pk).update(done_on=done_on)


def _applications(ctx: DemoContext, participant) -> None:
    """Programme applications of cases that prepare or completed their return."""
    rng = ctx.random
    actor = participant.assigned_counsellor
    if participant.stage == Stage.GOALS_AGREED:
        plans = [(Programme.REAG_GARP, rng.choice(["planned", "submitted"]))]
        if rng.random() < 0.5:
            plans.append((Programme.JRS, "planned"))
    elif participant.stage == Stage.ROADMAP_SHARED:
        plans = [(Programme.REAG_GARP, rng.choice(["submitted", "approved"]))]
        if rng.random() < 0.6:
            plans.append((Programme.JRS, rng.choice(["submitted", "approved"])))
        if rng.random() < 0.3:
            plans.append((Programme.ZIRF, "submitted"))
    elif participant.stage in (Stage.DEPARTED, Stage.COACHING):
        plans = [(Programme.REAG_GARP, "paid"), (Programme.STARTHILFE_PLUS, rng.choice(["approved", "paid"]))]
        if rng.random() < 0.4:
            plans.append((Programme.JRS, "approved"))
        if rng.random() < 0.15:
            plans.append((Programme.LAND, "rejected"))
    else:
        return
    for programme, target in plans:
        _application(ctx, participant, programme, target, actor)


AMOUNTS = {Programme.REAG_GARP: "200.00", Programme.STARTHILFE_PLUS: "1000.00", Programme.JRS: "2000.00"}


def _application(ctx: DemoContext, participant, programme: str, target: str, actor) -> None:
    rng = ctx.random
    application = services.programme_application_create(
        application=ProgrammeApplication(
            participant=participant,
            programme=programme,
            programme_name="Thüringer Rückkehrförderung" if programme == Programme.LAND else "",
            reference=f"{programme[:3].upper()}-{rng.randint(10000, 99999)}",
            amount=AMOUNTS.get(programme),
        ),
        actor=actor,
    )
    if target == "planned":
        return
    last = participant.departure_date or ctx.today
    submitted = max(participant.opened_on, last - datetime.timedelta(days=rng.randint(30, 60)))
    steps = [(ApplicationStatus.SUBMITTED, submitted)]
    decided = min(last, submitted + datetime.timedelta(days=rng.randint(7, 20)))
    if target in ("approved", "paid"):
        steps.append((ApplicationStatus.APPROVED, decided))
    if target == "rejected":
        steps.append((ApplicationStatus.REJECTED, decided))
    if target == "paid":
        steps.append((ApplicationStatus.PAID, min(ctx.today, decided + datetime.timedelta(days=rng.randint(3, 20)))))
    for status, on in steps:
        application = services.programme_application_set_status(
            application=application, status=status, on=min(on, ctx.today), actor=actor
        )


def _plan_departure(ctx: DemoContext, participant) -> None:
    if participant.planned_departure < ctx.today:
        return
    tasks = services.departure_plan_apply(
        participant=participant,
        departure=participant.planned_departure,
        actor=participant.assigned_counsellor,
        accept_missed_deadlines=True,
    )
    # Mostly, what was due has been done; now and then a deadline slipped.
    for task in tasks:
        if task.due_on < ctx.today and ctx.random.random() < 0.75:
            _finish(task, participant.assigned_counsellor, done_on=task.due_on)


def _a_close_departure(ctx: DemoContext) -> None:
    """One case of the counsellor "beratung" plans to leave in two weeks: its departure
    planning shows deadlines that can no longer be met."""
    counsellor = ctx.users.get("beratung")
    candidates = [
        p
        for p in ctx.participants
        if p.stage == Stage.ROADMAP_SHARED and counsellor is not None and p.assigned_counsellor_id == counsellor.pk
    ]
    if not candidates:
        return
    participant = candidates[0]
    if not participant.programme_applications.filter(programme=Programme.JRS).exists():
        _application(ctx, participant, Programme.JRS, "submitted", counsellor)
    services.departure_plan_apply(
        participant=participant, departure=ctx.days(14), actor=counsellor, accept_missed_deadlines=True
    )


def _my_day(ctx: DemoContext) -> None:
    """The start page of "beratung" shows a task due today and an overdue one."""
    counsellor = ctx.users.get("beratung")
    cases = [p for p in ctx.participants if p.stage in WORKING_STAGES and p.assigned_counsellor_id == getattr(
        counsellor, "pk", None)]  # fmt: skip
    if len(cases) < 2:
        return
    services.task_create(
        participant=cases[0], title="Rückruf der Botschaft wegen Passtermin", due_on=ctx.today,
        responsible=counsellor, actor=counsellor,
    )  # fmt: skip
    services.task_create(
        participant=cases[1], title="Beglaubigte Geburtsurkunde beim Standesamt abholen",
        due_on=max(cases[1].opened_on, ctx.days(-4)), responsible=counsellor, actor=counsellor,
        notes="Gebühr 12 EUR, Quittung für die Akte.",
    )  # fmt: skip
