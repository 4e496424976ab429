from django import template

from mira.documents.forms import DocumentUploadForm
from mira.documents.selectors import documents_of

register = template.Library()


@register.inclusion_tag("documents/_case_documents.html", takes_context=True)
def case_documents(context, participant):
    """The documents card of the case page: list, download, upload, delete.
    Shows nothing to users who may not see the documents of the case."""
    request = context.get("request")
    user = request.user
    can_list = user.has_perm("documents.list_documents", participant)
    return {
        "participant": participant,
        "request": request,
        "can_list": can_list,
        "can_add": can_list and user.has_perm("documents.add_document", participant),
        "can_delete": can_list and user.has_perm("documents.delete_document", participant),
        "documents": list(documents_of(participant)) if can_list else [],
        "form": DocumentUploadForm(),
    }
