"""Who may do what with in-kind aid. Roles and centre are checked here; the
workflow's finer rules (status, four eyes, cap, budget) are in services.py,
which refuses with a message the user can act on."""

import rules

from mira.accounts.rules import is_case_worker, is_coordinator, is_finance, same_centre
from mira.aid.models import AidStatus


@rules.predicate
def is_draft(user, request) -> bool:
    return request is not None and request.status == AidStatus.DRAFT


@rules.predicate
def is_before_approval(user, request) -> bool:
    return request is not None and request.status in (AidStatus.DRAFT, AidStatus.SUBMITTED)


aid_staff = is_case_worker | is_finance

# Without an object: the aid pages at all, and the finance and coordination views.
rules.add_perm("aid.view_aid", aid_staff)
rules.add_perm("aid.view_approval_queue", is_coordinator)
rules.add_perm("aid.view_finance", is_finance | is_coordinator)
rules.add_perm("aid.view_budgets", is_finance | is_coordinator)
rules.add_perm("aid.manage_budgets", is_coordinator)
rules.add_perm("aid.export", is_finance | is_coordinator)
rules.add_perm("aid.record_payments", is_finance)

# On a participant: may the user write a new request for this case.
rules.add_perm("aid.add_request", is_case_worker & same_centre)

# On a request.
rules.add_perm("aid.view_request", aid_staff & same_centre)
rules.add_perm("aid.change_request", is_case_worker & same_centre & is_draft)
rules.add_perm("aid.submit_request", is_case_worker & same_centre)
rules.add_perm("aid.decide_request", is_coordinator & same_centre)
rules.add_perm("aid.order_request", (is_coordinator | is_finance) & same_centre)
rules.add_perm("aid.pay_request", is_finance & same_centre)
rules.add_perm("aid.deliver_request", aid_staff & same_centre)
rules.add_perm("aid.close_request", (is_coordinator | is_finance) & same_centre)
rules.add_perm(
    "aid.cancel_request", same_centre & ((is_case_worker & is_before_approval) | (is_coordinator & ~is_before_approval))
)
rules.add_perm("aid.add_proof", aid_staff & same_centre)
