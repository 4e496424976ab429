"""Writes of documents. Files go through Django's storage API only (local disk or S3)."""

import hashlib
import logging
import os
import unicodedata
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from mira.documents.models import Document, document_path
from mira.documents.validation import validate_upload
from mira.participants.events import case_event_log

logger = logging.getLogger(__name__)


def clean_filename(name: str) -> str:
    """The last path component without control characters, at most 200 characters (ending kept)."""
    name = os.path.basename((name or "").replace("\\", "/"))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip() or "document"
    if len(name) > 200:
        stem, ending = os.path.splitext(name)
        name = stem[: 200 - len(ending[:10])] + ending[:10]
    return name


def _checksum(uploaded_file) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    uploaded_file.seek(0)
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
        size += len(chunk)
    uploaded_file.seek(0)
    return digest.hexdigest(), size


def document_create(*, participant, uploaded_file, title: str, category: str, actor) -> Document:
    """Stores an uploaded file on a case.

    The content is checked (validate_upload), the checksum, size and type are
    computed here, never taken from the browser. Side effects: the file is written
    to the default storage under a random key; a timeline entry is written. If
    saving fails, the stored file is removed again, so nothing is half-saved.
    Errors are raised as ValidationError keyed by field ("file", "title", "category").
    """
    try:
        content_type = validate_upload(uploaded_file)
    except ValidationError as error:
        raise ValidationError({"file": error.error_list}) from None
    sha256, size = _checksum(uploaded_file)
    document = Document(
        participant=participant,
        title=(title or "").strip(),
        category=category,
        original_filename=clean_filename(uploaded_file.name),
        content_type=content_type,
        size=size,
        sha256=sha256,
        uploaded_by=actor,
    )
    document._history_user = actor
    document.full_clean(exclude=["file"])
    storage = document.file.storage
    stored_name = storage.save(document_path(document, ""), uploaded_file)
    try:
        with transaction.atomic():
            document.file.name = stored_name
            document.save()
            case_event_log(
                participant=participant,
                kind="document_uploaded",
                actor=actor,
                title=document.title,
                category=document.category,
            )
    except BaseException:
        storage.delete(stored_name)
        raise
    return document


def document_delete(*, document: Document, actor) -> None:
    """Deletes a document of a case.

    Side effects: a timeline entry; the file is removed from storage once the
    transaction has committed (a rollback keeps it). A document that other records
    keep as their evidence (the signed form of a consent, an aid receipt) cannot be deleted.
    """
    stored_name = document.file.name
    storage = document.file.storage
    with transaction.atomic():
        document._history_user = actor
        case_event_log(
            participant=document.participant,
            kind="document_deleted",
            actor=actor,
            title=document.title,
            category=document.category,
        )
        try:
            document.delete()
        except (ProtectedError, RestrictedError) as error:
            blocking = getattr(error, "protected_objects", None) or error.restricted_objects
            records = sorted({str(obj._meta.verbose_name) for obj in blocking})
            raise ValidationError(
                _("This document cannot be deleted: it is the evidence of a record (%(records)s).")
                % {"records": ", ".join(records)}
            ) from None
        transaction.on_commit(partial(_remove_file, storage, stored_name))


def _remove_file(storage, name: str) -> None:
    try:
        storage.delete(name)
    except OSError:
        # The database no longer knows the file; an operator can remove it by hand.
        logger.exception("Could not remove the stored file %s of a deleted document", name)


def orphaned_files_delete(*, names: list[str]) -> None:
    """Removes stored files that no document refers to (see selectors.orphaned_files)."""
    storage = Document._meta.get_field("file").storage
    for name in names:
        _remove_file(storage, name)
