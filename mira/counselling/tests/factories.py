import datetime

import factory
from django.utils import timezone

from mira.counselling.models import Appointment, CounsellingSession, Interpreter, SessionMode, Topic
from mira.participants.tests.factories import CentreFactory, ParticipantFactory, UserFactory


class InterpreterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interpreter

    centre = factory.SubFactory(CentreFactory)
    name = factory.Sequence(lambda n: f"Dolmetscherin {n}")
    languages = "ar ku"
    phone = "+49 361 555000"
    email = factory.Sequence(lambda n: f"dolmetsch{n}@example.org")


class CounsellingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CounsellingSession
        skip_postgeneration_save = True

    participant = factory.SubFactory(ParticipantFactory)
    counsellor = factory.SelfAttribute("participant.assigned_counsellor")
    started_at = factory.LazyFunction(lambda: timezone.now().replace(microsecond=0) - datetime.timedelta(days=1))
    duration_minutes = 60
    mode = SessionMode.IN_PERSON
    topics = f"{Topic.RETURN_OPTIONS} {Topic.DOCUMENTS}"
    language = "de"
    notes = "TN berichtet über den Stand der Passbeschaffung."
    next_steps = "Termin bei der Botschaft vereinbaren."


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment

    centre = factory.SubFactory(CentreFactory)
    counsellor = factory.SubFactory(UserFactory, centre=factory.SelfAttribute("..centre"))
    created_by = factory.SelfAttribute("counsellor")
    participant = None
    title = "Beratung"
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + datetime.timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=1))
    place = "MIRA Erfurt, Raum 2"
