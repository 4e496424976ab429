"""Reads of in-kind aid. Every query runs inside the centre scope (django-scopes)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Count,
    DecimalField,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from mira.aid.cap import aid_cap_on
from mira.aid.models import (
    COMMITTED_STATUSES,
    PAID_STATUSES,
    AidItem,
    AidProof,
    AidRequest,
    AidStatus,
    Budget,
    FundingSource,
)
from mira.core.dates import within_days

ZERO = Decimal("0.00")


def _sum_total(queryset: QuerySet[AidRequest]) -> Decimal:
    return queryset.aggregate(
        value=Coalesce(Sum("total"), Value(ZERO), output_field=DecimalField(max_digits=12, decimal_places=2))
    )["value"]


def participant_committed_total(*, participant_id: int, exclude_id: int | None = None) -> Decimal:
    """The sum of the participant's approved-and-later requests (what counts against the cap)."""
    requests = AidRequest.objects.filter(participant_id=participant_id, status__in=COMMITTED_STATUSES)
    if exclude_id:
        requests = requests.exclude(pk=exclude_id)
    return _sum_total(requests)


def budget_booked_total(*, budget_id: int) -> Decimal:
    """The sum of the approved-and-later requests booked against the budget."""
    return _sum_total(AidRequest.objects.filter(budget_id=budget_id, status__in=COMMITTED_STATUSES))


@dataclass(frozen=True)
class AidSummary:
    cap: Decimal
    committed: Decimal  # approved and later
    pending: Decimal  # submitted, awaiting a decision
    remaining: Decimal  # cap - committed, never below zero

    @property
    def used_percent(self) -> int:
        if not self.cap:
            return 100
        return min(100, int(self.committed * 100 / self.cap))


def participant_aid_summary(*, participant, day: datetime.date | None = None) -> AidSummary:
    """Cap, used, pending and remaining aid of a participant (today's cap unless a day is given)."""
    cap = aid_cap_on(day or timezone.localdate())
    sums = AidRequest.objects.filter(participant_id=participant.pk).aggregate(
        committed=Coalesce(
            Sum("total", filter=Q(status__in=COMMITTED_STATUSES)),
            Value(ZERO),
            output_field=DecimalField(max_digits=12, decimal_places=2),
        ),
        pending=Coalesce(
            Sum("total", filter=Q(status=AidStatus.SUBMITTED)),
            Value(ZERO),
            output_field=DecimalField(max_digits=12, decimal_places=2),
        ),
    )
    return _summary(cap, sums["committed"], sums["pending"])


def aid_card_of_participant(*, participant, day: datetime.date | None = None) -> tuple[list[AidRequest], AidSummary]:
    """The case page's aid card: all requests of the case, newest first, with only what the card
    shows, and the summary summed from them (a case has a handful of requests; one plain query
    instead of a list query with subqueries and an aggregate). Same sums as participant_aid_summary."""
    requests = list(
        AidRequest.objects.filter(participant_id=participant.pk)
        .only("id", "participant_id", "status", "total", "created_at")
        .order_by("-created_at", "-id")
    )
    cap = aid_cap_on(day or timezone.localdate())
    committed = sum((r.total for r in requests if r.status in COMMITTED_STATUSES), ZERO)
    pending = sum((r.total for r in requests if r.status == AidStatus.SUBMITTED), ZERO)
    return requests, _summary(cap, committed, pending)


def _summary(cap: Decimal, committed: Decimal, pending: Decimal) -> AidSummary:
    return AidSummary(cap=cap, committed=committed, pending=pending, remaining=max(ZERO, cap - committed))


def _with_lists(queryset: QuerySet[AidRequest], person: str = "created_by") -> QuerySet[AidRequest]:
    """What a list row shows: the case, the funding source and the one person the list names
    (who wrote, submitted, decided or paid). Joining all four users would cost PostgreSQL more
    time planning the query than running it."""
    return queryset.select_related("participant", "funding_source", person).annotate(
        # A subquery per row shown rather than a join with GROUP BY over the whole list, so that
        # a page stops after its rows and the paginator's count stays a plain count. Both
        # subqueries are tied to a row of the (scoped) outer query, so they use the plain
        # manager: the scoped one would join the case again and make PostgreSQL hash every
        # request of the centre first.
        item_count=Coalesce(
            Subquery(
                AidItem._base_manager.filter(request=OuterRef("pk"))
                .order_by()
                .values("request")
                .annotate(count=Count("pk"))
                .values("count"),
                output_field=IntegerField(),
            ),
            0,
        ),
        # A scalar subquery, not EXISTS: PostgreSQL would hash every proof of the installation
        # for an EXISTS (it plans for the whole list, not for the page of it that is read).
        first_proof=Subquery(AidProof._base_manager.filter(request=OuterRef("pk")).values("pk")[:1]),
        has_proof=ExpressionWrapper(Q(first_proof__isnull=False), output_field=BooleanField()),
    )


def aid_requests_of_participant(*, participant) -> QuerySet[AidRequest]:
    return _with_lists(AidRequest.objects.filter(participant_id=participant.pk)).order_by("-created_at", "-id")


def aid_requests_list(*, status: str = "", query: str = "") -> QuerySet[AidRequest]:
    """All requests of the centre (the scope), optionally of one status or case number."""
    requests = AidRequest.objects.all()
    if status == "open":
        requests = requests.exclude(status__in=[AidStatus.CLOSED, AidStatus.REJECTED, AidStatus.CANCELLED])
    elif status:
        requests = requests.filter(status=status)
    if query:
        requests = requests.filter(participant__case_number__icontains=query.strip())
    return _with_lists(requests).order_by("-created_at", "-id")


