"""Approvals at the same moment on PostgreSQL: the row locks keep the cap and the budget."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_scopes import scopes_disabled

from mira.aid.models import AidRequest, AidStatus
from mira.aid.selectors import budget_booked_total, participant_committed_total
from mira.aid.services import aid_request_transition
from mira.aid.tests.factories import BudgetFactory, make_request
from mira.participants.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db(transaction=True)


def approve_all_at_once(requests, approver, source) -> list[str]:
    """Each request approved in its own thread, all released by one barrier; returns the outcomes."""
    barrier = threading.Barrier(len(requests))
    outcomes = []
    lock = threading.Lock()

    def approve(request):
        try:
            with scopes_disabled():
                barrier.wait()
                try:
                    aid_request_transition(
                        request=request, to=AidStatus.APPROVED, actor=approver, funding_source=source
                    )
                    outcome = "approved"
                except ValidationError:
                    outcome = "refused"
            with lock:
                outcomes.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(request,)) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(outcomes)


def test_concurrent_approvals_never_pass_the_cap(centre, counsellor, coordinator, amif):
    budget = BudgetFactory(funding_source=amif, centre=centre, amount=Decimal("50000.00"), updated_by=coordinator)
    participant = ParticipantFactory(centre=centre, assigned_counsellor=counsellor)
    requests = [make_request(participant, amounts=["400.00"], submit=True) for _ in range(5)]

    outcomes = approve_all_at_once(requests, coordinator, amif)

    assert outcomes == ["approved", "approved", "refused", "refused", "refused"]
    assert participant_committed_total(participant_id=participant.pk) == Decimal("800.00")
    assert AidRequest.objects.filter(status=AidStatus.APPROVED).count() == 2
    assert budget_booked_total(budget_id=budget.pk) == Decimal("800.00")


def test_concurrent_approvals_never_pass_the_budget(centre, counsellor, coordinator, amif):
    budget = BudgetFactory(funding_source=amif, centre=centre, amount=Decimal("1000.00"), updated_by=coordinator)
    participants = [ParticipantFactory(centre=centre, assigned_counsellor=counsellor) for _ in range(4)]
    requests = [make_request(participant, amounts=["300.00"], submit=True) for participant in participants]

    outcomes = approve_all_at_once(requests, coordinator, amif)

    assert outcomes == ["approved", "approved", "approved", "refused"]
    assert budget_booked_total(budget_id=budget.pk) == Decimal("900.00")
