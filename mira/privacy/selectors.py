"""Reads of the privacy app; queries of consents and the access log run inside the centre scope."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import BooleanField, Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from mira.core.dates import within_days
from mira.participants.models import CLOSED_STAGES, Participant
from mira.privacy.models import (
    AccessLog,
    Consent,
    ConsentPurpose,
    DataSubjectRequest,
    DeletionRun,
    ErasedCase,
    LegalHold,
    RequestStatus,
    RunStatus,
)


def consent_is_valid(*, participant, purpose: str, on: datetime.date | None = None) -> bool:
    """True while the participant has a consent for purpose that is given and not withdrawn on the day
    (a consent withdrawn on a day is no longer valid on that day)."""
    day = on or timezone.localdate()
    return (
        Consent.objects.filter(participant=participant, purpose=purpose, given_on__lte=day)
        .filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day))
        .exists()
    )


@dataclass
class PurposeState:
    """What the consents card shows for one purpose."""

    purpose: str
    label: str
    consents: list = field(default_factory=list)  # newest first
    current: Consent | None = None  # the consent valid today

    @property
    def latest(self) -> Consent | None:
        return self.consents[0] if self.consents else None

    @property
    def state(self) -> str:
        if self.current:
            return "valid"
        return "withdrawn" if self.consents else "none"


def consent_overview(*, participant, on: datetime.date | None = None) -> list[PurposeState]:
    """Every consent purpose with the participant's consents for it, in one query."""
    day = on or timezone.localdate()
    states = {purpose: PurposeState(purpose=purpose, label=label) for purpose, label in ConsentPurpose.choices}
    consents = (
        Consent.objects.filter(participant=participant)
        .select_related("signed_form", "recorded_by")
        .order_by("purpose", "-given_on", "-id")
    )
    for consent in consents:
        state = states.get(consent.purpose)
        if state is None:
            continue
        state.consents.append(consent)
        if state.current is None and consent.is_valid_on(day):
            state.current = consent
    return list(states.values())


def access_log_search(
    *,
    centre_id: int,
    case_number: str = "",
    user_id: int | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    what: str = "",
) -> QuerySet[AccessLog]:
    """Read accesses of the centre's cases that match, newest first."""
    entries = AccessLog.objects.filter(centre_id=centre_id).select_related("user")
    if case_number.strip():
        entries = entries.filter(case_number__icontains=case_number.strip())
    if user_id:
        entries = entries.filter(user_id=user_id)
    entries = entries.filter(within_days("at", date_from, date_to))
    if what:
        entries = entries.filter(what=what)
    return entries


# --- Retention ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RetentionPeriods:
    years_after_close: int
    audit_years: int


