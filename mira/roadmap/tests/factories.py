import datetime

import factory
from django.utils import timezone

from mira.participants.tests.factories import ParticipantFactory
from mira.privacy.models import Consent, ConsentPurpose
from mira.roadmap.models import (
    Goal,
    GoalOwner,
    Phase,
    RecipientKind,
    Roadmap,
    RoadmapShare,
    RoadmapVersion,
    VersionState,
)


class RoadmapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Roadmap

    participant = factory.SubFactory(ParticipantFactory)
    created_by = factory.SelfAttribute("participant.assigned_counsellor")


class RoadmapVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoadmapVersion

    roadmap = factory.SubFactory(RoadmapFactory)
    number = 1
    state = VersionState.DRAFT
    created_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=30))
    created_by = factory.SelfAttribute("roadmap.created_by")
    current_situation = "Lebt mit Familie in einer Gemeinschaftsunterkunft."
    professional_wishes = "Möchte als Kfz-Mechaniker arbeiten."
    destination_country = "GE"
    destination_region = "Tbilisi"
    destination_city = "Tbilisi"


class AgreedVersionFactory(RoadmapVersionFactory):
    state = VersionState.AGREED
    agreed_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=2))
    agreement_method = "paper"
    participant_signed = True
    counsellor_signed = True
    agreed_by = factory.SelfAttribute("created_by")
    agreed_at = factory.LazyFunction(timezone.now)


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    version = factory.SubFactory(RoadmapVersionFactory)
    phase = Phase.BEFORE_DEPARTURE
    title = factory.Sequence(lambda n: f"Reisepass beantragen {n}")
    measure = "Pass liegt vor"
    owner = GoalOwner.PARTICIPANT
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    participant = factory.SubFactory(ParticipantFactory)
    purpose = ConsentPurpose.PARTNER_SHARING
    given_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    language = "de"
    recorded_by = factory.SelfAttribute("participant.assigned_counsellor")


def sharing_consents(participant) -> None:
    """The two consents a share with a partner organisation needs."""
    for purpose in (ConsentPurpose.PARTNER_SHARING, ConsentPurpose.SECRECY_RELEASE):
        ConsentFactory(participant=participant, purpose=purpose)


class RoadmapShareFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoadmapShare

    version = factory.SubFactory(AgreedVersionFactory)
    recipient_kind = RecipientKind.PARTNER
    recipient_name = factory.LazyAttribute(lambda o: o.organisation.name if o.organisation else "Ausländerbehörde")
    consent_purposes = "partner_sharing secrecy_release"
    shared_by = factory.SelfAttribute("version.created_by")
