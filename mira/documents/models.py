import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from mira.core import models as mira_models


def document_path(instance, filename: str) -> str:
    # Random names: nothing about the person leaks through the storage key.
    return f"cases/{instance.participant.centre_id}/{instance.uuid}"


class DocumentCategory(models.TextChoices):
    PASSPORT = "passport", _("Passport or identity document")
    RESIDENCE = "residence", _("Residence document")
    CERTIFICATE = "certificate", _("Certificate or diploma")
    CONSENT = "consent", _("Signed consent or release")
    CORRESPONDENCE = "correspondence", _("Correspondence with authorities")
    RECEIPT = "receipt", _("Receipt or invoice")
    OTHER = "other", _("Other")


class Document(mira_models.OfCase):
    """A file on a case. Stored through Django's storage API under a random key,
    never under a public URL; served only by a permission-checked view."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    participant = models.ForeignKey(
        "participants.Participant", verbose_name=_("case"), on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=DocumentCategory.choices)
    file = models.FileField(_("file"), upload_to=document_path, max_length=200)
    original_filename = models.CharField(_("original file name"), max_length=200)
    content_type = models.CharField(_("file type"), max_length=50)
    size = models.PositiveIntegerField(_("size in bytes"))
    # Checksum of the stored bytes: shows whether a file was changed or uploaded twice.
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["file"])
    objects = ScopedManager(centre="centre")

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.title
