from decimal import Decimal

import pytest

from mira.accounts.models import Role
from mira.aid.tests.factories import BudgetFactory, FundingSourceFactory
from mira.participants.tests.factories import ParticipantFactory


@pytest.fixture
def participant(centre, counsellor):
    return ParticipantFactory(centre=centre, case_number="EF-2026-0042", assigned_counsellor=counsellor)


@pytest.fixture
def amif(db):
    return FundingSourceFactory(code="amif", name="AMIF")


@pytest.fixture
def land(db):
    return FundingSourceFactory(code="land-thueringen", name="Land Thüringen")


@pytest.fixture
def budget(centre, amif, coordinator):
    return BudgetFactory(funding_source=amif, centre=centre, amount=Decimal("50000.00"), updated_by=coordinator)


@pytest.fixture
def second_coordinator(make_user):
    return make_user(Role.COORDINATOR, username="leitung2", first_name="Sabine", last_name="Hoffmann")
