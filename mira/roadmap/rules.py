"""Who may do what with a case's roadmap. The object is the participant (the case).

Counsellors and coordinators of the case's centre work on the roadmap. A psychologist
of the centre may read it (it informs psychological support) only when a psychological
referral of the case names them, and never changes, agrees, shares or prints it. Partner coaches never see it here; they use the partner portal.
"""

import rules

from mira.accounts.rules import is_case_worker, is_psychologist, same_centre
from mira.psychology.rules import is_named_psychologist

can_view_roadmap = same_centre & (is_case_worker | (is_psychologist & is_named_psychologist))
can_work_on_roadmap = is_case_worker & same_centre

rules.add_perm("roadmap.view_roadmap", can_view_roadmap)
# The page of the goals due in one's own cases (no object: each sees their own).
rules.add_perm("roadmap.list_due_goals", is_case_worker)
rules.add_perm("roadmap.change_roadmap", can_work_on_roadmap)
rules.add_perm("roadmap.agree_roadmap", can_work_on_roadmap)
rules.add_perm("roadmap.share_roadmap", can_work_on_roadmap)
rules.add_perm("roadmap.export_roadmap", can_work_on_roadmap)
rules.add_perm("roadmap.record_goal_progress", can_work_on_roadmap)
