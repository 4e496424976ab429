"""What may be uploaded: PDF, JPEG and PNG, decided by the content, not by the name.

Used by every upload in MIRA (case documents, consent forms, receipts, attachments):
`validate_upload(uploaded_file)` returns the content type or raises ValidationError
with a message for the person who chose the file.

Polyglots (a valid image with something else attached) are handled like this:
a PNG must end with its IEND chunk, so a script appended to a PNG is refused;
JPEG and PDF files are not cut off at their end marker, because cameras, phones and
PDF editors legitimately write data there (maker notes, incremental updates).
What protects the reader in every case is how files are served: only as a download
(Content-Disposition: attachment) with the stored, validated content type and
X-Content-Type-Options: nosniff, so a browser never renders or runs an upload.
"""

import os

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"

# Content type -> (short name for messages, file name endings that fit it; the first is canonical).
ALLOWED_TYPES: dict[str, tuple[str, tuple[str, ...]]] = {
    PDF: ("PDF", (".pdf",)),
    JPEG: ("JPEG", (".jpg", ".jpeg")),
    PNG: ("PNG", (".png",)),
}
ACCEPT_ATTRIBUTE = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"

# The last chunk of every PNG: length 0, type IEND, CRC.
PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"
HEAD_BYTES = 8192


def format_megabytes(size: int) -> str:
    value = round(size / (1024 * 1024), 1)
    return number_format(value, decimal_pos=0 if value == int(value) else 1)


def _read_at(uploaded_file, offset: int, length: int) -> bytes:
    uploaded_file.seek(offset)
    return uploaded_file.read(length)


def validate_upload(uploaded_file) -> str:
    """Returns the content type (application/pdf, image/jpeg or image/png) of the
    uploaded file, or raises ValidationError with a message that says what is wrong.
    Leaves the file positioned at its start."""
    limit = settings.MIRA_UPLOAD_MAX_BYTES
    size = uploaded_file.size
    if not size:
        raise ValidationError(_("The file is empty. Choose the file again."), code="empty")
    if size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s MB). Files may be at most %(limit)s MB.")
            % {"size": format_megabytes(size), "limit": format_megabytes(limit)},
            code="too_large",
        )
    try:
        head = _read_at(uploaded_file, 0, HEAD_BYTES)
        content_type = filetype.guess_mime(head)
        if content_type == PDF and not head.startswith(b"%PDF-"):
            content_type = None
        if content_type not in ALLOWED_TYPES:
            raise ValidationError(
                _(
                    "Only PDF, JPEG and PNG files can be uploaded. The content of this file is none of these, "
                    "whatever its name says."
                ),
                code="type_not_allowed",
            )
        kind, endings = ALLOWED_TYPES[content_type]
        name = os.path.basename(uploaded_file.name or "")
        if not name.lower().endswith(endings):
            raise ValidationError(
                _(
                    "The file name “%(name)s” does not match the content: this is a %(kind)s file, "
                    "so the name must end in %(endings)s."
                )
                % {"name": name, "kind": kind, "endings": " / ".join(endings)},
                code="extension_mismatch",
            )
        if content_type == PNG and _read_at(uploaded_file, size - len(PNG_END), len(PNG_END)) != PNG_END:
            raise ValidationError(
                _(
                    "This PNG image has additional data after its end, which can hide other content. "
                    "Save the image again as a new PNG file and upload that."
                ),
                code="png_trailing_data",
            )
    finally:
        uploaded_file.seek(0)
    return content_type


def canonical_extension(content_type: str) -> str:
    return ALLOWED_TYPES[content_type][1][0]
