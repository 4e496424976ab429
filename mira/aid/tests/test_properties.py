"""Property: whatever happens in whatever order, approved-and-later aid never exceeds
the cap of a participant nor the budget of a funding source."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mira.aid.models import AidRequest, AidStatus
from mira.aid.selectors import budget_booked_total, participant_committed_total
from mira.aid.services import aid_request_save, aid_request_transition
from mira.aid.tests.factories import BudgetFactory
from mira.participants.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

CAP = Decimal("1000.00")
BUDGETS = {"amif": Decimal("1500.00"), "land-thueringen": Decimal("900.00")}

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("900.00"), places=2)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("request"), st.integers(0, 2), amounts),
        st.tuples(st.just("approve"), st.integers(0, 30), st.sampled_from(sorted(BUDGETS))),
        st.tuples(st.just("cancel"), st.integers(0, 30), st.none()),
        st.tuples(st.just("pay"), st.integers(0, 30), st.none()),
    ),
    max_size=30,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(operations=operations)
def test_approved_aid_never_exceeds_cap_or_budget(operations, centre, counsellor, coordinator, finance, amif, land):
    with transaction.atomic():
        sources = {"amif": amif, "land-thueringen": land}
        budgets = {
            code: BudgetFactory(funding_source=sources[code], centre=centre, amount=amount, updated_by=coordinator)
            for code, amount in BUDGETS.items()
        }
        participants = [ParticipantFactory(centre=centre, assigned_counsellor=counsellor) for _ in range(3)]
        requests: list[AidRequest] = []
        committed = {participant.pk: Decimal("0.00") for participant in participants}
        booked = {code: Decimal("0.00") for code in BUDGETS}

        for action, index, value in operations:
            if action == "request":
                participant = participants[index]
                fits = committed[participant.pk] + value <= CAP
                request = AidRequest(participant=participant, justification="Prüfung")
                items = [{"category": "tools", "description": "Werkzeug", "amount": value, "supplier": ""}]
                try:
                    requests.append(aid_request_save(request=request, items=items, actor=counsellor, submit=True))
                    assert fits
                except ValidationError:
                    assert not fits
            elif requests:
                request = AidRequest.objects.get(pk=requests[index % len(requests)].pk)
                owner = request.participant_id
                if action == "approve":
                    fits = (
                        request.status == AidStatus.SUBMITTED
                        and committed[owner] + request.total <= CAP
                        and booked[value] + request.total <= BUDGETS[value]
                    )
                    try:
                        aid_request_transition(
                            request=request, to=AidStatus.APPROVED, actor=coordinator, funding_source=sources[value]
                        )
                        assert fits
                        committed[owner] += request.total
                        booked[value] += request.total
                    except ValidationError:
                        assert not fits
                elif action == "cancel":
                    try:
                        aid_request_transition(request=request, to=AidStatus.CANCELLED, actor=coordinator, comment="x")
                        if request.status in (AidStatus.APPROVED, AidStatus.ORDERED):
                            committed[owner] -= request.total
                            booked[request.budget.funding_source.code] -= request.total
                    except ValidationError:
                        assert request.status not in (AidStatus.SUBMITTED, AidStatus.APPROVED, AidStatus.ORDERED)
                elif action == "pay":
                    try:
                        aid_request_transition(request=request, to=AidStatus.PAID, actor=finance, payment_reference="B")
                        assert request.status in (AidStatus.APPROVED, AidStatus.ORDERED)
                    except ValidationError:
                        assert request.status not in (AidStatus.APPROVED, AidStatus.ORDERED)

            for participant in participants:
                in_database = participant_committed_total(participant_id=participant.pk)
                assert in_database <= CAP
                assert in_database == committed[participant.pk]
            for code, budget in budgets.items():
                in_database = budget_booked_total(budget_id=budget.pk)
                assert in_database <= budget.amount
                assert in_database == booked[code]
        transaction.set_rollback(True)
