"""Writes to case files. Each function runs in one transaction and logs to the timeline."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mira.accounts.models import Centre, Role
from mira.participants.eligibility import eligibility_check
from mira.participants.events import case_event_log
from mira.participants.models import STAGE_PATH, CaseNumberCounter, HouseholdMember, Participant, Stage
from mira.participants.names import name_keys
from mira.participants.signals import stage_changed


class ConcurrentEditError(Exception):
    """The case was saved by someone else since the form was opened."""


def case_number_next(*, centre: Centre, year: int) -> str:
    """The next free case number <code>-<year>-<sequence>; safe under concurrent intakes.

    The counter row is created if missing (ignore_conflicts makes a parallel
    insert harmless) and then locked, so two transactions never read the same value.
    """
    CaseNumberCounter.objects.bulk_create(
        [CaseNumberCounter(centre=centre, year=year, last_value=0)], ignore_conflicts=True
    )
    counter = CaseNumberCounter.objects.select_for_update().get(centre=centre, year=year)
    counter.last_value += 1
    counter.save(update_fields=["last_value"])
    return f"{centre.code}-{year}-{counter.last_value:04d}"


def _refresh_name_keys(participant: Participant) -> None:
    participant.name_keys = name_keys(
        participant.first_name, participant.last_name, participant.first_name_original, participant.last_name_original
    )


def _require_eligible(participant: Participant) -> None:
    result = eligibility_check(
        nationalities=participant.nationality_codes,
        is_stateless=participant.is_stateless,
        postcode=participant.postcode,
        district=participant.district,
    )
    if not result.eligible:
        raise ValidationError(result.field_errors)


def _require_counsellor_of_centre(participant: Participant) -> None:
    counsellor = participant.assigned_counsellor
    if counsellor.centre_id != participant.centre_id or counsellor.role not in (Role.COUNSELLOR, Role.COORDINATOR):
        raise ValidationError(
            {"assigned_counsellor": _("Choose a counsellor or coordinator of this counselling centre.")}
        )


def participant_create(
    *, participant: Participant, household: list[HouseholdMember] = (), actor,
    different_from: list[Participant] = (),
) -> Participant:  # fmt: skip
    """Enrols a person: eligibility checked, case number assigned, household saved, timeline entry written.

    different_from: the possible duplicates the intake showed and the actor declared to be other
    people; the timeline keeps that decision.
    """
    _require_eligible(participant)
    now = timezone.now()
    participant.centre = actor.centre
    _require_counsellor_of_centre(participant)
    participant.created_by = actor
    participant.eligibility_checked_at = now
    participant.eligibility_checked_by = actor
    participant.stage = Stage.FIRST_CONTACT
    participant.stage_changed_at = now
    _refresh_name_keys(participant)
    with transaction.atomic():
        participant.case_number = case_number_next(centre=participant.centre, year=timezone.localdate(now).year)
        participant.full_clean()
        participant._history_user = actor
        participant.save()
        for member in household:
            member.participant = participant
            member.full_clean()
            member._history_user = actor
            member.save()
        case_event_log(participant=participant, kind="case_opened", actor=actor)
        if different_from:
            case_event_log(
                participant=participant,
                kind="duplicate_dismissed",
                actor=actor,
                cases=[other.case_number for other in different_from],
            )
    return participant


def participant_update(*, participant: Participant, version: int, changed_fields: list[str], actor) -> Participant:
    """Saves edited master data unless somebody else saved the case since `version` was read."""
    _require_eligible(participant)
    _require_counsellor_of_centre(participant)
    _refresh_name_keys(participant)
    participant.full_clean()
    with transaction.atomic():
        current = Participant.objects.select_for_update().only("version").get(pk=participant.pk)
        if current.version != version:
            raise ConcurrentEditError
        participant.version = version + 1
        participant._history_user = actor
        participant.save()
        if changed_fields:
            case_event_log(participant=participant, kind="case_updated", actor=actor, fields=list(changed_fields))
    return participant


# Which stages may follow which. Roadmap stages move forward as the roadmap does;
# a case can fall back to counselling while open, and be withdrawn from any open stage.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    Stage.FIRST_CONTACT: {Stage.COUNSELLING},
    Stage.COUNSELLING: {Stage.ROADMAP_DEVELOPMENT},
    Stage.ROADMAP_DEVELOPMENT: {Stage.COUNSELLING, Stage.GOALS_AGREED},
    Stage.GOALS_AGREED: {Stage.ROADMAP_DEVELOPMENT, Stage.ROADMAP_SHARED},
    Stage.ROADMAP_SHARED: {Stage.ROADMAP_DEVELOPMENT, Stage.DEPARTED},
    Stage.DEPARTED: {Stage.COACHING, Stage.CLOSED},
    Stage.COACHING: {Stage.CLOSED},
    Stage.CLOSED: set(),
    Stage.WITHDRAWN: {Stage.COUNSELLING},
}
for _stage in STAGE_PATH[:-3]:
    ALLOWED_TRANSITIONS[_stage].add(Stage.WITHDRAWN)


def stage_transitions_from(stage: str) -> list[str]:
    return [s for s in Stage.values if s in ALLOWED_TRANSITIONS[stage]]


def participant_set_stage(
    *, participant: Participant, stage: str, actor, reason: str = "", departure_date: datetime.date | None = None
) -> Participant:
    """The single entry point of the stage plan.

    Side effects: sets stage_changed_at; "departed" records the departure date;
    "withdrawn" records the reason; "closed" and "withdrawn" set closed_on;
    a timeline entry is written.
    """
    if stage not in Stage.values:
        raise ValidationError({"stage": _("Choose one of the stages of the stage plan.")})
    with transaction.atomic():
        # Locked and read afresh: two clicks at once must not both pass the transition check.
        current = Participant.objects.select_for_update().get(pk=participant.pk)
        old = current.stage
        if stage not in ALLOWED_TRANSITIONS.get(old, set()):
            raise ValidationError(
                {"stage": _("A case in stage “%(old)s” cannot move to “%(new)s”.")
                 % {"old": Stage(old).label, "new": Stage(stage).label}}
            )  # fmt: skip
        event_data = {}
        if stage == Stage.DEPARTED:
            departure_date = departure_date or current.departure_date
            if departure_date is None:
                raise ValidationError(
                    {"departure_date": _("Enter the departure date before marking the case as departed.")}
                )
            if departure_date > timezone.localdate():
                raise ValidationError({"departure_date": _("The departure date cannot lie in the future.")})
            if departure_date < current.opened_on:
                raise ValidationError(
                    {"departure_date": _("The departure date cannot lie before the case was opened (%(date)s).")
                     % {"date": date_format(current.opened_on, "SHORT_DATE_FORMAT")}}
                )  # fmt: skip
            current.departure_date = departure_date
            event_data["departure_date"] = departure_date.isoformat()
        if stage == Stage.WITHDRAWN:
            if not reason.strip():
                raise ValidationError({"reason": _("Give the reason why the participant withdrew.")})
            current.withdrawal_reason = reason.strip()
            event_data["reason"] = current.withdrawal_reason
        current.stage = stage
        current.stage_changed_at = timezone.now()
        current.closed_on = timezone.localdate() if stage in (Stage.CLOSED, Stage.WITHDRAWN) else None
        current.version += 1
        current._history_user = actor
        current.save(
            update_fields=["stage", "stage_changed_at", "closed_on", "version", "departure_date",
                           "withdrawal_reason", "updated_at"]
        )  # fmt: skip
        case_event_log(participant=current, kind="stage_changed", actor=actor, old=old, new=stage, **event_data)
        stage_changed.send(sender=Participant, participant=current, old=old, new=stage)
    for name in ("stage", "stage_changed_at", "closed_on", "version", "departure_date", "withdrawal_reason"):
        setattr(participant, name, getattr(current, name))
    return current


def household_member_save(*, member: HouseholdMember, actor) -> HouseholdMember:
    created = member.pk is None
    member.full_clean()
    with transaction.atomic():
        member._history_user = actor
        member.save()
        case_event_log(
            participant=member.participant,
            kind="household_added" if created else "household_updated",
            actor=actor,
            name=str(member),
        )
    return member


def household_member_delete(*, member: HouseholdMember, actor) -> None:
    with transaction.atomic():
        case_event_log(participant=member.participant, kind="household_removed", actor=actor, name=str(member))
        member._history_user = actor
        member.delete()


def counsellors_of(centre: Centre):
    from mira.accounts.models import User

    return User.objects.filter(centre=centre, role__in=[Role.COUNSELLOR, Role.COORDINATOR], is_active=True)
