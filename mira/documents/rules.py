import rules

from mira.accounts.rules import is_case_worker, is_finance, same_centre
from mira.documents.models import DocumentCategory


@rules.predicate
def is_receipt(user, document) -> bool:
    return document is not None and document.category == DocumentCategory.RECEIPT


# Case documents are for the case workers of the centre. Finance staff also open the
# receipts and invoices of in-kind aid (they record payments against them).
# Psychologists do not: identity papers and letters are not needed for their notes.
rules.add_perm("documents.list_documents", is_case_worker & same_centre)
rules.add_perm("documents.add_document", is_case_worker & same_centre)
rules.add_perm("documents.view_document", (is_case_worker | (is_finance & is_receipt)) & same_centre)
rules.add_perm("documents.delete_document", is_case_worker & same_centre)
