"""Reads of documents; queries of case data run inside the centre scope (django-scopes)."""

import datetime

from django.db.models import QuerySet

from mira.documents.models import Document


def documents_of(participant) -> QuerySet[Document]:
    return Document.objects.filter(participant=participant).select_related("uploaded_by")


def document_for_download(*, uuid) -> QuerySet[Document]:
    """The queryset a download looks the document up in (with its case, for the permission check and the log)."""
    return Document.objects.filter(uuid=uuid).select_related("participant")


def orphaned_files(*, older_than: datetime.datetime) -> list[str]:
    """Stored files under cases/ that no document refers to, last modified before older_than.
    Works with any storage that can list folders (local disk, S3)."""
    storage = Document._meta.get_field("file").storage
    if not storage.exists("cases"):
        return []
    known = set(Document._base_manager.values_list("file", flat=True))
    orphans = []
    centre_folders, _files = storage.listdir("cases")
    for folder in centre_folders:
        _subfolders, files = storage.listdir(f"cases/{folder}")
        for name in files:
            key = f"cases/{folder}/{name}"
            if key not in known and storage.get_modified_time(key) < older_than:
                orphans.append(key)
    return sorted(orphans)
