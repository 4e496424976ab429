import math

from django import template

register = template.Library()


@register.filter
def whole_minutes(duration) -> int:
    """A timedelta as whole minutes, rounded up (the lockout page: "in 30 minutes")."""
    if duration is None:
        return 0
    return math.ceil(duration.total_seconds() / 60)
