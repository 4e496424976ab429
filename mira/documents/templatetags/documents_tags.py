from django import template

register = template.Library()


@register.inclusion_tag("documents/_case_documents.html", takes_context=True)
def case_documents(context, participant):
    """The documents card of the case page (documents app)."""
    return {"participant": participant, "request": context.get("request")}
