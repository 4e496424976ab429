"""Reads of the privacy app; queries of consents and the access log run inside the centre scope."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from mira.privacy.models import AccessLog, Consent, ConsentPurpose


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
    if date_from:
        entries = entries.filter(at__date__gte=date_from)
    if date_to:
        entries = entries.filter(at__date__lte=date_to)
    if what:
        entries = entries.filter(what=what)
    return entries
