"""Who may see and do what in psychological support.

One predicate decides who sees anything of a case's psychological support at all:
may_see_psychology(user, case) — the psychologist named on a referral of the case,
and the case's assigned counsellor, both of the case's centre. Nobody else: not the
coordinators (although they see every case of the centre), not other counsellors,
finance, trainers, the data protection officer or partner coaches. A coordinator
who carries a case as its assigned counsellor sees it as that case's counsellor.

Every other permission here is that predicate and something more; which referrals and
notes a permitted user then sees is decided in selectors.py (the psychologist: the
referrals naming them and all their notes; the counsellor: the referrals and the notes
shared with them).

Permissions take a case (Participant), a PsychologicalReferral or a SupportNote.
"""

import rules

from mira.accounts.rules import is_case_worker, is_psychologist
from mira.participants.models import Participant
from mira.psychology.models import PsychologicalReferral, SupportNote


def _case_of(obj) -> Participant | None:
    """The participant behind a case, referral or note (None for anything else)."""
    if isinstance(obj, SupportNote):
        return obj.referral.participant
    if isinstance(obj, PsychologicalReferral):
        return obj.participant
    if isinstance(obj, Participant):
        return obj
    return None


@rules.predicate
def is_assigned_counsellor(user, obj) -> bool:
    case = _case_of(obj)
    return case is not None and case.assigned_counsellor_id == user.pk


@rules.predicate
def is_named_psychologist(user, obj) -> bool:
    """A referral of the case names the user (for a referral or note: that referral names them)."""
    if isinstance(obj, SupportNote):
        return obj.referral.psychologist_id == user.pk
    if isinstance(obj, PsychologicalReferral):
        return obj.psychologist_id == user.pk
    if isinstance(obj, Participant):
        return PsychologicalReferral.objects.filter(participant_id=obj.pk, psychologist_id=user.pk).exists()
    return False


@rules.predicate
def is_note_author(user, note) -> bool:
    return isinstance(note, SupportNote) and note.author_id == user.pk


@rules.predicate
def in_case_centre(user, obj) -> bool:
    case = _case_of(obj)
    centre_id = getattr(user, "centre_id", None)
    return case is not None and centre_id is not None and case.centre_id == centre_id


# THE visibility rule of psychological support (see the module docstring).
may_see_psychology = in_case_centre & (
    (is_psychologist & is_named_psychologist) | (is_case_worker & is_assigned_counsellor)
)
acts_as_psychologist = may_see_psychology & is_psychologist & is_named_psychologist
acts_as_counsellor = may_see_psychology & is_case_worker & is_assigned_counsellor

# Without an object: the psychologist's list of their clients.
rules.add_perm("psychology.list_my_cases", is_psychologist)
# On a case: the psychology page of the case and the card on the case page.
rules.add_perm("psychology.view_case", may_see_psychology)
# On a case: only its assigned counsellor refers it.
rules.add_perm("psychology.refer_case", acts_as_counsellor)
# On a referral: its psychologist accepts, declines, completes it and writes notes.
rules.add_perm("psychology.change_referral_status", acts_as_psychologist)
rules.add_perm("psychology.add_note", acts_as_psychologist)
# On a note: only its author changes it.
rules.add_perm("psychology.change_note", acts_as_psychologist & is_note_author)
