from django import template

register = template.Library()


@register.inclusion_tag("privacy/_case_consents.html", takes_context=True)
def case_consents(context, participant):
    """The consents card of the case page (privacy app)."""
    return {"participant": participant, "request": context.get("request")}
