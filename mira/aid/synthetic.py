"""Synthetic in-kind aid at federal scale: budgets per centre, funding source and year, and aid
requests of the cases with an agreed roadmap. A request walks its workflow (submitted, decided
by a coordinator, ordered and paid by finance, delivered after the return with a receipt,
closed) as far as the case's dates allow, with its items, its audit trail, its proof and the
timeline entries. Requests stay within the cap per participant; the budgets are set so that
what was approved on them fits.
"""

import datetime
import uuid
from decimal import ROUND_HALF_UP, Decimal

from mira.aid.demo import NEAR_CAP, SCENARIOS
from mira.aid.models import (
    AidItem,
    AidProof,
    AidRequest,
    AidStatus,
    AidTransition,
    Budget,
    FundingSource,
    ProofKind,
)
from mira.core.synthetic import SyntheticContext, bulk_insert, row
from mira.documents.models import Document, DocumentCategory
from mira.participants.models import CaseEvent, Stage

CAP = Decimal("1000.00")
REQUEST_SHARE = 0.55
SECOND_REQUEST_SHARE = 0.25
TEMPLATES = [(justification, items) for _status, _source, justification, items, _note in SCENARIOS] + [
    (justification, items) for _status, _source, justification, items in NEAR_CAP
]
REJECTION = "Kein Bezug zu einem Ziel des Fahrplans. Bitte mit dem Geschäftsplan neu beantragen."
CANCELLATION = "Reist früher aus; die Ausstattung wird vor Ort gekauft."
CENT = Decimal("0.01")


def generate(ctx: SyntheticContext) -> None:
    sources = {}
    for code, name in (("amif", "AMIF"), ("land-thueringen", "Land Thüringen")):
        sources[code] = FundingSource.objects.get_or_create(code=code, defaults={"name": name})[0]
    years = range(ctx.today.year - 4, ctx.today.year + 1)
    budgets = bulk_insert(
        Budget,
        [
            row(Budget, funding_source_id=source.pk, centre_id=centre.id, year=year, amount=Decimal("0.00"),
                   updated_by_id=ctx.coordinators[centre.id][0], notes="Zuwendungsbescheid")
            for centre in ctx.centres for source in sources.values() for year in years
        ],
    )  # fmt: skip
    budget_of = {(b.funding_source_id, b.centre_id, b.year): b for b in budgets}
    booked = dict.fromkeys(budget_of, Decimal("0.00"))
    for chunk in ctx.chunks():
        requests = []
        for case in chunk:
            agreed = case.stage_dates.get(Stage.GOALS_AGREED)
            if agreed is None or ctx.random.random() > REQUEST_SHARE:
                continue
            used = Decimal("0.00")
            for number in range(2 if ctx.random.random() < SECOND_REQUEST_SHARE else 1):
                start = agreed + datetime.timedelta(days=ctx.random.randint(0, 10) + 25 * number)
                if start > ctx.today:
                    break
                request = _request(ctx, case, start, CAP - used, sources)
                if request is None:
                    break
                if request.status in _COMMITTED:
                    used += request.total
                    key = (request.funding_source_id, case.centre_id, request.decided_at.year)
                    request.budget_id = budget_of[key].pk
                    booked[key] += request.total
                requests.append(request)
        _write(ctx, requests)
    for key, budget in budget_of.items():
        # Room for what was booked and a reserve; the current year has money left.
        amount = (booked[key] * Decimal("1.15") + Decimal("20000")).quantize(Decimal("1000"), rounding=ROUND_HALF_UP)
        Budget.objects.filter(pk=budget.pk).update(amount=amount)


_COMMITTED = {AidStatus.APPROVED, AidStatus.ORDERED, AidStatus.PAID, AidStatus.DELIVERED, AidStatus.CLOSED}