def approval_queue() -> QuerySet[AidRequest]:
    """Submitted requests, oldest first: what the coordination has to decide."""
    return _with_lists(AidRequest.objects.filter(status=AidStatus.SUBMITTED), "submitted_by").order_by(
        "submitted_at", "id"
    )


def open_payments() -> QuerySet[AidRequest]:
    """Approved or ordered requests, not paid yet, oldest decision first."""
    return (
        _with_lists(AidRequest.objects.filter(status__in=[AidStatus.APPROVED, AidStatus.ORDERED]), "decided_by")
        .select_related("budget")
        .order_by("decided_at", "id")
    )


def deliveries_without_proof() -> QuerySet[AidRequest]:
    """Paid requests still waiting for a receipt, delivery note or photo, oldest payment first."""
    return (
        _with_lists(AidRequest.objects.filter(status__in=PAID_STATUSES), "paid_by")
        .filter(has_proof=False)
        .order_by("paid_at", "id")
    )


def aid_request_detail(*, pk: int) -> QuerySet[AidRequest]:
    return AidRequest.objects.select_related(
        "participant", "funding_source", "budget", "created_by", "submitted_by", "decided_by", "paid_by"
    ).filter(pk=pk)


def aid_request_proofs(*, request: AidRequest) -> QuerySet[AidProof]:
    return request.proofs.select_related("document", "added_by")


def aid_request_transitions(*, request: AidRequest):
    return request.transitions.select_related("actor")


def funding_sources_active() -> QuerySet[FundingSource]:
    return FundingSource.objects.filter(is_active=True)


@dataclass(frozen=True)
class BudgetRow:
    budget: Budget | None
    funding_source: FundingSource | None
    amount: Decimal  # the budget; 0 where none is set
    planned: Decimal  # submitted requests proposing this source
    approved: Decimal  # booked: approved and later
    paid: Decimal  # booked and paid
    remaining: Decimal  # budget - approved


def budget_overview(*, centre_id: int, year: int) -> list[BudgetRow]:
    """Per funding source of the centre's year: budget, planned, approved, paid, remaining.

    Planned are the submitted requests proposing the source (submitted this year);
    those without a proposal appear in a row without source.
    """
    money = DecimalField(max_digits=12, decimal_places=2)
    budgets = {
        budget.funding_source_id: budget
        for budget in Budget.objects.filter(centre_id=centre_id, year=year).select_related("funding_source")
    }
    booked = {
        row["budget__funding_source"]: row
        for row in AidRequest.objects.filter(
            budget__centre_id=centre_id, budget__year=year, status__in=COMMITTED_STATUSES
        )
        .values("budget__funding_source")
        .annotate(
            approved=Coalesce(Sum("total"), Value(ZERO), output_field=money),
            paid=Coalesce(Sum("total", filter=Q(status__in=PAID_STATUSES)), Value(ZERO), output_field=money),
        )
    }
    planned = {
        row["funding_source"]: row["planned"]
        for row in AidRequest.objects.filter(centre_id=centre_id, status=AidStatus.SUBMITTED, submitted_at__year=year)
        .values("funding_source")
        .annotate(planned=Coalesce(Sum("total"), Value(ZERO), output_field=money))
    }
    source_ids = set(budgets) | set(booked) | {key for key in planned if key is not None}
    sources = {source.pk: source for source in FundingSource.objects.filter(Q(pk__in=source_ids) | Q(is_active=True))}
    rows = []
    for source in sorted(sources.values(), key=lambda source: source.name):
        budget = budgets.get(source.pk)
        amount = budget.amount if budget else ZERO
        approved = booked.get(source.pk, {}).get("approved", ZERO)
        rows.append(
            BudgetRow(
                budget=budget,
                funding_source=source,
                amount=amount,
                planned=planned.get(source.pk, ZERO),
                approved=approved,
                paid=booked.get(source.pk, {}).get("paid", ZERO),
                remaining=amount - approved,
            )
        )
    if planned.get(None):
        rows.append(BudgetRow(None, None, ZERO, planned[None], ZERO, ZERO, ZERO))
    return rows


def budget_remaining(*, budget: Budget) -> Decimal:
    return budget.amount - budget_booked_total(budget_id=budget.pk)


def budgets_for_approval(*, centre_id: int, year: int) -> dict[int, Decimal]:
    """Remaining money per funding source id for the centre's year (sources with a budget only)."""
    return {
        row.funding_source.pk: row.remaining for row in budget_overview(centre_id=centre_id, year=year) if row.budget
    }


def aid_requests_for_export(
    *, date_from: datetime.date, date_to: datetime.date, funding_source: FundingSource | None
) -> list[AidRequest]:  # fmt: skip
    """Approved-and-later requests of the centre decided within the period (days inclusive,
    local time), of one funding source or all, with items and proofs, in order of approval."""
    requests = AidRequest.objects.filter(within_days("decided_at", date_from, date_to), status__in=COMMITTED_STATUSES)
    if funding_source is not None:
        requests = requests.filter(budget__funding_source=funding_source)
    return list(
        requests.select_related("participant", "budget__funding_source")
        .prefetch_related(
            Prefetch("items", queryset=AidItem.objects.all()),
            Prefetch("proofs", queryset=AidProof.objects.select_related("document")),
        )
        .order_by("decided_at", "id")
    )


def roadmap_goals_for(*, participant) -> list:
    """The binding goals an aid request can serve: those of the agreed roadmap version,
    or of the draft while nothing is agreed yet."""
    from mira.roadmap.models import Goal, VersionState

    goals = Goal.objects.filter(version__roadmap__participant_id=participant.pk)
    agreed = goals.filter(version__state=VersionState.AGREED)
    chosen = agreed if agreed.exists() else goals.filter(version__state=VersionState.DRAFT)
    return list(chosen.order_by("due_on", "position", "id"))
