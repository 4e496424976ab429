"""Reads of psychological support. Every query runs inside the centre scope (django-scopes).

Callers check psychology.view_case (rules.may_see_psychology) first; these functions
then narrow what that user sees:
- the psychologist: the referrals naming them and every note on those referrals;
- the assigned counsellor: every referral of the case (status, reason they wrote,
  the psychologist's reason for declining) and only the notes shared with them.
"""

from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Max, Prefetch, Q, QuerySet, Value, When

from mira.accounts.models import Role
from mira.psychology.models import OPEN_STATUSES, PsychologicalReferral, ReferralStatus, SupportNote, Urgency


def restricted_models() -> tuple[type, ...]:
    """The models whose data never appears in an export or a share.

    Psychological referrals and support notes (and their change history) are
    special-category data (GDPR Art. 9) under professional secrecy (§ 203 StGB).
    Data-subject exports, roadmap PDFs, the partner portal, reports and any other
    export or share must leave them out — also indirectly (no counts per case, no
    reason or note text copied elsewhere). No export purpose in MIRA allows them: a
    disclosure (e.g. to the participant on request, with a written release from
    professional secrecy) is the psychologist's decision and made by them in person.
    """
    return (
        PsychologicalReferral,
        PsychologicalReferral.history.model,
        SupportNote,
        SupportNote.history.model,
    )


def _sees_as_psychologist(user) -> bool:
    return user.role == Role.PSYCHOLOGIST


def referrals_visible_to(*, user, participant) -> QuerySet[PsychologicalReferral]:
    """The referrals of the case that the user sees (after psychology.view_case), newest first."""
    referrals = PsychologicalReferral.objects.filter(participant=participant).select_related(
        "psychologist", "referred_by"
    )
    if _sees_as_psychologist(user):
        return referrals.filter(psychologist=user)
    return referrals


def notes_visible_to(*, user, participant) -> QuerySet[SupportNote]:
    """The notes of the case that the user reads (after psychology.view_case), newest session first."""
    notes = SupportNote.objects.filter(referral__participant=participant).select_related("author")
    if _sees_as_psychologist(user):
        return notes.filter(referral__psychologist=user)
    return notes.filter(shared_with_counsellor=True)


def referrals_with_notes_visible_to(*, user, participant) -> list[PsychologicalReferral]:
    """The referrals the user sees, each with `visible_notes` (the notes they read): two queries."""
    notes = notes_visible_to(user=user, participant=participant)
    return list(
        referrals_visible_to(user=user, participant=participant).prefetch_related(
            Prefetch("notes", queryset=notes, to_attr="visible_notes")
        )
    )


class ClientFilter:
    OPEN = "open"
    CLOSED = "closed"
    ALL = "all"
    CHOICES = (OPEN, CLOSED, ALL)


def my_clients(*, psychologist, which: str = ClientFilter.OPEN) -> QuerySet[PsychologicalReferral]:
    """The referrals naming the psychologist, with the date of their last note (`last_note_on`):
    new requests first, then by urgency and date. One query, however many rows."""
    referrals = PsychologicalReferral.objects.filter(psychologist=psychologist)
    if which == ClientFilter.OPEN:
        referrals = referrals.filter(status__in=OPEN_STATUSES)
    elif which == ClientFilter.CLOSED:
        referrals = referrals.exclude(status__in=OPEN_STATUSES)
    return (
        referrals.select_related("participant", "referred_by")
        .annotate(
            last_note_on=Max("notes__session_date"),
            status_order=Case(
                When(status=ReferralStatus.REQUESTED, then=Value(0)),
                When(status__in=OPEN_STATUSES, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
            urgency_order=Case(
                When(urgency=Urgency.URGENT, then=Value(0)),
                When(urgency=Urgency.SOON, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
        )
        .order_by("status_order", "urgency_order", "-requested_on", "-id")
    )


@dataclass(frozen=True)
class ClientCounts:
    open: int
    requested: int
    closed: int


def my_client_counts(*, psychologist) -> ClientCounts:
    """How many referrals naming the psychologist are open, new and closed (one query)."""
    counts = PsychologicalReferral.objects.filter(psychologist=psychologist).aggregate(
        open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
        requested=Count("id", filter=Q(status=ReferralStatus.REQUESTED)),
        closed=Count("id", filter=~Q(status__in=OPEN_STATUSES)),
    )
    return ClientCounts(**counts)


def case_card(*, user, participant) -> dict:
    """What the card on the case page shows the user (after psychology.view_case): the
    referrals they see with the number of notes they read — no reason, no note text."""
    # The psychologist's referrals are theirs with all notes; the counsellor counts the shared ones.
    readable = None if _sees_as_psychologist(user) else Q(notes__shared_with_counsellor=True)
    referrals = list(
        referrals_visible_to(user=user, participant=participant).annotate(
            visible_note_count=Count("notes", filter=readable)
        )
    )
    return {"referrals": referrals, "has_open": any(referral.is_open for referral in referrals)}
