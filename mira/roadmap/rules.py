"""Who may do what with a case's roadmap. The object is the participant (the case).

Counsellors and coordinators of the case's centre work on the roadmap. Psychologists
of the centre may read it (it informs psychological support) but not change, agree,
share or print it. Partner coaches never see it here; they use the partner portal.
"""

import rules

from mira.accounts.rules import is_case_worker, is_psychologist, same_centre

can_view_roadmap = (is_case_worker | is_psychologist) & same_centre
can_work_on_roadmap = is_case_worker & same_centre

rules.add_perm("roadmap.view_roadmap", can_view_roadmap)
rules.add_perm("roadmap.change_roadmap", can_work_on_roadmap)
rules.add_perm("roadmap.agree_roadmap", can_work_on_roadmap)
rules.add_perm("roadmap.share_roadmap", can_work_on_roadmap)
rules.add_perm("roadmap.export_roadmap", can_work_on_roadmap)
rules.add_perm("roadmap.record_goal_progress", can_work_on_roadmap)
