import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mira.accompaniment import services
from mira.accompaniment.models import (
    ApplicationStatus,
    DeadlineRule,
    OffsetUnit,
    Programme,
    ProgrammeApplication,
    Task,
    TaskSource,
    TaskStatus,
)
from mira.accompaniment.scheduling import deadline_for
from mira.accompaniment.tests.factories import (
    ChecklistTemplateFactory,
    ChecklistTemplateStepFactory,
    DeadlineRuleFactory,
    ProgrammeApplicationFactory,
    TaskFactory,
)
from mira.participants.models import CaseEvent, Participant, Stage
from mira.participants.tests.factories import ParticipantFactory

D = datetime.date


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def participant(centre, counsellor):
    return ParticipantFactory(centre=centre, assigned_counsellor=counsellor, opened_on=days(-60))


def _kinds(participant):
    return list(CaseEvent.objects.filter(participant=participant).order_by("id").values_list("kind", flat=True))


def test_task_create_writes_task_and_timeline(participant, counsellor):
    task = services.task_create(
        participant=participant, title="Pass beantragen", due_on=days(3), responsible=counsellor, actor=counsellor
    )
    assert (task.status, task.source, task.created_by, task.due_on) == ("open", "manual", counsellor, days(3))
    event = CaseEvent.objects.get(participant=participant)
    assert (event.kind, event.data["title"], event.data["due_on"]) == (
        "task_created",
        "Pass beantragen",
        days(3).isoformat(),
    )


def test_task_create_due_before_case_opened_is_refused(participant, counsellor):
    with pytest.raises(ValidationError) as error:
        services.task_create(
            participant=participant, title="Pass", due_on=days(-61), responsible=counsellor, actor=counsellor
        )
    assert list(error.value.message_dict) == ["due_on"]
    assert Task.objects.count() == 0
    assert _kinds(participant) == []


def test_task_create_due_on_the_opening_day_is_accepted(participant, counsellor):
    task = services.task_create(
        participant=participant, title="Pass", due_on=days(-60), responsible=counsellor, actor=counsellor
    )
    assert task.is_overdue is True


def test_task_create_responsible_of_another_centre_is_refused(participant, counsellor, counsellor_other_centre):
    with pytest.raises(ValidationError) as error:
        services.task_create(
            participant=participant, title="Pass", due_on=days(1), responsible=counsellor_other_centre,
            actor=counsellor,
        )  # fmt: skip
    assert list(error.value.message_dict) == ["responsible"]


def test_task_update_due_before_case_opened_is_refused(participant, counsellor):
    task = TaskFactory(participant=participant)
    task.due_on = days(-100)
    with pytest.raises(ValidationError):
        services.task_update(task=task, actor=counsellor, changed_fields=["due_on"])
    task.refresh_from_db()
    assert task.due_on == days(7)


def test_task_set_status_done_records_the_day_and_reopen_clears_it(participant, counsellor):
    task = TaskFactory(participant=participant)
    services.task_set_status(task=task, status=TaskStatus.DONE, actor=counsellor)
    task.refresh_from_db()
    assert (task.status, task.done_on) == ("done", timezone.localdate())
    services.task_set_status(task=task, status=TaskStatus.OPEN, actor=counsellor)
    task.refresh_from_db()
    assert (task.status, task.done_on) == ("open", None)
    assert _kinds(participant) == ["task_status_changed", "task_status_changed"]


def test_task_is_overdue_only_while_pending(participant):
    task = TaskFactory(participant=participant, due_on=days(-1))
    assert task.is_overdue is True
    task.status = TaskStatus.DONE
    assert task.is_overdue is False


def test_tasks_create_from_template_one_task_per_step(participant, counsellor, centre):
    template = ChecklistTemplateFactory(centre=centre, name="Passbeschaffung")
    for order, (title, offset) in enumerate([("Botschaftstermin vereinbaren", 0), ("Passfotos", 3), ("Antrag", 14)]):
        ChecklistTemplateStepFactory(template=template, title=title, offset_days=offset, order=order)
    tasks = services.tasks_create_from_template(
        participant=participant, template=template, start_on=D(2026, 12, 1), responsible=counsellor, actor=counsellor
    )
    assert [(task.title, task.due_on, task.source, task.sort_order) for task in tasks] == [
        ("Botschaftstermin vereinbaren", D(2026, 12, 1), TaskSource.TEMPLATE, 0),
        ("Passfotos", D(2026, 12, 4), TaskSource.TEMPLATE, 1),
        ("Antrag", D(2026, 12, 15), TaskSource.TEMPLATE, 2),
    ]
    event = CaseEvent.objects.get(participant=participant)
    assert (event.kind, event.data) == ("tasks_from_template", {"template": "Passbeschaffung", "count": 3})


