from django import template

from mira.privacy.selectors import consent_overview

register = template.Library()


@register.inclusion_tag("privacy/_case_consents.html", takes_context=True)
def case_consents(context, participant):
    """The consents card of the case page: the state per purpose, record and withdraw.
    Shows nothing to users who may not see the consents of the case."""
    request = context.get("request")
    user = request.user
    can_view = user.has_perm("privacy.view_consents", participant)
    return {
        "participant": participant,
        "request": request,
        "can_view": can_view,
        "can_manage": can_view and user.has_perm("privacy.manage_consents", participant),
        "can_download": can_view and user.has_perm("documents.list_documents", participant),
        "purposes": consent_overview(participant=participant) if can_view else [],
    }
