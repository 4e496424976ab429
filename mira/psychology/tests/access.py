"""Psychological support is open to two people per case only: the psychologist named on
the referral and the case's assigned counsellor. Coordinators, other staff, partners and
the other centre's counsellor are refused (403, or 404 outside their centre)."""

from mira.core.testing.access import route
from mira.psychology.models import ReferralStatus
from mira.psychology.tests.factories import PsychologicalReferralFactory, SupportNoteFactory


def _referral(world):
    return PsychologicalReferralFactory(
        participant=world.participant,
        referred_by=world.users["counsellor"],
        psychologist=world.users["psychologist"],
        status=ReferralStatus.IN_SUPPORT,
    )


def _case_with_referral(world) -> dict:
    _referral(world)
    return {"participant_pk": world.participant.pk}


def _case_without_referral(world) -> dict:
    return {"participant_pk": world.participant.pk}


def _referral_kwargs(world) -> dict:
    return {"participant_pk": world.participant.pk, "pk": _referral(world).pk}


def _note_create_kwargs(world) -> dict:
    return {"participant_pk": world.participant.pk, "referral_pk": _referral(world).pk}


def _note_kwargs(world) -> dict:
    note = SupportNoteFactory(referral=_referral(world), shared_with_counsellor=True)
    return {"participant_pk": world.participant.pk, "pk": note.pk}


ROUTES = {
    # The psychologist's own list (every other role is refused).
    "psychology:my_cases": route("psychologist"),
    # The case page: the named psychologist and the assigned counsellor.
    "psychology:case": route("psychologist", "counsellor", kwargs=_case_with_referral),
    # Only the assigned counsellor refers (the psychologist is not named yet).
    "psychology:referral_create": route("counsellor", kwargs=_case_without_referral),
    # The named psychologist moves the referral and writes and edits (their) notes.
    "psychology:referral_status": route("psychologist", kwargs=_referral_kwargs, post_only=True),
    "psychology:note_create": route("psychologist", kwargs=_note_create_kwargs),
    "psychology:note_edit": route("psychologist", kwargs=_note_kwargs),
}