def test_tasks_create_from_template_start_before_case_opened_creates_nothing(participant, counsellor, centre):
    step = ChecklistTemplateStepFactory(template__centre=centre)
    with pytest.raises(ValidationError) as error:
        services.tasks_create_from_template(
            participant=participant, template=step.template, start_on=days(-90), responsible=counsellor,
            actor=counsellor,
        )  # fmt: skip
    assert list(error.value.message_dict) == ["start_on"]
    assert Task.objects.count() == 0


def test_tasks_create_from_template_without_steps_is_refused(participant, counsellor, centre):
    with pytest.raises(ValidationError) as error:
        services.tasks_create_from_template(
            participant=participant, template=ChecklistTemplateFactory(centre=centre), start_on=days(0),
            responsible=counsellor, actor=counsellor,
        )  # fmt: skip
    assert list(error.value.message_dict) == ["template"]


# ---------------------------------------------------------------- programme applications


def test_programme_application_status_path_records_dates(participant, counsellor):
    application = services.programme_application_create(
        application=ProgrammeApplication(participant=participant, programme=Programme.REAG_GARP), actor=counsellor
    )
    application = services.programme_application_set_status(
        application=application, status=ApplicationStatus.SUBMITTED, on=days(-10), actor=counsellor
    )
    application = services.programme_application_set_status(
        application=application, status=ApplicationStatus.APPROVED, on=days(-3), actor=counsellor
    )
    application = services.programme_application_set_status(
        application=application, status=ApplicationStatus.PAID, on=days(0), actor=counsellor
    )
    application.refresh_from_db()
    assert (application.status, application.submitted_on, application.decided_on, application.paid_on) == (
        "paid",
        days(-10),
        days(-3),
        days(0),
    )
    assert _kinds(participant) == [
        "programme_application_added",
        "programme_application_status_changed",
        "programme_application_status_changed",
        "programme_application_status_changed",
    ]


def test_programme_application_cannot_skip_to_paid(participant, counsellor):
    application = ProgrammeApplicationFactory(participant=participant)
    with pytest.raises(ValidationError) as error:
        services.programme_application_set_status(
            application=application, status=ApplicationStatus.PAID, on=days(0), actor=counsellor
        )
    assert list(error.value.message_dict) == ["status"]


def test_programme_application_decision_before_submission_is_refused(participant, counsellor):
    application = ProgrammeApplicationFactory(
        participant=participant, status=ApplicationStatus.SUBMITTED, submitted_on=days(-5)
    )
    with pytest.raises(ValidationError) as error:
        services.programme_application_set_status(
            application=application, status=ApplicationStatus.APPROVED, on=days(-6), actor=counsellor
        )
    assert list(error.value.message_dict) == ["on"]
    application.refresh_from_db()
    assert application.status == "submitted"


def test_programme_application_date_in_the_future_is_refused(participant, counsellor):
    application = ProgrammeApplicationFactory(participant=participant)
    with pytest.raises(ValidationError) as error:
        services.programme_application_set_status(
            application=application, status=ApplicationStatus.SUBMITTED, on=days(1), actor=counsellor
        )
    assert list(error.value.message_dict) == ["on"]


# ---------------------------------------------------------------- departure planning


@pytest.fixture
def rules(db):
    DeadlineRule.objects.all().delete()
    return {
        "jrs": DeadlineRuleFactory(title="JRS-Antrag", programme=Programme.JRS, offset=19),
        "riat": DeadlineRuleFactory(
            title="Flugdaten RIAT", programme=Programme.JRS, offset=5, unit=OffsetUnit.WORKING_DAYS
        ),
        "passport": DeadlineRuleFactory(title="Reisedokument", offset=28),
    }


def _generated(participant):
    return sorted(
        (task.deadline_rule.title, task.due_on, task.status)
        for task in Task.objects.filter(participant=participant, source=TaskSource.DEPARTURE_RULE)
    )


