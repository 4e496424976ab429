import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from mira.documents.models import Document, DocumentCategory
from mira.documents.samples import tiny_pdf
from mira.documents.services import clean_filename, document_create, document_delete
from mira.documents.tests.factories import make_document, pdf_upload
from mira.participants.models import CaseEvent
from mira.participants.tests.factories import ParticipantFactory
from mira.privacy.tests.factories import ConsentFactory


@pytest.fixture
def participant(centre, counsellor):
    return ParticipantFactory(centre=centre, assigned_counsellor=counsellor, case_number="EF-2026-0007")


def _stored_files() -> list[str]:
    found = []
    folders = [""]
    while folders:
        folder = folders.pop()
        if not default_storage.exists(folder or "."):
            continue
        subfolders, files = default_storage.listdir(folder or ".")
        folders += [f"{folder}/{sub}".lstrip("/") for sub in subfolders]
        found += [f"{folder}/{name}".lstrip("/") for name in files]
    return found


def test_document_create_stores_the_file_with_checksum_and_type(participant, counsellor):
    document = document_create(
        participant=participant,
        uploaded_file=pdf_upload("Reisepass Scan.pdf"),
        title="  Reisepass  ",
        category=DocumentCategory.PASSPORT,
        actor=counsellor,
    )
    document.refresh_from_db()
    assert document.title == "Reisepass"
    assert document.content_type == "application/pdf"
    assert document.size == len(tiny_pdf("Reisepass"))
    assert document.sha256 == hashlib.sha256(tiny_pdf("Reisepass")).hexdigest()
    assert document.original_filename == "Reisepass Scan.pdf"
    assert document.uploaded_by == counsellor
    assert document.file.name == f"cases/{participant.centre_id}/{document.uuid}"
    with default_storage.open(document.file.name, "rb") as handle:
        assert handle.read() == tiny_pdf("Reisepass")


def test_document_create_ignores_the_type_the_browser_claims(participant, counsellor):
    upload = SimpleUploadedFile("Scan.pdf", tiny_pdf(), content_type="text/html")
    document = document_create(
        participant=participant, uploaded_file=upload, title="Scan", category="other", actor=counsellor
    )
    assert document.content_type == "application/pdf"


def test_document_create_writes_timeline_and_history(participant, counsellor):
    document = make_document(participant=participant, actor=counsellor, title="Zeugnis", category="certificate")
    event = CaseEvent.objects.get(participant=participant)
    assert (event.kind, event.actor, event.data) == (
        "document_uploaded",
        counsellor,
        {"title": "Zeugnis", "category": "certificate"},
    )
    assert [(h.history_type, h.history_user) for h in document.history.all()] == [("+", counsellor)]


def test_document_create_bad_file_saves_nothing(participant, counsellor):
    upload = SimpleUploadedFile("Rechnung.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        document_create(
            participant=participant, uploaded_file=upload, title="Rechnung", category="other", actor=counsellor
        )
    assert list(caught.value.message_dict) == ["file"]
    assert Document.objects.count() == 0
    assert CaseEvent.objects.count() == 0
    assert _stored_files() == []


def test_document_create_blank_title_saves_nothing(participant, counsellor):
    with pytest.raises(ValidationError) as caught:
        document_create(
            participant=participant, uploaded_file=pdf_upload(), title="  ", category="other", actor=counsellor
        )
    assert list(caught.value.message_dict) == ["title"]
    assert Document.objects.count() == 0
    assert _stored_files() == []


def test_document_create_unknown_category_saves_nothing(participant, counsellor):
    with pytest.raises(ValidationError) as caught:
        document_create(
            participant=participant, uploaded_file=pdf_upload(), title="X", category="poems", actor=counsellor
        )
    assert list(caught.value.message_dict) == ["category"]
    assert _stored_files() == []


def test_clean_filename_keeps_only_the_last_path_component():
    assert clean_filename("C:\\Users\\anna\\Pass\x00port.pdf") == "Passport.pdf"
    assert clean_filename("../../etc/passwd.pdf") == "passwd.pdf"
    assert clean_filename("") == "document"
    assert clean_filename("ä" * 300 + ".pdf") == "ä" * 196 + ".pdf"


def test_document_delete_removes_file_after_commit(participant, counsellor, django_capture_on_commit_callbacks):
    document = make_document(participant=participant, actor=counsellor)
    name = document.file.name
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document_delete(document=document, actor=counsellor)
    assert Document.objects.count() == 0
    assert default_storage.exists(name)
    for callback in callbacks:
        callback()
    assert not default_storage.exists(name)
    assert list(CaseEvent.objects.order_by("id").values_list("kind", "data")) == [
        ("document_uploaded", {"title": "Reisepass", "category": "passport"}),
        ("document_deleted", {"title": "Reisepass", "category": "passport"}),
    ]
    assert Document.history.filter(history_type="-").get().history_user == counsellor


def test_document_delete_signed_consent_form_is_refused(participant, counsellor, django_capture_on_commit_callbacks):
    document = make_document(participant=participant, actor=counsellor, category="consent")
    ConsentFactory(participant=participant, signed_form=document)
    with (
        translation.override("en"),
        pytest.raises(ValidationError) as caught,
        django_capture_on_commit_callbacks(execute=True),
    ):
        document_delete(document=document, actor=counsellor)
    assert caught.value.messages == ["This document cannot be deleted: it is the evidence of a record (consent)."]
    assert Document.objects.count() == 1
    assert default_storage.exists(document.file.name)
    assert list(CaseEvent.objects.values_list("kind", flat=True)) == ["document_uploaded"]
