import rules

from mira.accounts.rules import is_case_worker, is_psychologist, same_centre

can_view_case = (is_case_worker | is_psychologist) & same_centre
can_edit_case = is_case_worker & same_centre

# Without an object: may the user open case lists and the intake at all.
rules.add_perm("participants.list_participants", is_case_worker | is_psychologist)
rules.add_perm("participants.add_participant", is_case_worker)
rules.add_perm("participants.view_participant", can_view_case)
rules.add_perm("participants.change_participant", can_edit_case)
rules.add_perm("participants.change_stage", can_edit_case)