def retention_periods() -> RetentionPeriods:
    """The periods of the installation (settings MIRA_RETENTION_YEARS_AFTER_CLOSE, default 3,
    and MIRA_AUDIT_RETENTION_YEARS, default 10, from the environment)."""
    return RetentionPeriods(
        years_after_close=int(getattr(settings, "MIRA_RETENTION_YEARS_AFTER_CLOSE", 3)),
        audit_years=int(getattr(settings, "MIRA_AUDIT_RETENTION_YEARS", 10)),
    )


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` earlier (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def years_after(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _active_hold_on_case() -> Exists:
    return Exists(LegalHold._base_manager.filter(participant=OuterRef("pk"), lifted_at__isnull=True))


def cases_due_for_erasure(
    *, centre_id: int, today: datetime.date | None = None, with_audit_flag: bool = False
) -> QuerySet[Participant]:
    """Closed or withdrawn cases of the centre whose retention period is over, not yet erased
    and not on legal hold; longest overdue first. with_audit_flag adds `keeps_audit_records`
    (the case has aid records that stay for the funder's audit)."""
    today = today or timezone.localdate()
    cutoff = years_before(today, retention_periods().years_after_close)
    due = (
        Participant._base_manager.filter(
            centre_id=centre_id, stage__in=CLOSED_STAGES, closed_on__isnull=False, closed_on__lte=cutoff
        )
        .filter(erasure__isnull=True)
        .exclude(_active_hold_on_case())
        .order_by("closed_on", "case_number")
    )
    if with_audit_flag:
        due = due.annotate(keeps_audit_records=_has_audit_records())
    return due


def _has_audit_records():
    """Whether a case has rows of the registry that are kept for the funder's audit (aid)."""
    from mira.core.personal_data import REGISTRY, Erasure

    condition = None
    for entry in REGISTRY:
        if entry.erasure == Erasure.AUDIT and entry.path == "participant":
            exists = Exists(entry.model._base_manager.filter(participant=OuterRef("pk")))
            condition = exists if condition is None else condition | exists
    return condition if condition is not None else Value(False)


def cases_due_for_audit_clearing(*, centre_id: int, today: datetime.date | None = None) -> QuerySet[ErasedCase]:
    """Erased cases of the centre whose aid records have passed the audit period (not on legal hold)."""
    today = today or timezone.localdate()
    cutoff = years_before(today, retention_periods().audit_years)
    return (
        ErasedCase._base_manager.filter(
            participant__centre_id=centre_id, audit_cleared_at__isnull=True, participant__closed_on__lte=cutoff
        )
        .exclude(Exists(LegalHold._base_manager.filter(participant=OuterRef("participant"), lifted_at__isnull=True)))
        .select_related("participant")
        .order_by("participant__closed_on", "case_number")
    )


def cases_held_back(*, centre_id: int, today: datetime.date | None = None) -> QuerySet[LegalHold]:
    """The active legal holds of the centre, with `is_overdue` (the retention period of the case is over)."""
    today = today or timezone.localdate()
    cutoff = years_before(today, retention_periods().years_after_close)
    return (
        LegalHold._base_manager.filter(participant__centre_id=centre_id, lifted_at__isnull=True)
        .select_related("participant", "set_by")
        .annotate(
            is_overdue=Case(
                When(participant__stage__in=CLOSED_STAGES, participant__closed_on__lte=cutoff, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("participant__case_number")
    )


def cases_due_soon(*, centre_id: int, today: datetime.date | None = None, days: int = 90) -> QuerySet[Participant]:
    """Closed cases whose retention period ends within `days` (not yet due)."""
    today = today or timezone.localdate()
    periods = retention_periods()
    start = years_before(today, periods.years_after_close)
    end = years_before(today + datetime.timedelta(days=days), periods.years_after_close)
    return Participant._base_manager.filter(
        centre_id=centre_id, stage__in=CLOSED_STAGES, closed_on__gt=start, closed_on__lte=end, erasure__isnull=True
    ).order_by("closed_on", "case_number")


def deletion_runs(*, centre_id: int) -> QuerySet[DeletionRun]:
    return DeletionRun.objects.filter(centre_id=centre_id).select_related("requested_by").order_by("-queued_at", "-id")


def pending_run(*, centre_id: int) -> DeletionRun | None:
    """A run of the centre that is waiting for the worker or running."""
    return (
        DeletionRun._base_manager.filter(centre_id=centre_id, status__in=(RunStatus.QUEUED, RunStatus.RUNNING))
        .order_by("queued_at")
        .first()
    )


def case_in_centre(*, centre_id: int, case_number: str) -> Participant | None:
    return Participant._base_manager.filter(centre_id=centre_id, case_number=case_number.strip().upper()).first()


# --- Data-subject requests ------------------------------------------------------------------


def data_subject_requests(*, centre_id: int, status: str = "") -> QuerySet[DataSubjectRequest]:
    """The centre's requests: open ones first by due date, then the others newest first."""
    requests = DataSubjectRequest.objects.filter(centre_id=centre_id).select_related("handled_by", "recorded_by")
    if status:
        requests = requests.filter(status=status)
    return requests.annotate(
        open_first=Case(When(status=RequestStatus.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by("open_first", "due_on", "-received_on", "-id")


@dataclass(frozen=True)
class CountRow:
    label: str
    deleted: int
    anonymised: int
    history: int


def run_counts(run: DeletionRun) -> list[CountRow]:
    """The protocol's counts per kind of data, labelled in the reader's language."""
    from django.apps import apps
    from django.utils.text import capfirst

    rows = []
    for label, actions in run.counts.items():
        try:
            name = capfirst(str(apps.get_model(label)._meta.verbose_name_plural))
        except LookupError:
            name = label
        rows.append(CountRow(name, actions.get("deleted", 0), actions.get("anonymised", 0), actions.get("history", 0)))
    return sorted(rows, key=lambda row: row.label)
