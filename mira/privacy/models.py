from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords


class ConsentPurpose(models.TextChoices):
    COUNSELLING = "counselling", _("Counselling and documentation")
    PARTNER_SHARING = "partner_sharing", _("Sharing with partner organisations in the return country")
    SECRECY_RELEASE = "secrecy_release", _("Release from professional secrecy (§ 203 StGB)")
    CONTACT_AFTER_RETURN = "contact_after_return", _("Contact after return")
    PHOTOS = "photos", _("Use of photos")


class Consent(models.Model):
    """A participant's consent for one purpose: given on a date, in a language,
    with the signed form, and possibly withdrawn later. Other apps ask
    privacy.selectors.consent_is_valid before they share."""

    participant = models.ForeignKey(
        "participants.Participant", verbose_name=_("case"), on_delete=models.CASCADE, related_name="consents"
    )
    purpose = models.CharField(_("purpose"), max_length=30, choices=ConsentPurpose.choices)
    given_on = models.DateField(_("given on"))
    language = models.CharField(_("language of the form"), max_length=2, choices=settings.LANGUAGES)
    signed_form = models.ForeignKey(
        "documents.Document",
        verbose_name=_("signed form"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    notes = models.CharField(_("remarks"), max_length=300, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_notes = models.CharField(_("remarks on the withdrawal"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = ScopedManager(centre="participant__centre")

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["purpose", "-given_on"]
        indexes = [models.Index(fields=["participant", "purpose"])]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.given_on:%d.%m.%Y})"

    def is_valid_on(self, day) -> bool:
        return self.given_on <= day and (self.withdrawn_on is None or self.withdrawn_on > day)


class AccessLog(models.Model):
    """Who read which case file or document, and when (the read-access log)."""

    class What(models.TextChoices):
        CASE = "case", _("Case page")
        DOCUMENT = "document", _("Document download")
        EXPORT = "export", _("Export")
        OTHER = "other", _("Other")

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    # The centre and case number are kept as plain values so the log outlives an anonymised case.
    centre = models.ForeignKey("accounts.Centre", on_delete=models.PROTECT, related_name="+")
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    case_number = models.CharField(max_length=20, db_index=True)
    what = models.CharField(max_length=20, choices=What.choices)
    object_id = models.CharField(max_length=40, blank=True)
    path = models.CharField(max_length=300, blank=True)

    objects = ScopedManager(centre="centre")

    class Meta:
        verbose_name = _("read access")
        verbose_name_plural = _("read accesses")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.case_number} {self.what} @ {self.at:%Y-%m-%d %H:%M}"
