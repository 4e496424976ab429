import datetime

import pytest

from mira.accounts import demo as accounts_demo
from mira.core.demo import DemoContext
from mira.network import demo
from mira.network.models import Offer, OfferKind, Organisation, Referral, ReferralStatus, Sector
from mira.network.selectors import ReferralFilter, referral_list
from mira.participants.models import Stage
from mira.participants.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def test_demo_directory_covers_the_countries_kinds_and_sectors():
    ctx = DemoContext()
    accounts_demo.load(ctx)
    demo.load(ctx)
    countries = set(Organisation.objects.values_list("country", flat=True))
    assert {"DE", "GE", "IQ", "TR", "AM", "MD"} <= countries
    assert Offer.objects.count() >= 40
    assert set(Offer.objects.values_list("kind", flat=True)) == set(OfferKind.values)
    assert {Sector.IT, Sector.E_COMMERCE} <= set(Offer.objects.values_list("sector", flat=True))
    georgian = ctx.extra["georgian_partner"]
    georgian.refresh_from_db()
    assert (georgian.reference, georgian.offers.count()) == ("caucasus-reintegration-partners", 4)
    assert Referral.objects.count() == 0  # without cases, no referrals


def test_demo_referrals_reach_every_status_and_one_shows_the_withdrawal():
    ctx = DemoContext()
    accounts_demo.load(ctx)
    counsellor = ctx.users["beratung"]
    for index in range(18):
        ctx.participants.append(
            ParticipantFactory(
                centre=ctx.centres["EF"],
                assigned_counsellor=counsellor,
                return_country=["GE", "IQ", "AM"][index % 3],
                stage=Stage.COUNSELLING,
                opened_on=ctx.today - datetime.timedelta(days=200),
            )  # fmt: skip
        )
    demo.load(ctx)
    assert set(Referral.objects.values_list("status", flat=True)) == set(ReferralStatus.values)
    assert len(referral_list(filters=ReferralFilter(consent_missing=True))) == 1
