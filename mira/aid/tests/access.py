"""Who may open the aid URLs (see mira/core/testing/access.py).

Counsellors and the coordination work on the requests of their centre's cases;
finance sees the aid pages (requests, payments, budgets, export) but no case page.
The counsellor of another centre (OUTSIDER) gets 404 on the first centre's objects.
"""

from mira.aid.models import AidStatus
from mira.core.testing.access import OUTSIDER, route

AID_STAFF = ("counsellor", "coordinator", "finance")
CASE_WORKERS = ("counsellor", "coordinator")
MONEY = ("coordinator", "finance")


def _participant(world):
    return {"participant_pk": world.participant.pk}


def _request(world, *, submit=True):
    from mira.aid.tests.factories import make_request

    return make_request(world.participant, actor=world.counsellor, submit=submit)


def _draft(world):
    return {"pk": _request(world, submit=False).pk}


def _submitted(world):
    return {"pk": _request(world).pk}


def _to_approve(world):
    return {"pk": _request(world).pk, "to": AidStatus.APPROVED}


def _approved(world):
    from mira.aid.tests.factories import BudgetFactory, FundingSourceFactory, advance

    source = FundingSourceFactory(code="amif", name="AMIF")
    BudgetFactory(funding_source=source, centre=world.centre, updated_by=world.users["coordinator"])
    request = advance(_request(world), AidStatus.APPROVED, coordinator=world.users["coordinator"], source=source)
    return {"pk": request.pk}


def _budget(world):
    from mira.aid.tests.factories import BudgetFactory

    return {"pk": BudgetFactory(centre=world.centre, updated_by=world.users["coordinator"]).pk}


ROUTES = {
    "aid:case_requests": route(*AID_STAFF, kwargs=_participant),
    "aid:request_create": route(*CASE_WORKERS, kwargs=_participant),
    "aid:remaining": route(*CASE_WORKERS, kwargs=_participant),
    "aid:request_list": route(*AID_STAFF, OUTSIDER),
    "aid:request_detail": route(*AID_STAFF, kwargs=_submitted),
    "aid:request_edit": route(*CASE_WORKERS, kwargs=_draft),
    "aid:request_transition": route("coordinator", kwargs=_to_approve),
    "aid:proof_add": route(*AID_STAFF, kwargs=_approved),
    "aid:approval_queue": route("coordinator"),
    "aid:open_payments": route(*MONEY),
    "aid:missing_proofs": route(*MONEY),
    "aid:budgets": route(*MONEY),
    "aid:budget_create": route("coordinator"),
    "aid:budget_edit": route("coordinator", kwargs=_budget),
    "aid:export": route(*MONEY),
}
