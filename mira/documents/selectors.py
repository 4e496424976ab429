"""Reads of documents; every query runs inside the centre scope (django-scopes)."""

from django.db.models import QuerySet

from mira.documents.models import Document


def documents_of(participant) -> QuerySet[Document]:
    return Document.objects.filter(participant=participant).select_related("uploaded_by")


def document_for_download(*, uuid) -> QuerySet[Document]:
    """The queryset a download looks the document up in (with its case, for the permission check and the log)."""
    return Document.objects.filter(uuid=uuid).select_related("participant")
