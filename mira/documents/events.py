"""Timeline entries of the documents app."""

from django.utils.translation import gettext_lazy as _

from mira.documents.models import DocumentCategory
from mira.participants.events import register_event_kind


def _category_label(data: dict) -> dict:
    labels = dict(DocumentCategory.choices)
    return {**data, "category": labels.get(data.get("category"), data.get("category", ""))}


register_event_kind(
    "document_uploaded", _("Document uploaded: “%(title)s” (%(category)s)"), "file-earmark-arrow-up", _category_label
)
register_event_kind(
    "document_deleted", _("Document deleted: “%(title)s” (%(category)s)"), "file-earmark-x", _category_label
)
