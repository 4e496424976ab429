"""Template helpers of in-kind aid. `{% load aid_tags %}{% case_aid participant %}` renders
the aid card of the case page; `|euro` formats an amount; `{% aid_status aid_request %}` a badge."""

from decimal import Decimal

from django import template
from django.utils.html import format_html

from mira.aid.models import AidRequest, AidStatus
from mira.aid.selectors import aid_card_of_participant
from mira.aid.services import euro as euro_text

register = template.Library()

CASE_CARD_ROWS = 5


@register.filter
def euro(value) -> str:
    if value is None or value == "":
        return ""
    return euro_text(Decimal(value))


@register.simple_tag
def aid_status(status: str):
    label = AidStatus(status).label if status in AidStatus.values else status
    return format_html('<span class="badge aid-status aid-status-{}">{}</span>', status, label)


@register.inclusion_tag("aid/_case_aid.html", takes_context=True)
def case_aid(context, participant):
    """The aid card of the case page: cap used and remaining, the latest requests, a link to write one."""
    request = context.get("request")
    user = getattr(request, "user", None)
    visible = bool(user and user.has_perm("aid.view_request", AidRequest(participant=participant)))
    if not visible:
        return {"visible": False}
    requests, summary = aid_card_of_participant(participant=participant)
    return {
        "visible": True,
        "participant": participant,
        "summary": summary,
        "requests": requests[:CASE_CARD_ROWS],
        "more": len(requests) > CASE_CARD_ROWS,
        "can_add": user.has_perm("aid.add_request", participant) and participant.is_open,
    }
