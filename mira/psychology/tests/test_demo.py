import datetime

import pytest

from mira.accounts import demo as accounts_demo
from mira.core.demo import DemoContext
from mira.participants.models import CaseEvent, Gender, Stage
from mira.participants.tests.factories import ParticipantFactory
from mira.psychology import demo
from mira.psychology.models import PsychologicalReferral, ReferralStatus, SupportNote

pytestmark = pytest.mark.django_db


def _demo_cases(ctx, count, **attributes):
    for index in range(count):
        ctx.participants.append(
            ParticipantFactory(
                centre=ctx.centres["EF"],
                assigned_counsellor=ctx.users["beratung"],
                stage=Stage.COUNSELLING,
                gender=[Gender.FEMALE, Gender.MALE][index % 2],
                vulnerabilities="minors single_parent trauma",
                opened_on=ctx.today - datetime.timedelta(days=300),
                **attributes,
            )  # fmt: skip
        )


def test_demo_refers_ten_cases_in_every_status_with_shared_and_private_notes():
    ctx = DemoContext()
    accounts_demo.load(ctx)
    _demo_cases(ctx, 14)
    demo.load(ctx)
    referrals = PsychologicalReferral.objects.all()
    assert referrals.count() == 10
    assert set(referrals.values_list("status", flat=True)) == set(ReferralStatus.values)
    assert set(referrals.values_list("psychologist__username", flat=True)) == {"psychologie"}
    assert set(referrals.values_list("referred_by__username", flat=True)) == {"beratung"}
    shared = SupportNote.objects.filter(shared_with_counsellor=True).count()
    assert (shared, SupportNote.objects.count() - shared) == (5, 19)
    assert SupportNote.objects.filter(session_date__gt=ctx.today).count() == 0
    assert {(event.kind, str(event.data)) for event in CaseEvent.objects.all()} == {("restricted_entry", "{}")}


def test_demo_without_cases_refers_nobody():
    ctx = DemoContext()
    accounts_demo.load(ctx)
    demo.load(ctx)
    assert PsychologicalReferral.objects.count() == 0
