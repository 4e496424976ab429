"""Who may open the network's URLs (see mira/core/testing/access.py).

The directory is shared by all centres: the counsellor of another centre
(OUTSIDER) reads it too. Referrals belong to a case: only its centre sees them.
"""

from mira.core.testing.access import OUTSIDER, route
from mira.network.models import Referral
from mira.network.tests.factories import OfferFactory, OrganisationFactory

READERS = ("counsellor", "coordinator", "psychologist", OUTSIDER)
EDITORS = ("counsellor", "coordinator", OUTSIDER)


def _organisation(world):
    return {"pk": OrganisationFactory(reference="access-org").pk}


def _offer(world):
    return {"pk": OfferFactory(reference="access-offer").pk}


def _referral(world):
    offer = OfferFactory(reference="access-referral-offer", organisation__country="DE", country="DE")
    referral = Referral.objects.create(
        participant=world.participant,
        organisation=offer.organisation,
        offer=offer,
        suggested_on=world.participant.opened_on,
        created_by=world.counsellor,
    )
    return {"pk": referral.pk}


ROUTES = {
    "network:organisation_list": route(*READERS),
    "network:organisation_detail": route(*READERS, kwargs=_organisation),
    "network:organisation_create": route(*EDITORS),
    "network:organisation_update": route(*EDITORS, kwargs=_organisation),
    "network:offer_list": route(*READERS),
    "network:offer_detail": route(*READERS, kwargs=_offer),
    "network:offer_create": route(*EDITORS, kwargs=lambda w: {"organisation_pk": _organisation(w)["pk"]}),
    "network:offer_update": route(*EDITORS, kwargs=_offer),
    "network:export": route(*READERS, query="format=csv&table=offers"),
    "network:import": route("coordinator"),
    # Referrals: the case's centre only; case workers read and change them. A psychologist
    # reads a single referral only of a case referred to them (none in the world) and has
    # no referral list.
    "network:referral_list": route("counsellor", "coordinator", OUTSIDER),
    "network:referral_detail": route("counsellor", "coordinator", kwargs=_referral),
    "network:referral_set_status": route("counsellor", "coordinator", kwargs=_referral, post_only=True),
    "network:referral_create": route(
        "counsellor", "coordinator", kwargs=lambda w: {"participant_pk": w.participant.pk}
    ),
}