def _request(ctx, case, start: datetime.date, room: Decimal, sources: dict) -> AidRequest | None:
    rng = ctx.random
    justification, template = rng.choice(TEMPLATES)
    target = Decimal(rng.randint(150, 900))
    if room < Decimal("50.00"):
        return None
    target = min(target, room)
    base = sum(Decimal(amount) for _c, _d, amount, _s in template)
    items = []
    for position, (category, description, amount, supplier) in enumerate(template, start=1):
        share = (Decimal(amount) * target / base).quantize(CENT)
        items.append(row(AidItem, position=position, category=category, description=description,
                             amount=max(share, CENT), supplier=supplier))  # fmt: skip
    total = sum((item.amount for item in items), Decimal("0.00"))
    if total > room:
        return None
    counsellor = case.counsellor_id
    coordinator = rng.choice(ctx.coordinators[case.centre_id])
    finance = ctx.finance[case.centre_id][0]
    source = sources["amif" if rng.random() < 0.65 else "land-thueringen"]
    # The way through the workflow: (status, day, actor), as far as today and the case allow.
    steps = [(AidStatus.SUBMITTED, start + datetime.timedelta(days=rng.randint(0, 4)), counsellor)]
    roll = rng.random()
    decided = steps[-1][1] + datetime.timedelta(days=rng.randint(1, 8))
    if roll < 0.08:
        steps.append((AidStatus.REJECTED, decided, coordinator))
    elif roll < 0.12:
        steps.append((AidStatus.CANCELLED, decided, counsellor))
    else:
        steps.append((AidStatus.APPROVED, decided, coordinator))
        ordered = decided + datetime.timedelta(days=rng.randint(2, 10))
        paid = ordered + datetime.timedelta(days=rng.randint(2, 10))
        departure = case.departure or ctx.days(365)
        delivered = max(paid, departure) + datetime.timedelta(days=rng.randint(7, 40))
        closed = delivered + datetime.timedelta(days=rng.randint(5, 30))
        steps += [(AidStatus.ORDERED, ordered, finance), (AidStatus.PAID, paid, finance),
                  (AidStatus.DELIVERED, delivered, counsellor), (AidStatus.CLOSED, closed, coordinator)]  # fmt: skip
    steps = [step for step in steps if step[1] < ctx.today]
    if case.is_open and rng.random() < 0.1 and len(steps) <= 1:
        steps = []  # still a draft
    request = row(
        AidRequest,
        participant_id=case.pk,
        status=steps[-1][0] if steps else AidStatus.DRAFT,
        justification=justification,
        funding_source_id=source.pk,
        total=total,
        created_at=ctx.moment(start),
        created_by_id=counsellor,
        version=1 + len(steps),
    )
    request.centre_id = case.centre_id
    request.lines = items
    request.steps = [(status, ctx.moment(day), actor) for status, day, actor in steps]
    for status, moment, actor in request.steps:
        if status == AidStatus.SUBMITTED:
            request.submitted_at, request.submitted_by_id = moment, actor
        elif status in (AidStatus.APPROVED, AidStatus.REJECTED):
            request.decided_at, request.decided_by_id = moment, actor
        elif status == AidStatus.ORDERED:
            request.ordered_at = moment
        elif status == AidStatus.PAID:
            request.paid_at, request.paid_by_id = moment, actor
            request.payment_reference = f"ZA-{moment:%Y%m%d}-{rng.randint(1000, 9999)}"
        elif status == AidStatus.DELIVERED:
            request.delivered_at = moment
        elif status == AidStatus.CLOSED:
            request.closed_at = moment
        elif status == AidStatus.CANCELLED:
            request.cancelled_at, request.cancellation_reason = moment, CANCELLATION
    return request


def _write(ctx: SyntheticContext, requests: list) -> None:
    created = bulk_insert(AidRequest, requests)
    items, transitions, events, receipts = [], [], [], []
    for request, planned in zip(created, requests, strict=True):
        number = f"H-{request.pk:05d}"
        total = str(request.total)
        base = {"request_id": request.pk, "number": number, "total": total}
        events.append(row(CaseEvent, participant_id=request.participant_id, kind="aid_created",
                                actor_id=request.created_by_id, at=request.created_at, data=base))  # fmt: skip
        for item in planned.lines:
            item.request_id = request.pk
            items.append(item)
        previous = AidStatus.DRAFT
        for status, moment, actor in planned.steps:
            comment = {AidStatus.REJECTED: REJECTION, AidStatus.CANCELLED: CANCELLATION}.get(status, "")
            transitions.append(row(AidTransition, request_id=request.pk, from_status=previous, to_status=status,
                                             actor_id=actor, at=moment, comment=comment))  # fmt: skip
            data = dict(base)
            if status == AidStatus.APPROVED:
                data["source"] = "AMIF" if request.funding_source_id == _source_id(ctx, "amif") else "Land Thüringen"
            elif status in (AidStatus.REJECTED, AidStatus.CANCELLED):
                data["reason"] = comment
            elif status == AidStatus.PAID:
                data["reference"] = request.payment_reference
            elif status == AidStatus.DELIVERED:
                receipts.append((request, moment, actor))
            events.append(row(CaseEvent, participant_id=request.participant_id, kind=f"aid_{status}", actor_id=actor,
                                    at=moment, data=data))  # fmt: skip
            previous = status
    bulk_insert(AidItem, items)
    bulk_insert(AidTransition, transitions)
    documents = []
    for request, moment, actor in receipts:
        key = uuid.UUID(int=ctx.random.getrandbits(128), version=4)
        documents.append(
            row(Document, uuid=key, participant_id=request.participant_id, title=f"Quittung {request.pk}",
                     category=DocumentCategory.RECEIPT, file=f"cases/{request.centre_id}/{key}",
                     original_filename=f"Quittung_H-{request.pk:05d}.pdf", content_type="application/pdf",
                     size=ctx.random.randint(30_000, 400_000), sha256=f"{ctx.random.getrandbits(256):064x}",
                     uploaded_by_id=actor, uploaded_at=moment - datetime.timedelta(minutes=5))
        )  # fmt: skip
    proofs = []
    for (request, moment, actor), document in zip(receipts, bulk_insert(Document, documents), strict=True):
        proofs.append(row(AidProof, request_id=request.pk, document_id=document.pk, kind=ProofKind.RECEIPT,
                               reference=f"RE-{request.pk}", added_at=moment - datetime.timedelta(minutes=5),
                               added_by_id=actor))  # fmt: skip
        events.append(row(CaseEvent, participant_id=request.participant_id, kind="aid_proof_added", actor_id=actor,
                                at=moment - datetime.timedelta(minutes=5),
                                data={"request_id": request.pk, "number": f"H-{request.pk:05d}",
                                      "proof_kind": ProofKind.RECEIPT, "reference": f"RE-{request.pk}"}))  # fmt: skip
    bulk_insert(AidProof, proofs)
    bulk_insert(CaseEvent, events)


def _source_id(ctx: SyntheticContext, code: str) -> int:
    ids = ctx.extra.setdefault("aid_sources", dict(FundingSource.objects.values_list("code", "pk")))
    return ids[code]
