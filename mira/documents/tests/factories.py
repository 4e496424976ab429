import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from mira.documents.models import Document, DocumentCategory
from mira.documents.samples import tiny_pdf, tiny_png
from mira.documents.services import document_create


def pdf_upload(name: str = "Reisepass.pdf", text: str = "Reisepass") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, tiny_pdf(text), content_type="application/pdf")


def png_upload(name: str = "Foto.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, tiny_png(), content_type="image/png")


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buffer, format="JPEG")
    return buffer.getvalue()


def jpeg_upload(name: str = "Zeugnis.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(), content_type="image/jpeg")


def make_document(
    *, participant, actor=None, title="Reisepass", category=DocumentCategory.PASSPORT, upload=None
) -> Document:
    """A document stored through the real service (file in the test storage)."""
    return document_create(
        participant=participant,
        uploaded_file=upload or png_upload(),
        title=title,
        category=category,
        actor=actor or participant.assigned_counsellor,
    )
