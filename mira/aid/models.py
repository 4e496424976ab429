"""In-kind aid (MIRA-Hilfe): requests with line items, their audited workflow,
proofs of delivery, and the budgets they are booked against.

Status changes only through services.aid_request_transition; totals are
maintained by the services from the items.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from mira.core import models as mira_models


class AidStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("aid", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("aid", "Submitted")
    APPROVED = "approved", pgettext_lazy("aid", "Approved")
    REJECTED = "rejected", pgettext_lazy("aid", "Rejected")
    ORDERED = "ordered", pgettext_lazy("aid", "Ordered")
    PAID = "paid", pgettext_lazy("aid", "Paid")
    DELIVERED = "delivered", pgettext_lazy("aid", "Delivered")
    CLOSED = "closed", pgettext_lazy("aid", "Closed")
    CANCELLED = "cancelled", pgettext_lazy("aid", "Cancelled")


# Requests that count against the participant's cap and the budget they are booked on.
COMMITTED_STATUSES = (
    AidStatus.APPROVED,
    AidStatus.ORDERED,
    AidStatus.PAID,
    AidStatus.DELIVERED,
    AidStatus.CLOSED,
)
PAID_STATUSES = (AidStatus.PAID, AidStatus.DELIVERED, AidStatus.CLOSED)
OPEN_STATUSES = (AidStatus.DRAFT, AidStatus.SUBMITTED, AidStatus.APPROVED, AidStatus.ORDERED, AidStatus.PAID,
                 AidStatus.DELIVERED)  # fmt: skip


class AidCategory(models.TextChoices):
    TOOLS = "tools", pgettext_lazy("aid", "Tools and equipment")
    STOCK = "stock", pgettext_lazy("aid", "Business stock")
    TRAINING = "training", pgettext_lazy("aid", "Training fees")
    HOUSEHOLD = "household", pgettext_lazy("aid", "Household start-up")
    TRANSPORT = "transport", pgettext_lazy("aid", "Transport of goods")
    OTHER = "other", _("Other goods or services")


class ProofKind(models.TextChoices):
    RECEIPT = "receipt", pgettext_lazy("aid", "Receipt or invoice")
    DELIVERY_NOTE = "delivery_note", pgettext_lazy("aid", "Delivery note")
    PHOTO = "photo", _("Photo of the goods")


class FundingSource(mira_models.Model):
    """Where the money comes from (AMIF, Land Thüringen). The same for every centre
    of the installation; each centre has its own budget per source and year."""

    code = models.SlugField(pgettext_lazy("aid", "code"), max_length=20, unique=True)
    name = models.CharField(pgettext_lazy("aid", "name"), max_length=100)
    is_active = models.BooleanField(pgettext_lazy("aid", "active"), default=True)

    class Meta:
        verbose_name = pgettext_lazy("aid", "funding source")
        verbose_name_plural = pgettext_lazy("aid", "funding sources")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Budget(mira_models.Model):
    """The money a centre may spend on in-kind aid from one funding source in one calendar year."""

    funding_source = models.ForeignKey(
        FundingSource,
        verbose_name=pgettext_lazy("aid", "funding source"),
        on_delete=models.PROTECT,
        related_name="budgets",
    )
    centre = models.ForeignKey(
        "accounts.Centre",
        verbose_name=pgettext_lazy("aid", "counselling centre"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(pgettext_lazy("aid", "year"))
    amount = models.DecimalField(
        pgettext_lazy("aid", "budget (EUR)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.00"))],
    )
    notes = models.CharField(pgettext_lazy("aid", "remarks"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()
    objects = ScopedManager(centre="centre")

    class Meta:
        verbose_name = pgettext_lazy("aid", "budget")
        verbose_name_plural = pgettext_lazy("aid", "budgets")
        ordering = ["-year", "funding_source__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["funding_source", "centre", "year"],
                name="one_budget_per_source_centre_year",
                violation_error_message=_("There is already a budget for this funding source and year."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.funding_source} {self.year}"


class AidRequest(mira_models.OfCase):
    """A request for in-kind aid on a case: line items, a justification and the way
    through approval, order, payment and delivery."""

    participant = models.ForeignKey(
        "participants.Participant",
        verbose_name=pgettext_lazy("aid", "participant"),
        on_delete=models.PROTECT,
        related_name="aid_requests",
    )
    status = models.CharField(
        pgettext_lazy("aid", "status"),
        max_length=20,
        choices=AidStatus.choices,
        default=AidStatus.DRAFT,
        editable=False,
    )
    justification = models.TextField(
        pgettext_lazy("aid", "justification"),
        help_text=_("Why this aid helps the return, e.g. which goal of the roadmap it serves."),
    )
    # Proposed when the request is written, confirmed (or changed) at approval.
    funding_source = models.ForeignKey(
        FundingSource,
        verbose_name=pgettext_lazy("aid", "funding source"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
    )
    # The binding goal of the roadmap this aid serves (from the agreed version, or the draft before agreement).
    roadmap_goal = models.ForeignKey(
        "roadmap.Goal",
        verbose_name=pgettext_lazy("aid", "goal of the roadmap"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="aid_requests",
    )
    # The booking: set at approval, the budget of the source, centre and year of approval.
    budget = models.ForeignKey(
        Budget, on_delete=models.PROTECT, null=True, blank=True, related_name="requests", editable=False
    )
    total = models.DecimalField(pgettext_lazy("aid", "total (EUR)"), max_digits=10, decimal_places=2, default=Decimal("0.00"),
                                editable=False)  # fmt: skip

    created_at = models.DateTimeField(pgettext_lazy("aid", "created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False)
    submitted_at = models.DateTimeField(pgettext_lazy("aid", "submitted at"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("aid", "submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    decided_at = models.DateTimeField(pgettext_lazy("aid", "decided at"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("aid", "decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    ordered_at = models.DateTimeField(pgettext_lazy("aid", "ordered at"), null=True, blank=True, editable=False)
    paid_at = models.DateTimeField(pgettext_lazy("aid", "paid at"), null=True, blank=True, editable=False)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("aid", "paid by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    payment_reference = models.CharField(
        pgettext_lazy("aid", "payment reference"), max_length=100, blank=True, editable=False
    )
    delivered_at = models.DateTimeField(pgettext_lazy("aid", "delivered at"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(pgettext_lazy("aid", "closed at"), null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(pgettext_lazy("aid", "cancelled at"), null=True, blank=True, editable=False)
    cancellation_reason = models.TextField(pgettext_lazy("aid", "reason for cancellation"), blank=True, editable=False)
    # Optimistic locking: an edit based on an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()
    objects = ScopedManager(centre="centre")

    class Meta:
        verbose_name = pgettext_lazy("aid", "aid request")
        verbose_name_plural = pgettext_lazy("aid", "aid requests")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["participant", "status"]),
            models.Index(fields=["status", "-created_at"]),
            models.Index(fields=["budget", "status"]),
            # The centre's request list, newest first; the open ones (the list's default) on their own,
            # so the planner reads a small index instead of starting parallel workers.
            models.Index(fields=["centre", "-created_at", "-id"], name="aid_request_centre_newest"),
            models.Index(
                fields=["centre", "-created_at", "-id"],
                condition=~models.Q(status__in=["closed", "rejected", "cancelled"]),
                name="aid_request_centre_open",
            ),
        ]
        constraints = [models.CheckConstraint(condition=models.Q(total__gte=0), name="aid_request_total_not_negative")]

    def __str__(self) -> str:
        return _("Aid request %(number)s") % {"number": self.number}

    @property
    def number(self) -> str:
        return f"H-{self.pk:05d}" if self.pk else ""

    @property
    def is_committed(self) -> bool:
        return self.status in COMMITTED_STATUSES

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class AidItem(mira_models.Model):
    """One line of a request: what is bought, from whom, for how much."""

    request = models.ForeignKey(AidRequest, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=1)
    category = models.CharField(pgettext_lazy("aid", "category"), max_length=20, choices=AidCategory.choices)
    description = models.CharField(pgettext_lazy("aid", "description"), max_length=300)
    amount = models.DecimalField(
        pgettext_lazy("aid", "amount (EUR)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    supplier = models.CharField(pgettext_lazy("aid", "supplier"), max_length=200, blank=True)

    history = HistoricalRecords()
    objects = ScopedManager(centre="request__centre")

    class Meta:
        verbose_name = pgettext_lazy("aid", "aid item")
        verbose_name_plural = pgettext_lazy("aid", "aid items")
        ordering = ["request", "position", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="aid_item_amount_positive")]

    def __str__(self) -> str:
        return self.description


class AidTransition(mira_models.Model):
    """The audit trail of a request: every status change with who, when and why."""

    request = models.ForeignKey(AidRequest, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(pgettext_lazy("aid", "from"), max_length=20, choices=AidStatus.choices, blank=True)
    to_status = models.CharField(pgettext_lazy("aid", "to"), max_length=20, choices=AidStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=pgettext_lazy("aid", "by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(pgettext_lazy("aid", "at"))
    comment = models.TextField(pgettext_lazy("aid", "comment"), blank=True)

    objects = ScopedManager(centre="request__centre")

    class Meta:
        verbose_name = _("aid request status change")
        verbose_name_plural = _("aid request status changes")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class AidProof(mira_models.Model):
    """A receipt, delivery note or photo that proves what was bought and delivered."""

    request = models.ForeignKey(AidRequest, on_delete=models.PROTECT, related_name="proofs")
    document = models.ForeignKey(
        "documents.Document", verbose_name=pgettext_lazy("aid", "document"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(pgettext_lazy("aid", "kind of proof"), max_length=20, choices=ProofKind.choices)
    reference = models.CharField(
        pgettext_lazy("aid", "receipt reference"),
        max_length=100,
        blank=True,
        help_text=_("Invoice or receipt number, if there is one."),
    )
    added_at = models.DateTimeField(pgettext_lazy("aid", "added at"), auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("aid", "added by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()
    objects = ScopedManager(centre="request__centre")

    class Meta:
        verbose_name = pgettext_lazy("aid", "proof")
        verbose_name_plural = pgettext_lazy("aid", "proofs")
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return self.reference or str(self.document)