def test_departure_plan_apply_creates_tasks_and_sets_planned_departure(participant, counsellor, rules):
    ProgrammeApplicationFactory(participant=participant, programme=Programme.JRS)
    departure = days(40)
    tasks = services.departure_plan_apply(participant=participant, departure=departure, actor=counsellor)
    assert len(tasks) == 3
    assert _generated(participant) == sorted(
        [
            ("JRS-Antrag", departure - datetime.timedelta(days=19), "open"),
            ("Reisedokument", departure - datetime.timedelta(days=28), "open"),
            ("Flugdaten RIAT", deadline_for(departure, rules["riat"]), "open"),
        ]
    )
    assert {task.responsible for task in tasks} == {counsellor}
    stored = Participant.objects.get(pk=participant.pk)
    assert (stored.planned_departure, stored.version) == (departure, 2)
    assert stored.history.first().planned_departure == departure
    event = CaseEvent.objects.get(participant=participant, kind="departure_planned")
    assert event.data == {"departure": departure.isoformat(), "count": 3, "missed": 0}


def test_departure_plan_apply_twice_updates_instead_of_duplicating(participant, counsellor, rules):
    services.departure_plan_apply(participant=participant, departure=days(40), actor=counsellor)
    services.departure_plan_apply(participant=participant, departure=days(50), actor=counsellor)
    services.departure_plan_apply(participant=participant, departure=days(50), actor=counsellor)
    assert _generated(participant) == [("Reisedokument", days(22), "open")]
    assert Participant.objects.get(pk=participant.pk).planned_departure == days(50)


def test_departure_plan_apply_leaves_done_tasks_alone(participant, counsellor, rules):
    (task,) = services.departure_plan_apply(participant=participant, departure=days(40), actor=counsellor)
    services.task_set_status(task=task, status=TaskStatus.DONE, actor=counsellor)
    services.departure_plan_apply(participant=participant, departure=days(60), actor=counsellor)
    assert _generated(participant) == [("Reisedokument", days(12), "done")]


def test_departure_plan_apply_cancels_tasks_of_a_rejected_programme(participant, counsellor, rules):
    application = ProgrammeApplicationFactory(participant=participant, programme=Programme.JRS)
    services.departure_plan_apply(participant=participant, departure=days(40), actor=counsellor)
    ProgrammeApplication.objects.filter(pk=application.pk).update(status=ApplicationStatus.REJECTED)
    services.departure_plan_apply(participant=participant, departure=days(40), actor=counsellor)
    assert [status for _title, _due, status in _generated(participant)] == ["cancelled", "cancelled", "open"]
    # Applying again with JRS reinstated reopens the cancelled tasks rather than adding new ones.
    ProgrammeApplication.objects.filter(pk=application.pk).update(status=ApplicationStatus.PLANNED)
    services.departure_plan_apply(participant=participant, departure=days(40), actor=counsellor)
    assert [status for _title, _due, status in _generated(participant)] == ["open", "open", "open"]
    assert Task.objects.filter(participant=participant).count() == 3


def test_departure_plan_apply_too_close_raises_with_the_missed_rules(participant, counsellor, rules):
    ProgrammeApplicationFactory(participant=participant, programme=Programme.JRS)
    with pytest.raises(services.MissedDeadlines) as error:
        services.departure_plan_apply(participant=participant, departure=days(20), actor=counsellor)
    assert [deadline.rule.title for deadline in error.value.missed] == ["Reisedokument"]
    assert error.value.message_dict == {"departure": ["Dieses Ausreisedatum lässt für 1 Frist zu wenig Zeit."]}
    assert Task.objects.count() == 0
    assert Participant.objects.get(pk=participant.pk).planned_departure is None


def test_departure_plan_apply_too_close_with_confirmation_saves(participant, counsellor, rules):
    services.departure_plan_apply(
        participant=participant, departure=days(20), actor=counsellor, accept_missed_deadlines=True
    )
    assert _generated(participant) == [("Reisedokument", days(-8), "open")]
    event = CaseEvent.objects.get(participant=participant, kind="departure_planned")
    assert (event.data["count"], event.data["missed"]) == (1, 1)


def test_departure_plan_apply_in_the_past_is_refused(participant, counsellor, rules):
    with pytest.raises(ValidationError) as error:
        services.departure_plan_apply(participant=participant, departure=days(-1), actor=counsellor)
    assert list(error.value.message_dict) == ["departure"]


def test_departure_plan_apply_for_a_departed_case_is_refused(participant, counsellor, rules):
    participant.stage = Stage.DEPARTED
    with pytest.raises(ValidationError) as error:
        services.departure_plan_apply(participant=participant, departure=days(30), actor=counsellor)
    assert list(error.value.message_dict) == ["departure"]
