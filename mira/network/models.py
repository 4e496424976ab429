"""The network directory: partner organisations and their offers.

The directory is shared by the whole installation (it holds no personal data)
and is therefore not centre-scoped. Referrals of a case to an organisation or
an offer are personal data and are scoped by the participant's centre.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from mira.core import models as mira_models


class OrganisationType(models.TextChoices):
    NGO = "ngo", _("NGO")
    PUBLIC_AUTHORITY = "public_authority", _("Public authority")
    INTERNATIONAL = "international", _("IOM / international organisation")
    EMPLOYER = "employer", _("Employer")
    TRAINING_PROVIDER = "training_provider", _("Training provider")
    HEALTH = "health", _("Health service")
    COUNSELLING = "counselling", _("Counselling service")
    OTHER = "other", _("Other")


class OfferKind(models.TextChoices):
    JOB = "job", _("Job")
    TRAINING = "training", _("Training")
    BUSINESS_START_UP = "business_start_up", _("Business start-up")
    HEALTH = "health", _("Health")
    PSYCHOLOGICAL_CARE = "psychological_care", _("Psychological care")
    HOUSING = "housing", _("Housing")
    SOCIAL = "social", _("Social support")


class Sector(models.TextChoices):
    IT = "it", _("IT")
    E_COMMERCE = "e_commerce", _("E-commerce")
    AGRICULTURE = "agriculture", _("Agriculture")
    CRAFTS = "crafts", _("Crafts")
    GASTRONOMY = "gastronomy", _("Gastronomy")
    TRADE = "trade", _("Trade")
    HEALTH = "health", _("Health")
    CONSTRUCTION = "construction", _("Construction")
    TEXTILES = "textiles", _("Textiles")
    OTHER = "other", _("Other")


def unique_reference(model, base: str, exclude_pk=None) -> str:
    """A reference slug derived from `base` that no other row of `model` uses yet."""
    stem = slugify(base)[:70] or "entry"
    candidate, number = stem, 1
    others = model.objects.all()
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    while others.filter(reference=candidate).exists():
        number += 1
        candidate = f"{stem}-{number}"
    return candidate


class Organisation(mira_models.Model):
    """An organisation of the network, in Germany or in a country of origin.

    `reference` is the stable key the import matches on: a row whose reference
    exists updates that organisation, a new reference creates one.
    """

    reference = models.SlugField(
        _("reference"),
        max_length=80,
        unique=True,
        blank=True,
        help_text=_("Stable key for import and export, e.g. caritas-erfurt. Generated from the name if left empty."),
    )
    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=30, choices=OrganisationType.choices, default=OrganisationType.NGO)
    # ISO 3166-1 alpha-2
    country = models.CharField(_("country"), max_length=2)
    region = models.CharField(_("region"), max_length=100, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    # ISO 639 codes separated by spaces, like Participant.languages
    languages = models.CharField(_("languages"), max_length=200, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    website = models.URLField(_("website"), blank=True)
    services = models.TextField(_("services"), blank=True)
    coaches_after_return = models.BooleanField(_("coaches after return"), default=False)
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        if not self.reference and self.name:
            self.reference = unique_reference(Organisation, f"{self.name}-{self.country}", exclude_pk=self.pk)

    def save(self, *args, **kwargs):
        if not self.reference:
            self.reference = unique_reference(Organisation, f"{self.name}-{self.country}", exclude_pk=self.pk)
        super().save(*args, **kwargs)

    @property
    def is_abroad(self) -> bool:
        return self.country != "DE"

    @property
    def language_list(self) -> list[str]:
        return self.languages.split()


class Offer(mira_models.Model):
    """An offer of an organisation: a job, a training, a start-up programme, care ...

    `reference` is the import key, unique across all offers.
    """

    reference = models.SlugField(
        _("reference"),
        max_length=80,
        unique=True,
        blank=True,
        help_text=_("Stable key for import and export. Generated from the title if left empty."),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="offers", verbose_name=_("organisation")
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=OfferKind.choices)
    description = models.TextField(_("description"), blank=True)
    target_group = models.CharField(_("target group"), max_length=300, blank=True)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices, blank=True)
    # Default from the organisation (set in save() if left empty).
    country = models.CharField(_("country"), max_length=2, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_from__isnull=True)
                | models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="network_offer_valid_range",
                violation_error_message=_("The end of validity must not be before its start."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if not self.country and self.organisation_id:
            self.country = self.organisation.country
            if not self.region:
                self.region = self.organisation.region
        if not self.reference:
            self.reference = unique_reference(Offer, self.title, exclude_pk=self.pk)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if not self.country and self.organisation_id:
            self.country = self.organisation.country
            if not self.region:
                self.region = self.organisation.region
        if not self.reference and self.title:
            self.reference = unique_reference(Offer, self.title, exclude_pk=self.pk)
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("The end of validity must not be before its start.")})

    def is_valid_on(self, day: date) -> bool:
        """Active and within its validity dates (open ends count as valid)."""
        if not self.active:
            return False
        if self.valid_from and day < self.valid_from:
            return False
        return not (self.valid_until and day > self.valid_until)


class ReferralStatus(models.TextChoices):
    """Changed only through services.referral_set_status."""

    SUGGESTED = "suggested", _("Suggested")
    CONTACTED = "contacted", _("Contacted")
    ACCEPTED = "accepted", _("Accepted")
    COMPLETED = "completed", _("Completed")
    DECLINED = "declined", _("Declined")


REFERRAL_PATH = [ReferralStatus.SUGGESTED, ReferralStatus.CONTACTED, ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED]
REFERRAL_OPEN = frozenset({ReferralStatus.SUGGESTED, ReferralStatus.CONTACTED, ReferralStatus.ACCEPTED})
# The date field that records when a referral reached each status.
REFERRAL_DATE_FIELDS = {
    ReferralStatus.SUGGESTED: "suggested_on",
    ReferralStatus.CONTACTED: "contacted_on",
    ReferralStatus.ACCEPTED: "accepted_on",
    ReferralStatus.COMPLETED: "completed_on",
    ReferralStatus.DECLINED: "declined_on",
}


class Referral(mira_models.OfCase):
    """A case referred to an organisation, or to one of its offers (Verweisberatung).

    Written by services.referral_create; the status changes only through
    services.referral_set_status, which also sets the date of each step.
    """

    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, related_name="referrals", verbose_name=_("participant")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("organisation")
    )
    offer = models.ForeignKey(
        Offer, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals", verbose_name=_("offer")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.SUGGESTED
    )
    suggested_on = models.DateField(_("suggested on"))
    contacted_on = models.DateField(_("contacted on"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    declined_on = models.DateField(_("declined on"), null=True, blank=True)
    notes = models.TextField(_("remarks"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = ScopedManager(centre="centre")

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-suggested_on", "-id"]
        indexes = [
            models.Index(fields=["participant", "status"]),
            models.Index(fields=["status", "-suggested_on"]),
            # The centre's referral list, newest first (and its count, read from the index alone).
            models.Index(fields=["centre", "-suggested_on", "-id"], name="referral_centre_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} → {self.target_name}"

    @property
    def target_name(self) -> str:
        if self.offer_id:
            return f"{self.offer.title} ({self.organisation.name})"
        return self.organisation.name

    @property
    def is_open(self) -> bool:
        return self.status in REFERRAL_OPEN

    @property
    def is_abroad(self) -> bool:
        """Sharing with this target needs the participant's consent to sharing with partners abroad:
        the organisation is outside Germany, or the offer is delivered outside Germany."""
        if self.organisation.is_abroad:
            return True
        return bool(self.offer_id and self.offer.country and self.offer.country != "DE")

    @property
    def country(self) -> str:
        """Where the referral leads: the offer's country, else the organisation's."""
        if self.offer_id and self.offer.country:
            return self.offer.country
        return self.organisation.country

    @property
    def status_date(self) -> date | None:
        return getattr(self, REFERRAL_DATE_FIELDS[self.status])

    def next_statuses(self) -> list[str]:
        """Where this referral may go from here: a later step of the path, or declined while open."""
        if not self.is_open:
            return []
        position = REFERRAL_PATH.index(self.status)
        return [*REFERRAL_PATH[position + 1 :], ReferralStatus.DECLINED]
