from django import template

from mira.counselling.selectors import sessions_of_case, upcoming_appointments_of_case

register = template.Library()

# Sessions shown on the case page; the rest are on the case's session list.
CASE_CARD_SESSIONS = 5


@register.inclusion_tag("counselling/_case_sessions.html", takes_context=True)
def case_sessions(context, participant):
    """The counselling card of the case page: the latest sessions and the next appointments.

    Renders nothing for users who may not read sessions (e.g. the psychologist).
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("counselling.list_sessions", participant):
        return {"visible": False}
    sessions = list(sessions_of_case(participant=participant).prefetch_related(None)[: CASE_CARD_SESSIONS + 1])
    return {
        "visible": True,
        "request": request,
        "participant": participant,
        "sessions": sessions[:CASE_CARD_SESSIONS],
        "has_more": len(sessions) > CASE_CARD_SESSIONS,
        "appointments": upcoming_appointments_of_case(participant=participant),
        "can_add_session": user.has_perm("counselling.add_session", participant),
        "can_book": user.has_perm("counselling.add_appointment"),
    }


@register.filter
def minutes_as_duration(minutes) -> str:
    """90 -> "1:30 h", 45 -> "45 min"."""
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        return ""
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60}:{minutes % 60:02d} h"
