"""The visibility rule: only the named psychologist and the assigned counsellor."""

import pytest

from mira.accounts.models import Role
from mira.participants.tests.factories import ParticipantFactory
from mira.psychology.tests.factories import PsychologicalReferralFactory, PsychologistFactory, SupportNoteFactory

pytestmark = pytest.mark.django_db

PERMS = ("view_case", "refer_case")


def _case_perms(user, participant) -> dict:
    return {perm: user.has_perm(f"psychology.{perm}", participant) for perm in PERMS}


def _referral_perms(user, referral) -> dict:
    return {
        "change_referral_status": user.has_perm("psychology.change_referral_status", referral),
        "add_note": user.has_perm("psychology.add_note", referral),
    }


def test_named_psychologist_sees_the_case_and_works_on_the_referral(psychologist, participant, referral):
    assert _case_perms(psychologist, participant) == {"view_case": True, "refer_case": False}
    assert _referral_perms(psychologist, referral) == {"change_referral_status": True, "add_note": True}


def test_assigned_counsellor_sees_and_refers_but_does_not_write_notes(counsellor, participant, referral):
    assert _case_perms(counsellor, participant) == {"view_case": True, "refer_case": True}
    assert _referral_perms(counsellor, referral) == {"change_referral_status": False, "add_note": False}


def test_assigned_counsellor_sees_the_case_before_any_referral(counsellor, participant):
    assert _case_perms(counsellor, participant) == {"view_case": True, "refer_case": True}


def test_coordinator_of_the_centre_sees_nothing(coordinator, participant, referral):
    assert _case_perms(coordinator, participant) == {"view_case": False, "refer_case": False}
    assert _referral_perms(coordinator, referral) == {"change_referral_status": False, "add_note": False}


def test_coordinator_who_is_the_assigned_counsellor_sees_the_case_as_its_counsellor(coordinator, centre):
    case = ParticipantFactory(centre=centre, assigned_counsellor=coordinator)
    assert _case_perms(coordinator, case) == {"view_case": True, "refer_case": True}


def test_other_counsellor_of_the_same_centre_sees_nothing(colleague, participant, referral):
    assert _case_perms(colleague, participant) == {"view_case": False, "refer_case": False}


def test_psychologist_not_named_on_a_referral_sees_nothing(other_psychologist, participant, referral):
    assert _case_perms(other_psychologist, participant) == {"view_case": False, "refer_case": False}
    assert _referral_perms(other_psychologist, referral) == {"change_referral_status": False, "add_note": False}


def test_psychologist_sees_nothing_of_a_case_before_it_is_referred_to_them(psychologist, participant):
    assert _case_perms(psychologist, participant) == {"view_case": False, "refer_case": False}


def test_other_centre_sees_nothing(make_user, other_centre, participant, referral):
    outsider_counsellor = make_user(Role.COUNSELLOR, centre=other_centre, username="beratung-ge")
    outsider_psychologist = make_user(Role.PSYCHOLOGIST, centre=other_centre, username="psychologie-ge")
    assert _case_perms(outsider_counsellor, participant) == {"view_case": False, "refer_case": False}
    assert _case_perms(outsider_psychologist, participant) == {"view_case": False, "refer_case": False}


def test_named_psychologist_moved_to_another_centre_sees_nothing(psychologist, other_centre, participant, referral):
    psychologist.centre = other_centre
    psychologist.save()
    assert _case_perms(psychologist, participant) == {"view_case": False, "refer_case": False}
    assert _referral_perms(psychologist, referral) == {"change_referral_status": False, "add_note": False}


@pytest.mark.parametrize("role", [Role.FINANCE, Role.TRAINER, Role.DATA_PROTECTION])
def test_other_staff_roles_see_nothing(make_user, role, participant, referral):
    user = make_user(role, username=f"staff-{role}")
    assert _case_perms(user, participant) == {"view_case": False, "refer_case": False}


def test_partner_coach_sees_nothing(partner, participant, referral):
    assert _case_perms(partner, participant) == {"view_case": False, "refer_case": False}


def test_deactivated_psychologist_sees_nothing(psychologist, participant, referral):
    psychologist.is_active = False
    psychologist.save()
    assert _case_perms(psychologist, participant) == {"view_case": False, "refer_case": False}


def test_counsellor_no_longer_assigned_loses_sight_and_the_new_one_gains_it(
    counsellor, colleague, participant, referral
):
    participant.assigned_counsellor = colleague
    participant.save()
    assert _case_perms(counsellor, participant) == {"view_case": False, "refer_case": False}
    assert _case_perms(colleague, participant) == {"view_case": True, "refer_case": True}


def test_only_the_author_changes_a_note(psychologist, counsellor, referral):
    note = SupportNoteFactory(referral=referral, shared_with_counsellor=True)
    assert psychologist.has_perm("psychology.change_note", note) is True
    assert counsellor.has_perm("psychology.change_note", note) is False


def test_psychologist_of_an_earlier_referral_cannot_act_on_the_later_one(psychologist, participant, referral):
    later_psychologist = PsychologistFactory(centre=participant.centre)
    referral.status = "declined"
    referral.save()
    later = PsychologicalReferralFactory(participant=participant, psychologist=later_psychologist)
    assert _referral_perms(psychologist, later) == {"change_referral_status": False, "add_note": False}
    assert _referral_perms(later_psychologist, later) == {"change_referral_status": True, "add_note": True}
