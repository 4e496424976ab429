"""The partner portal: coaches of a partner organisation, nobody else.

What a coach may see is decided by mira.roadmap.selectors.partner_shares_page (active shares
with the coach's organisation, consents valid); goals they may update are those their
organisation is responsible for.
"""

import rules

from mira.accounts.rules import is_partner


@rules.predicate
def has_partner_organisation(user) -> bool:
    return bool(user and user.is_authenticated and user.partner_organisation_id)


@rules.predicate
def goal_of_own_organisation(user, goal) -> bool:
    return goal is not None and goal.owner_organisation_id == user.partner_organisation_id


can_use_portal = is_partner & has_partner_organisation

rules.add_perm("portal.view_portal", can_use_portal)
rules.add_perm("portal.update_goal", can_use_portal & goal_of_own_organisation)
