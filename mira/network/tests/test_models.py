import datetime

import pytest

from mira.network.models import Offer, Organisation
from mira.network.tests.factories import OfferFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_offer_country_and_region_default_from_organisation():
    organisation = OrganisationFactory(country="IQ", region="Kurdistan Region")
    offer = OfferFactory(organisation=organisation, country="", region="")
    assert (offer.country, offer.region) == ("IQ", "Kurdistan Region")


def test_offer_is_valid_on_respects_dates_and_active_flag():
    offer = OfferFactory(valid_from=datetime.date(2026, 1, 1), valid_until=datetime.date(2026, 6, 30))
    assert offer.is_valid_on(datetime.date(2025, 12, 31)) is False
    assert offer.is_valid_on(datetime.date(2026, 1, 1)) is True
    assert offer.is_valid_on(datetime.date(2026, 6, 30)) is True
    assert offer.is_valid_on(datetime.date(2026, 7, 1)) is False
    offer.active = False
    assert offer.is_valid_on(datetime.date(2026, 3, 1)) is False


def test_offer_is_valid_on_open_ends():
    offer = OfferFactory(valid_from=None, valid_until=None)
    assert offer.is_valid_on(datetime.date(2030, 1, 1)) is True


def test_organisation_reference_generated_unique_when_empty():
    first = Organisation.objects.create(name="Caritas Erfurt", country="DE")
    second = Organisation.objects.create(name="Caritas Erfurt", country="DE")
    assert (first.reference, second.reference) == ("caritas-erfurt-de", "caritas-erfurt-de-2")


def test_offer_reference_generated_from_title_when_empty():
    offer = Offer.objects.create(organisation=OrganisationFactory(), title="IT-Gründungsprogramm", kind="training")
    assert offer.reference == "it-grundungsprogramm"
