import datetime

import pytest

from mira.network.models import OfferKind, OrganisationType, Sector
from mira.network.selectors import (
    OfferFilter,
    OrganisationFilter,
    offer_list,
    offers_suggested_for,
    organisation_list,
)
from mira.network.tests.factories import OfferFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 6, 1)


def _titles(offers) -> list[str]:
    return [offer.title for offer in offers]


def test_offers_suggested_for_requires_the_country():
    OfferFactory(title="Georgia", organisation__country="GE", country="GE")
    OfferFactory(title="Iraq", organisation__country="IQ", country="IQ")
    assert _titles(offers_suggested_for(country="GE", on=DAY)) == ["Georgia"]
    assert offers_suggested_for(country="", on=DAY) == []


def test_offers_suggested_for_ranks_region_then_sector_and_kind_then_text():
    organisation = OrganisationFactory(country="GE", coaches_after_return=False, name="Partner", services="")

    def offer(title, **kwargs):
        defaults = {
            "organisation": organisation,
            "country": "GE",
            "region": "",
            "sector": Sector.OTHER,
            "kind": OfferKind.SOCIAL,
            "description": "",
        }
        return OfferFactory(title=title, **{**defaults, **kwargs})

    offer("A plain")
    offer("B region", region="Kutaisi")
    offer("C sector", sector=Sector.IT)
    offer("D sector and kind", sector=Sector.IT, kind=OfferKind.BUSINESS_START_UP)
    offer("E region sector kind", region="Kutaisi", sector=Sector.IT, kind=OfferKind.BUSINESS_START_UP)
    offer("F text", description="Online-Shop Gründung")
    ranked = offers_suggested_for(
        country="GE", region="kutaisi", sectors=[Sector.IT], kinds=[OfferKind.BUSINESS_START_UP], text="online", on=DAY
    )
    assert _titles(ranked) == ["E region sector kind", "B region", "D sector and kind", "C sector", "F text", "A plain"]


def test_offers_suggested_for_leaves_out_invalid_and_inactive_offers():
    OfferFactory(title="valid", organisation__country="GE", country="GE")
    OfferFactory(
        title="expired", organisation__country="GE", country="GE", valid_until=DAY - datetime.timedelta(days=1)
    )
    OfferFactory(title="not yet", organisation__country="GE", country="GE", valid_from=DAY + datetime.timedelta(days=1))
    OfferFactory(title="switched off", organisation__country="GE", country="GE", active=False)
    OfferFactory(title="inactive organisation", organisation__country="GE", organisation__active=False, country="GE")
    assert _titles(offers_suggested_for(country="ge", on=DAY)) == ["valid"]


def test_offers_suggested_for_prefers_coaching_organisations_on_a_tie():
    OfferFactory(
        title="A no coaching", organisation__country="GE", organisation__coaches_after_return=False, country="GE"
    )
    OfferFactory(title="B coaching", organisation__country="GE", organisation__coaches_after_return=True, country="GE")
    assert _titles(offers_suggested_for(country="GE", on=DAY)) == ["B coaching", "A no coaching"]


def test_organisation_list_filters_text_over_offers_and_services():
    hub = OrganisationFactory(name="Tbilisi Hub", services="Beratung")
    OfferFactory(organisation=hub, title="E-Commerce Bootcamp")
    OrganisationFactory(name="Kutaisi Care", services="Psychosoziale Begleitung")
    assert [o.name for o in organisation_list(filters=OrganisationFilter(text="bootcamp"))] == ["Tbilisi Hub"]
    assert [o.name for o in organisation_list(filters=OrganisationFilter(text="psychosoziale"))] == ["Kutaisi Care"]


def test_organisation_list_filters_country_region_type_sector_and_coaching():
    OrganisationFactory(
        name="A", country="IQ", region="Kurdistan Region", type=OrganisationType.NGO, coaches_after_return=True
    )
    b = OrganisationFactory(
        name="B", country="IQ", region="Bagdad", type=OrganisationType.EMPLOYER, coaches_after_return=False
    )
    OfferFactory(organisation=b, sector=Sector.CONSTRUCTION)
    OrganisationFactory(name="C", country="DE", region="Thüringen", type=OrganisationType.PUBLIC_AUTHORITY)
    OrganisationFactory(name="D", country="IQ", active=False)

    def names(**kwargs):
        return [o.name for o in organisation_list(filters=OrganisationFilter(**kwargs))]

    assert names(country="IQ") == ["A", "B"]
    assert names(region="kurdistan") == ["A"]
    assert names(type=OrganisationType.EMPLOYER) == ["B"]
    assert names(sector=Sector.CONSTRUCTION) == ["B"]
    assert names(country="IQ", coaches_after_return=True) == ["A"]
    assert names(country="IQ", include_inactive=True) == ["A", "B", "D"]


def test_organisation_list_counts_active_offers():
    organisation = OrganisationFactory()
    OfferFactory(organisation=organisation)
    OfferFactory(organisation=organisation, active=False)
    assert organisation_list().get().offer_count == 1


def test_offer_list_filters_kind_sector_region_and_validity():
    OfferFactory(title="IT Kutaisi", kind=OfferKind.TRAINING, sector=Sector.IT, region="Kutaisi")
    OfferFactory(title="Farm", kind=OfferKind.BUSINESS_START_UP, sector=Sector.AGRICULTURE, region="Kachetien")
    OfferFactory(title="Old", kind=OfferKind.JOB, sector=Sector.IT, valid_until=DAY - datetime.timedelta(days=10))

    def titles(**kwargs):
        return _titles(offer_list(filters=OfferFilter(**kwargs)))

    assert titles(kind=OfferKind.BUSINESS_START_UP) == ["Farm"]
    assert titles(sector=Sector.IT) == ["IT Kutaisi", "Old"]
    assert titles(sector=Sector.IT, valid_on=DAY) == ["IT Kutaisi"]
    assert titles(region="kutai") == ["IT Kutaisi"]
    assert titles(text="farm") == ["Farm"]
