"""Who may do what in accompaniment and departure planning.

Tasks and departure planning are case work: counsellors and coordinators of the
case's centre. Checklist templates and deadline rules are maintained by coordinators.
"""

import rules

from mira.accounts.rules import is_case_worker, is_coordinator, same_centre

can_work_on_case = is_case_worker & same_centre

# Without an object: may the user open the task lists at all.
rules.add_perm("accompaniment.list_tasks", is_case_worker)
# On a participant.
rules.add_perm("accompaniment.view_tasks", can_work_on_case)
rules.add_perm("accompaniment.add_task", can_work_on_case)
rules.add_perm("accompaniment.plan_departure", can_work_on_case)
# On a task.
rules.add_perm("accompaniment.change_task", can_work_on_case)
# On a programme application.
rules.add_perm("accompaniment.change_application", can_work_on_case)
# Checklist templates (of the coordinator's centre) and the installation's deadline rules.
rules.add_perm("accompaniment.manage_templates", is_coordinator)
rules.add_perm("accompaniment.change_template", is_coordinator & same_centre)
rules.add_perm("accompaniment.manage_deadline_rules", is_coordinator)
