import unicodedata

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


@register.filter
def text_direction(value) -> str:
    """ "ltr" or "rtl" by the value's first letter that has a direction (its Unicode bidi class), ""
    if it has none (digits, dates). A German remark in an Arabic export then keeps its full stop at
    its end: WeasyPrint knows no dir="auto"."""
    for character in str(value):
        kind = unicodedata.bidirectional(character)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return ""
