import datetime

import factory

from mira.network.models import Offer, OfferKind, Organisation, OrganisationType, Referral, ReferralStatus, Sector
from mira.participants.tests.factories import ParticipantFactory
from mira.privacy.models import Consent, ConsentPurpose


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    reference = factory.Sequence(lambda n: f"org-{n + 1}")
    name = factory.Sequence(lambda n: f"Partnerorganisation {n + 1}")
    type = OrganisationType.NGO
    country = "GE"
    region = "Tbilisi"
    city = "Tbilisi"
    languages = "ka ru en"
    coaches_after_return = True


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer

    reference = factory.Sequence(lambda n: f"offer-{n + 1}")
    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Angebot {n + 1}")
    kind = OfferKind.TRAINING
    sector = Sector.IT
    target_group = "Rückkehrende"


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    participant = factory.SubFactory(ParticipantFactory)
    offer = factory.SubFactory(OfferFactory, organisation__country="DE", country="DE", region="Thüringen")
    organisation = factory.SelfAttribute("offer.organisation")
    status = ReferralStatus.SUGGESTED
    suggested_on = datetime.date(2026, 3, 2)
    created_by = factory.SelfAttribute("participant.assigned_counsellor")


def partner_sharing_consent(participant, *, given_on=datetime.date(2026, 1, 5), withdrawn_on=None) -> Consent:
    """The participant's consent to sharing with partner organisations abroad (privacy.Consent)."""
    return Consent.objects.create(
        participant=participant,
        purpose=ConsentPurpose.PARTNER_SHARING,
        given_on=given_on,
        withdrawn_on=withdrawn_on,
        language="de",
        recorded_by=participant.assigned_counsellor,
    )
