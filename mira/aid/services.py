"""Writes of in-kind aid. The workflow has one entry point, aid_request_transition;
items change only on drafts through aid_request_save.

Locks are always taken in the same order — participant, budget, request — so
two writers never wait for each other in a circle.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mira.aid.cap import aid_cap_on
from mira.aid.models import AidItem, AidProof, AidRequest, AidStatus, Budget, FundingSource
from mira.aid.selectors import budget_booked_total, participant_committed_total
from mira.participants.events import case_event_log
from mira.participants.models import Participant


class ConcurrentEditError(Exception):
    """The request was changed by someone else since the form was opened."""


def euro(amount: Decimal) -> str:
    """1234.5 -> "1.234,50 €" in German (the active language's format); the space does not break."""
    return f"{number_format(amount, 2, use_l10n=True, force_grouping=True)}\u00a0€"


def _refuse(message: str, field: str = NON_FIELD_ERRORS):
    raise ValidationError({field: [message]})


@dataclass(frozen=True)
class Step:
    """What a move to one status needs: the statuses it starts from, the permission
    (role and centre, see rules.py), and the messages shown when either is missing."""

    from_statuses: tuple[str, ...]
    permission: str
    wrong_status: object
    wrong_role: object


STEPS: dict[str, Step] = {
    AidStatus.SUBMITTED: Step(
        (AidStatus.DRAFT,),
        "aid.submit_request",
        gettext_lazy("Only drafts can be submitted."),
        gettext_lazy("Only counsellors and the coordination of the centre can submit aid requests."),
    ),
    AidStatus.APPROVED: Step(
        (AidStatus.SUBMITTED,),
        "aid.decide_request",
        gettext_lazy("Only submitted requests can be approved."),
        gettext_lazy("Only the coordination can approve aid requests."),
    ),
    AidStatus.REJECTED: Step(
        (AidStatus.SUBMITTED,),
        "aid.decide_request",
        gettext_lazy("Only submitted requests can be rejected."),
        gettext_lazy("Only the coordination can reject aid requests."),
    ),
    AidStatus.ORDERED: Step(
        (AidStatus.APPROVED,),
        "aid.order_request",
        gettext_lazy("Only approved requests can be marked as ordered."),
        gettext_lazy("Only the coordination or finance can record an order."),
    ),
    AidStatus.PAID: Step(
        (AidStatus.APPROVED, AidStatus.ORDERED),
        "aid.pay_request",
        gettext_lazy("Only approved or ordered requests can be paid."),
        gettext_lazy("Only finance can record payments."),
    ),
    AidStatus.DELIVERED: Step(
        (AidStatus.PAID,),
        "aid.deliver_request",
        gettext_lazy("Only paid requests can be marked as delivered."),
        gettext_lazy("Only counsellors, the coordination or finance can record a delivery."),
    ),
    AidStatus.CLOSED: Step(
        (AidStatus.DELIVERED,),
        "aid.close_request",
        gettext_lazy("Only delivered requests can be closed."),
        gettext_lazy("Only the coordination or finance can close a request."),
    ),
    AidStatus.CANCELLED: Step(
        (AidStatus.DRAFT, AidStatus.SUBMITTED, AidStatus.APPROVED, AidStatus.ORDERED),
        "aid.cancel_request",
        gettext_lazy("Only requests that are not paid yet can be cancelled."),
        gettext_lazy(
            "Before approval, counsellors and the coordination can cancel a request; once it is approved, "
            "only the coordination."
        ),
    ),
}


def transitions_from(status: str) -> list[str]:
    """The statuses a request in `status` may move to, in workflow order."""
    return [to for to, step in STEPS.items() if status in step.from_statuses]


def _cap_refusal(*, participant: Participant, total: Decimal, committed: Decimal, cap: Decimal) -> str:
    remaining = max(Decimal("0.00"), cap - committed)
    return _(
        "The total of %(total)s exceeds the aid still available to %(case)s: %(remaining)s remaining "
        "of the cap of %(cap)s (%(committed)s already approved)."
    ) % {
        "total": euro(total),
        "case": participant.case_number,
        "remaining": euro(remaining),
        "cap": euro(cap),
        "committed": euro(committed),
    }


def _check_within_cap(*, participant: Participant, total: Decimal, exclude_id: int | None) -> None:
    cap = aid_cap_on(timezone.localdate())
    committed = participant_committed_total(participant_id=participant.pk, exclude_id=exclude_id)
    if committed + total > cap:
        _refuse(_cap_refusal(participant=participant, total=total, committed=committed, cap=cap))


def aid_request_save(
    *, request: AidRequest, items: list[dict], actor, version: int | None = None, submit: bool = False
) -> AidRequest:  # fmt: skip
    """Creates a draft or replaces the items of one; the total follows the items.
    With submit, the draft is also submitted for approval, both or neither.

    items: dicts with category, description, amount (Decimal) and supplier.
    Refused when the total exceeds what is left of the participant's cap, when the
    request is no longer a draft, or (with version) when someone saved it meanwhile.
    """
    participant = request.participant
    creating = request.pk is None
    if creating and not actor.has_perm("aid.add_request", participant):
        _refuse(_("Only counsellors and the coordination of the centre can write aid requests."))
    if creating and not participant.is_open:
        _refuse(_("The case is closed; no new aid can be requested."))
    if not items:
        _refuse(_("Add at least one item."))
    lines = []
    for position, data in enumerate(items, start=1):
        line = AidItem(
            position=position,
            category=data["category"],
            description=data["description"],
            amount=data["amount"],
            supplier=data.get("supplier", ""),
        )
        line.full_clean(exclude=["request"])
        lines.append(line)
    total = sum((line.amount for line in lines), Decimal("0.00"))
    original_version = request.version
    try:
        with transaction.atomic():
            request = _save_draft(request=request, lines=lines, total=total, creating=creating, actor=actor,
                                  version=version)  # fmt: skip
            if submit:
                request = aid_request_transition(request=request, to=AidStatus.SUBMITTED, actor=actor)
    except BaseException:
        # The rows were rolled back; the form must not believe they exist.
        if creating:
            request.pk = None
        request.version = original_version
        raise
    return request


def _save_draft(
    *, request: AidRequest, lines: list[AidItem], total: Decimal, creating: bool, actor, version: int | None
) -> AidRequest:
    participant = request.participant
    if creating:
        request.created_by = actor
        request.status = AidStatus.DRAFT
    else:
        current = AidRequest.objects.select_for_update().get(pk=request.pk)
        if current.status != AidStatus.DRAFT:
            _refuse(_("Only drafts can be changed; this request is “%(status)s”.")
                    % {"status": current.get_status_display()})  # fmt: skip
        if not actor.has_perm("aid.change_request", current):
            _refuse(_("Only counsellors and the coordination of the centre can change aid requests."))
        if version is not None and current.version != version:
            raise ConcurrentEditError
        request.version = current.version + 1
    if request.roadmap_goal_id and request.roadmap_goal.version.roadmap.participant_id != participant.pk:
        _refuse(_("The goal belongs to another case."), "roadmap_goal")
    _check_within_cap(participant=participant, total=total, exclude_id=request.pk)
    request.total = total
    request.full_clean()
    request.save()
    if not creating:
        request.items.all().delete()
    for line in lines:
        line.request = request
    AidItem.objects.bulk_create(lines)
    if creating:
        case_event_log(
            participant=participant, kind="aid_created", actor=actor,
            request_id=request.pk, number=request.number, total=str(total),
        )  # fmt: skip
    return request


def _lock_budget(*, source: FundingSource, participant: Participant, year: int) -> Budget:
    try:
        return Budget.objects.select_for_update().get(funding_source=source, centre_id=participant.centre_id, year=year)
    except Budget.DoesNotExist:
        _refuse(
            _(
                "There is no %(year)s budget for “%(source)s” at this centre. The coordination enters it on the budget page."
            )
            % {"year": year, "source": source.name},
            "funding_source",
        )


def aid_request_transition(
    *, request: AidRequest, to: str, actor, comment: str = "", **details
) -> AidRequest:  # fmt: skip
    """The single entry point of the aid workflow: moves the request to status `to`.

    details: funding_source (FundingSource, for approval; defaults to the proposed one),
    payment_reference (str, for payment).

    Side effects: stamps who and when on the request, books an approval against the
    budget of its funding source, centre and year, writes an AidTransition (the audit
    trail) and a timeline entry on the case. Refusals raise ValidationError with a
    message for the user; nothing is saved then.

    An approval locks the participant and the budget row and sums the approved
    requests inside the lock, so concurrent approvals cannot pass the cap or the budget.
    """
    if to not in STEPS:
        raise ValueError(f"Unknown aid status {to!r}")
    step = STEPS[to]
    comment = comment.strip()
    now = timezone.now()
    with transaction.atomic():
        participant = None
        budget = None
        if to == AidStatus.APPROVED:
            participant = Participant.objects.select_for_update().get(pk=request.participant_id)
            source = details.get("funding_source") or request.funding_source
            if source is None:
                _refuse(_("Choose the funding source the aid is booked against."), "funding_source")
            budget = _lock_budget(source=source, participant=participant, year=timezone.localdate(now).year)
        current = AidRequest.objects.select_for_update().select_related("participant").get(pk=request.pk)
        participant = participant or current.participant
        old = current.status
        if old not in step.from_statuses:
            _refuse(
                f"{step.wrong_status} " + _("(Current status: %(status)s.)") % {"status": current.get_status_display()}
            )
        if not actor.has_perm(step.permission, current):
            _refuse(str(step.wrong_role))

        event = {}
        if to == AidStatus.SUBMITTED:
            if not current.items.exists():
                _refuse(_("Add at least one item before submitting."))
            _check_within_cap(participant=participant, total=current.total, exclude_id=current.pk)
            current.submitted_at, current.submitted_by = now, actor
        elif to in (AidStatus.APPROVED, AidStatus.REJECTED):
            if actor.pk in (current.created_by_id, current.submitted_by_id):
                _refuse(_("You wrote or submitted this request yourself. Another coordinator must decide on it "
                          "(four-eyes principle)."))  # fmt: skip
            if to == AidStatus.REJECTED:
                if not comment:
                    _refuse(_("Give the reason for the rejection."), "comment")
                event["reason"] = comment
            else:
                cap = aid_cap_on(timezone.localdate(now))
                committed = participant_committed_total(participant_id=participant.pk, exclude_id=current.pk)
                if committed + current.total > cap:
                    _refuse(_cap_refusal(participant=participant, total=current.total, committed=committed, cap=cap))
                booked = budget_booked_total(budget_id=budget.pk)
                if booked + current.total > budget.amount:
                    _refuse(
                        _("The budget “%(budget)s” has only %(remaining)s left; this request needs %(total)s.")
                        % {
                            "budget": str(budget),
                            "remaining": euro(budget.amount - booked),
                            "total": euro(current.total),
                        },
                        "funding_source",
                    )
                current.funding_source = budget.funding_source
                current.budget = budget
                event["source"] = budget.funding_source.name
            current.decided_at, current.decided_by = now, actor
        elif to == AidStatus.ORDERED:
            current.ordered_at = now
        elif to == AidStatus.PAID:
            reference = str(details.get("payment_reference", "")).strip()
            if not reference:
                _refuse(_("Enter the payment reference (booking or transfer number)."), "payment_reference")
            current.paid_at, current.paid_by, current.payment_reference = now, actor, reference
            event["reference"] = reference
        elif to == AidStatus.DELIVERED:
            if not current.proofs.exists():
                _refuse(_("Add a receipt, delivery note or photo before recording the delivery."))
            current.delivered_at = now
        elif to == AidStatus.CLOSED:
            current.closed_at = now
        elif to == AidStatus.CANCELLED:
            if not comment:
                _refuse(_("Give the reason for the cancellation."), "comment")
            current.cancelled_at, current.cancellation_reason = now, comment
            event["reason"] = comment

        current.status = to
        current.version += 1
        current.full_clean()
        current.save()
        current.transitions.create(from_status=old, to_status=to, actor=actor, at=now, comment=comment)
        case_event_log(
            participant=participant, kind=f"aid_{to}", actor=actor,
            request_id=current.pk, number=current.number, total=str(current.total), **event,
        )  # fmt: skip
    return current


def aid_proof_add(*, request: AidRequest, uploaded_file, kind: str, reference: str = "", actor) -> AidProof:
    """Stores a receipt, delivery note or photo as a document of the case and links it
    to the request. The file is checked by its content (PDF, JPEG or PNG)."""
    from mira.documents.models import DocumentCategory
    from mira.documents.services import document_create

    proof = AidProof(kind=kind, reference=reference.strip())
    with transaction.atomic():
        current = AidRequest.objects.select_for_update().select_related("participant").get(pk=request.pk)
        if current.status not in (AidStatus.APPROVED, AidStatus.ORDERED, AidStatus.PAID, AidStatus.DELIVERED):
            _refuse(_("Proofs can be added once a request is approved and until it is closed."))
        if not actor.has_perm("aid.add_proof", current):
            _refuse(_("Only counsellors, the coordination or finance can add proofs."))
        proof.request = current
        proof.added_by = actor
        proof.full_clean(exclude=["document"])
        label = dict(proof._meta.get_field("kind").choices).get(kind, kind)
        title = f"{current.number}: {label}" + (f" {proof.reference}" if proof.reference else "")
        # Filed as a receipt whatever the kind: finance may open receipts (documents.rules).
        proof.document = document_create(
            participant=current.participant, uploaded_file=uploaded_file, title=title[:200],
            category=DocumentCategory.RECEIPT, actor=actor,
        )  # fmt: skip
        proof.save()
        case_event_log(
            participant=current.participant, kind="aid_proof_added", actor=actor,
            request_id=current.pk, number=current.number, proof_kind=kind, reference=proof.reference,
        )  # fmt: skip
    return proof


def budget_save(*, budget: Budget, actor) -> Budget:
    """Creates or changes a budget of the actor's centre. A budget cannot drop below what is already approved on it."""
    if not actor.has_perm("aid.manage_budgets"):
        _refuse(_("Only the coordination can manage budgets."))
    budget.centre = actor.centre
    budget.updated_by = actor
    with transaction.atomic():
        if budget.pk:
            Budget.objects.select_for_update().get(pk=budget.pk)
            booked = budget_booked_total(budget_id=budget.pk)
            if budget.amount is not None and budget.amount < booked:
                _refuse(
                    _("The budget cannot be lower than the %(booked)s already approved on it.")
                    % {"booked": euro(booked)},
                    "amount",
                )
        budget.full_clean()
        budget.save()
    return budget
