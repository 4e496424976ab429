import datetime

import factory

from mira.accompaniment.models import (
    ChecklistTemplate,
    ChecklistTemplateStep,
    DeadlineRule,
    OffsetUnit,
    Programme,
    ProgrammeApplication,
    RuleCondition,
    Task,
)
from mira.participants.tests.factories import CentreFactory, ParticipantFactory


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    participant = factory.SubFactory(ParticipantFactory)
    title = factory.Sequence(lambda n: f"Geburtsurkunde beschaffen {n}")
    responsible = factory.SelfAttribute("participant.assigned_counsellor")
    created_by = factory.SelfAttribute("responsible")
    due_on = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=7))


class ChecklistTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChecklistTemplate

    centre = factory.SubFactory(CentreFactory)
    name = factory.Sequence(lambda n: f"Checkliste {n}")


class ChecklistTemplateStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChecklistTemplateStep

    template = factory.SubFactory(ChecklistTemplateFactory)
    title = factory.Sequence(lambda n: f"Schritt {n}")
    offset_days = 0
    order = factory.Sequence(lambda n: n)


class ProgrammeApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeApplication

    participant = factory.SubFactory(ParticipantFactory)
    programme = Programme.REAG_GARP
    created_by = factory.SelfAttribute("participant.assigned_counsellor")


class DeadlineRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeadlineRule

    title = factory.Sequence(lambda n: f"Frist {n}")
    offset = 10
    unit = OffsetUnit.CALENDAR_DAYS
    condition = RuleCondition.ALWAYS
