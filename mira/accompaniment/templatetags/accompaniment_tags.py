from django import template
from django.utils import timezone

from mira.accompaniment import selectors

register = template.Library()

# How many pending tasks the card of the case page lists before pointing to the full page.
CARD_TASKS = 6


@register.inclusion_tag("accompaniment/_case_tasks.html", takes_context=True)
def case_tasks(context, participant):
    """The tasks card of the case page: pending tasks (overdue ones marked), with quick status
    buttons and links to all tasks, a new task, a checklist and the departure planning.
    Renders nothing for users who may not see the case's tasks."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("accompaniment.view_tasks", participant):
        return {"visible": False}
    today = timezone.localdate()
    pending, counts = selectors.task_card_of_case(participant, today)
    return {
        "visible": True,
        "participant": participant,
        "tasks": pending[:CARD_TASKS],
        "more": len(pending) > CARD_TASKS,
        "counts": counts,
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
