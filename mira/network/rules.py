"""Who may do what in the network app.

The directory (organisations, offers) is shared by the whole installation and
holds no personal data: counsellors, coordinators and psychologists of any
centre read it. Counsellors and coordinators keep it up to date (they know the
partners best); only coordinators switch entries on and off and import lists.
Partner coaches, trainers, finance and data protection see none of it.

Referrals are case data: only case workers of the case's centre see them, and a
psychologist of the centre reads a single referral only when a psychological referral
of that case names them (they have no centre-wide referral list).
"""

import rules

from mira.accounts.rules import is_case_worker, is_coordinator, is_psychologist, same_centre
from mira.psychology.rules import is_named_psychologist

can_read_directory = is_case_worker | is_psychologist

rules.add_perm("network.view_directory", can_read_directory)
rules.add_perm("network.change_directory", is_case_worker)
rules.add_perm("network.manage_directory", is_coordinator)
rules.add_perm("network.import_directory", is_coordinator)
rules.add_perm("network.export_directory", can_read_directory)


@rules.predicate
def is_named_psychologist_of_referral_case(user, referral) -> bool:
    """A psychological referral of this (network) referral's case names the user."""
    participant = getattr(referral, "participant", None)
    return participant is not None and is_named_psychologist.test(user, participant)


# Without an object: may the user open the centre's referral list at all.
rules.add_perm("network.list_referrals", is_case_worker)
# obj is the referral; for add_referral the participant.
rules.add_perm(
    "network.view_referral", same_centre & (is_case_worker | (is_psychologist & is_named_psychologist_of_referral_case))
)
rules.add_perm("network.add_referral", is_case_worker & same_centre)
rules.add_perm("network.change_referral", is_case_worker & same_centre)
