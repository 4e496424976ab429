from django import template

from mira.accounts.models import Role
from mira.psychology.selectors import case_card

register = template.Library()


@register.inclusion_tag("psychology/_case_card.html", takes_context=True)
def case_psychology(context, participant):
    """The psychological-support card of the case page: {% case_psychology participant %}.

    Renders nothing for users who may not see the case's psychological support (see
    psychology.rules.may_see_psychology). Shows the assigned counsellor the status of the
    referrals and the button to refer; the psychologist their referral. Never a reason or
    a note text, so the case page itself holds no restricted content."""
    request = context.get("request")
    user = request.user
    if not user.has_perm("psychology.view_case", participant):
        return {"visible": False}
    card = case_card(user=user, participant=participant)
    return {
        "visible": True,
        "is_psychologist": user.role == Role.PSYCHOLOGIST,
        "participant": participant,
        "referrals": card["referrals"],
        "can_refer": not card["has_open"]
        and participant.is_open
        and user.has_perm("psychology.refer_case", participant),
    }
