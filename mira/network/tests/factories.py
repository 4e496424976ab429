import factory

from mira.network.models import Offer, OfferKind, Organisation, OrganisationType, Sector


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
