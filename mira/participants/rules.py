"""Who may do what with a case (the object is the participant).

Counsellors and coordinators of the case's centre see and work on every case of the
centre. A psychologist sees a case's file read-only, and only when a psychological
referral of that case names them (data minimisation): they have no centre-wide case
list; their clients are on their own list (psychology:my_cases).
"""

import rules

from mira.accounts.rules import is_case_worker, is_psychologist, same_centre
from mira.psychology.rules import is_named_psychologist

can_view_case = same_centre & (is_case_worker | (is_psychologist & is_named_psychologist))
can_edit_case = is_case_worker & same_centre

# Without an object: may the user open case lists and the intake at all.
rules.add_perm("participants.list_participants", is_case_worker)
rules.add_perm("participants.add_participant", is_case_worker)
rules.add_perm("participants.view_participant", can_view_case)
rules.add_perm("participants.change_participant", can_edit_case)
rules.add_perm("participants.change_stage", can_edit_case)
