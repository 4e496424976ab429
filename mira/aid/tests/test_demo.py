from decimal import Decimal

import pytest

from mira.accounts.models import Role
from mira.aid import demo
from mira.aid.models import AidRequest, AidStatus, Budget
from mira.aid.selectors import participant_aid_summary
from mira.core.demo import DemoContext
from mira.participants.models import Stage
from mira.participants.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def test_demo_data_has_every_status_a_case_near_the_cap_and_receipts(centre, other_centre, make_user):
    users = {
        "leitung": make_user(Role.COORDINATOR, username="leitung"),
        "leitung2": make_user(Role.COORDINATOR, username="leitung2"),
        "verwaltung": make_user(Role.FINANCE, username="verwaltung"),
    }
    counsellor = make_user(Role.COUNSELLOR, username="beratung")
    gera = make_user(Role.COUNSELLOR, centre=other_centre, username="beratung2")
    participants = [ParticipantFactory(centre=centre, assigned_counsellor=counsellor, stage=Stage.GOALS_AGREED)
                    for _ in range(12)]  # fmt: skip
    participants.append(ParticipantFactory(centre=other_centre, assigned_counsellor=gera, stage=Stage.COUNSELLING))
    participants.append(ParticipantFactory(centre=other_centre, assigned_counsellor=gera, stage=Stage.DEPARTED))
    ctx = DemoContext(centres={"EF": centre, "GE": other_centre}, users=users, participants=participants)

    demo.load(ctx)

    assert set(AidRequest.objects.values_list("status", flat=True)) == set(AidStatus.values)
    near_cap = ctx.extra["aid_near_cap_participant"]
    assert participant_aid_summary(participant=near_cap).committed == Decimal("930.00")
    paid = AidRequest.objects.filter(status__in=[AidStatus.PAID, AidStatus.DELIVERED, AidStatus.CLOSED])
    assert {request.proofs.exists() for request in paid} == {True, False}
    assert Budget.objects.filter(year=ctx.today.year).count() == 4
    assert AidRequest.objects.filter(participant__centre=other_centre).count() == 1
    for request in AidRequest.objects.exclude(status=AidStatus.DRAFT):
        assert request.transitions.first().at >= request.created_at
