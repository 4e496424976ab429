import datetime

import pytest
from django.test import Client
from django.utils import timezone

from mira.accounts.models import Role
from mira.participants.tests.factories import ParticipantFactory
from mira.psychology.models import ReferralStatus
from mira.psychology.tests.factories import PsychologicalReferralFactory, SupportNoteFactory


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def participant(centre, counsellor):
    return ParticipantFactory(
        centre=centre, assigned_counsellor=counsellor, case_number="EF-2026-0042", first_name="Nino",
        last_name="Kapanadze", opened_on=days(-90),
    )  # fmt: skip


@pytest.fixture
def referral(participant, counsellor, psychologist):
    return PsychologicalReferralFactory(
        participant=participant,
        referred_by=counsellor,
        psychologist=psychologist,
        status=ReferralStatus.IN_SUPPORT,
        reason="Albträume und Panikattacken seit der Flucht; wünscht Gespräche.",
        requested_on=days(-30),
    )


@pytest.fixture
def private_note(referral):
    return SupportNoteFactory(
        referral=referral, text="Erstgespräch: Hinweise auf PTBS, Stabilisierung vereinbart.", session_date=days(-20)
    )


@pytest.fixture
def shared_note(referral):
    return SupportNoteFactory(
        referral=referral,
        text="Für die Beratung: Termine möglichst vormittags, Dolmetscherin weiblich.",
        session_date=days(-10),
        shared_with_counsellor=True,
    )


@pytest.fixture
def other_psychologist(make_user):
    return make_user(Role.PSYCHOLOGIST, username="psychologie2")


@pytest.fixture
def colleague(make_user):
    """Another counsellor of the same centre, not assigned to the case."""
    return make_user(Role.COUNSELLOR, username="beratung3")


@pytest.fixture
def client_of():
    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make
