"""Writes of psychological support. Each function runs in one transaction.

The case timeline is read by every case worker of the centre, so what happens here is
logged there only as a neutral "restricted entry": no reason, no status, no note text,
not even the word "psychological" (the fact of psychological support is itself health data).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mira.accounts.models import Role
from mira.participants.events import case_event_log
from mira.participants.models import Participant
from mira.psychology.models import (
    OPEN_STATUSES,
    STATUS_TRANSITIONS,
    PsychologicalReferral,
    ReferralStatus,
    SupportNote,
)

# The only timeline entry of this app; its message says nothing about the content.
RESTRICTED_EVENT = "restricted_entry"

# Fields the note form may change (author and referral never change).
NOTE_FIELDS = ("session_date", "kind", "text", "shared_with_counsellor")


def psychologists_of(centre_id: int):
    """The active psychologists of a centre, who can be named on a referral."""
    from mira.accounts.models import User

    return User.objects.filter(centre_id=centre_id, role=Role.PSYCHOLOGIST, is_active=True)


def _check_actor_is_assigned_counsellor(participant: Participant, actor) -> None:
    if participant.assigned_counsellor_id != actor.pk or actor.role not in (Role.COUNSELLOR, Role.COORDINATOR):
        raise ValidationError(_("Only the counsellor assigned to the case can refer it to psychological support."))


def _check_named_psychologist(referral: PsychologicalReferral, actor) -> None:
    if referral.psychologist_id != actor.pk or actor.role != Role.PSYCHOLOGIST:
        raise ValidationError(_("Only the psychologist named on the referral can do this."))


def psych_referral_create(
    *, participant: Participant, psychologist, reason: str, urgency: str, actor
) -> PsychologicalReferral:
    """The assigned counsellor refers the case to a psychologist of the centre.

    Refused while the case has an open referral (requested, accepted or in support).
    Side effect: a neutral restricted entry on the case timeline."""
    _check_actor_is_assigned_counsellor(participant, actor)
    if not participant.is_open:
        raise ValidationError(_("This case is closed; it can no longer be referred."))
    if not psychologists_of(participant.centre_id).filter(pk=psychologist.pk).exists():
        raise ValidationError({"psychologist": _("Choose an active psychologist of the case's counselling centre.")})
    with transaction.atomic():
        # Serialises referrals of the same case (double submits, two tabs).
        Participant.objects.select_for_update().get(pk=participant.pk)
        if PsychologicalReferral.objects.filter(participant=participant, status__in=OPEN_STATUSES).exists():
            raise ValidationError(
                _(
                    "This case already has an open referral to psychological support. "
                    "Refer it again once that one is completed or declined."
                )
            )
        referral = PsychologicalReferral(
            participant=participant,
            referred_by=actor,
            psychologist=psychologist,
            reason=reason.strip(),
            urgency=urgency,
            requested_on=timezone.localdate(),
        )
        referral.full_clean()
        referral.save()
        case_event_log(participant=participant, kind=RESTRICTED_EVENT, actor=actor)
    return referral


def psych_referral_set_status(
    *, referral: PsychologicalReferral, status: str, actor, decline_reason: str = ""
) -> PsychologicalReferral:
    """The single entry point of a referral's status; only its psychologist moves it.

    Allowed steps: models.STATUS_TRANSITIONS. Side effects: "accepted" records today as
    accepted_on; "completed" and "declined" record closed_on (resuming a completed
    support clears it); "declined" needs a reason, which the counsellor reads.
    A neutral restricted entry on the case timeline."""
    _check_named_psychologist(referral, actor)
    decline_reason = decline_reason.strip()
    if status not in ReferralStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    if status == ReferralStatus.DECLINED and not decline_reason:
        raise ValidationError({"decline_reason": _("Please tell the counsellor briefly why, e.g. where else to turn.")})
    with transaction.atomic():
        referral = PsychologicalReferral.objects.select_for_update().get(pk=referral.pk)
        if status not in STATUS_TRANSITIONS[ReferralStatus(referral.status)]:
            raise ValidationError(
                {
                    "status": _("This referral is “%(old)s”; it cannot be set to “%(new)s”.")
                    % {"old": referral.get_status_display(), "new": ReferralStatus(status).label}
                }
            )
        today = timezone.localdate()
        referral.status = status
        if status == ReferralStatus.ACCEPTED:
            referral.accepted_on = today
        if status in (ReferralStatus.COMPLETED, ReferralStatus.DECLINED):
            referral.closed_on = today
        else:
            referral.closed_on = None
        if status == ReferralStatus.DECLINED:
            referral.decline_reason = decline_reason
        referral.full_clean()
        referral.save()
        case_event_log(participant=referral.participant, kind=RESTRICTED_EVENT, actor=actor)
    return referral


def _check_session_date(referral: PsychologicalReferral, session_date: datetime.date) -> None:
    if session_date > timezone.localdate():
        raise ValidationError({"session_date": _("The date of the session cannot lie in the future.")})
    if session_date < referral.requested_on:
        raise ValidationError(
            {
                "session_date": _("The session cannot have taken place before the case was referred (%(date)s).")
                % {"date": date_format(referral.requested_on, "SHORT_DATE_FORMAT")}
            }
        )


def support_note_create(
    *,
    referral: PsychologicalReferral,
    session_date: datetime.date,
    kind: str,
    text: str,
    actor,
    shared_with_counsellor: bool = False,
) -> SupportNote:
    """The psychologist named on the referral writes a note. No timeline entry: notes
    are the psychologist's own record."""
    _check_named_psychologist(referral, actor)
    if referral.status == ReferralStatus.DECLINED:
        raise ValidationError(_("This referral was declined; notes can no longer be added to it."))
    _check_session_date(referral, session_date)
    note = SupportNote(
        referral=referral,
        author=actor,
        session_date=session_date,
        kind=kind,
        text=text.strip(),
        shared_with_counsellor=shared_with_counsellor,
    )
    note.full_clean()
    with transaction.atomic():
        note.save()
    return note


def support_note_update(*, note: SupportNote, actor, changed_fields=NOTE_FIELDS) -> SupportNote:
    """Saves the edited fields of a note; only its author edits it (the history keeps every version)."""
    if note.author_id != actor.pk:
        raise ValidationError(_("Only the author can change a note."))
    _check_named_psychologist(note.referral, actor)
    if "session_date" in changed_fields:
        _check_session_date(note.referral, note.session_date)
    note.text = note.text.strip()
    note.full_clean()
    with transaction.atomic():
        note.save()
    return note


def psych_records_erase(*, participant: Participant) -> int:
    """Deletes every referral and note of the case together with their change history,
    which django-simple-history would otherwise keep after a delete. For the deletion
    run (retention) and the erasure of a case; an anonymised case that keeps its row
    must call this, since only a deleted participant cascades. Returns the number of
    referrals removed. No timeline entry (the neutral ones say nothing)."""
    with transaction.atomic():
        referral_ids = list(PsychologicalReferral.objects.filter(participant=participant).values_list("id", flat=True))
        note_ids = list(SupportNote.objects.filter(referral_id__in=referral_ids).values_list("id", flat=True))
        SupportNote.objects.filter(id__in=note_ids).delete()
        PsychologicalReferral.objects.filter(id__in=referral_ids).delete()
        SupportNote.history.model.objects.filter(id__in=note_ids).delete()
        PsychologicalReferral.history.model.objects.filter(id__in=referral_ids).delete()
    return len(referral_ids)
