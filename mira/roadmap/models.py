"""The return roadmap (MIRA-Fahrplan): versions, binding goals, chosen offers, shares.

A case has one Roadmap with numbered versions. A version is a draft while it is being
worked on, agreed once participant and counsellor signed it, and superseded when a
later version is agreed. Agreed and superseded versions are frozen: their content
(situation, wishes, destination, SMART goal fields, offers) never changes again;
editing starts a new draft, a deep copy. Goal status and evidence are not content:
they are tracked on the agreed version (that is what partners work with) and every
change is recorded as a GoalStatusChange. State changes run only through
mira.roadmap.services.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_scopes import ScopedManager

from mira.core import models as mira_models
from mira.core.geo import country_name
from mira.network.models import OfferKind


class Roadmap(mira_models.Model):
    """The roadmap of one case; its content lives in its versions."""

    participant = models.OneToOneField(
        "participants.Participant", on_delete=models.CASCADE, related_name="roadmap", verbose_name=_("participant")
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager(centre="participant__centre")

    class Meta:
        verbose_name = _("return roadmap")
        verbose_name_plural = _("return roadmaps")

    def __str__(self) -> str:
        return f"{self.participant.case_number}"


class VersionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AGREED = "agreed", _("Agreed")
    SUPERSEDED = "superseded", _("Superseded")


class AgreementMethod(models.TextChoices):
    PAPER = "paper", _("Signed on paper (scan uploaded)")
    TABLET = "tablet", _("Signed on the tablet")


class RoadmapVersion(mira_models.Model):
    """One version of a roadmap: the situation, wishes and destination, plus its goals and offers."""

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    state = models.CharField(_("state"), max_length=20, choices=VersionState.choices, default=VersionState.DRAFT)
    based_on = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("based on")
    )

    current_situation = models.TextField(_("current situation"), blank=True)
    professional_wishes = models.TextField(_("professional wishes"), blank=True)
    personal_wishes = models.TextField(_("personal wishes"), blank=True)
    family_situation = models.TextField(_("family situation"), blank=True)
    qualifications = models.TextField(_("qualifications and experience"), blank=True)
    # Sectors of the network (network.models.Sector) the person wants to work in, separated by spaces.
    wished_sectors = models.CharField(_("sectors of interest"), max_length=200, blank=True)
    # ISO 3166-1 alpha-2
    destination_country = models.CharField(_("destination country"), max_length=2, blank=True)
    destination_region = models.CharField(_("destination region"), max_length=100, blank=True)
    destination_city = models.CharField(_("destination city"), max_length=100, blank=True)

    agreed_on = models.DateField(_("agreed on"), null=True, blank=True)
    agreement_method = models.CharField(
        _("how it was signed"), max_length=10, choices=AgreementMethod.choices, blank=True
    )
    participant_signed = models.BooleanField(_("signed by the participant"), default=False)
    counsellor_signed = models.BooleanField(_("signed by the counsellor"), default=False)
    # RESTRICT: the scan cannot be deleted on its own, but goes with the whole case.
    signed_document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("signed roadmap (scan)"),
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Signatures drawn on a tablet: PNG images as data URLs (see services.signature_clean).
    participant_signature = models.TextField(_("signature of the participant"), blank=True)
    counsellor_signature = models.TextField(_("signature of the counsellor"), blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agreement recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    agreed_at = models.DateTimeField(_("agreed at"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("replaced at"), null=True, blank=True)

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(centre="roadmap__participant__centre")

    # The content fields: what a new draft copies and the comparison shows.
    CONTENT_FIELDS = (
        "current_situation",
        "professional_wishes",
        "personal_wishes",
        "family_situation",
        "qualifications",
        "wished_sectors",
        "destination_country",
        "destination_region",
        "destination_city",
    )

    class Meta:
        verbose_name = _("roadmap version")
        verbose_name_plural = _("roadmap versions")
        ordering = ["roadmap", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "number"], name="roadmap_version_number_unique"),
            models.UniqueConstraint(fields=["roadmap"], condition=models.Q(state="draft"), name="roadmap_one_draft"),
            models.UniqueConstraint(
                fields=["roadmap"], condition=models.Q(state="agreed"), name="roadmap_one_agreed_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.roadmap} v{self.number}"

    @property
    def participant(self):
        return self.roadmap.participant

    @property
    def is_draft(self) -> bool:
        return self.state == VersionState.DRAFT

    @property
    def is_frozen(self) -> bool:
        return self.state != VersionState.DRAFT

    @property
    def destination_country_name(self) -> str:
        return country_name(self.destination_country)

    @property
    def wished_sector_codes(self) -> list[str]:
        return self.wished_sectors.split()

    @property
    def wished_sector_labels(self) -> list[str]:
        from mira.network.models import Sector

        labels = dict(Sector.choices)
        return [str(labels.get(code, code)) for code in self.wished_sector_codes]

    @property
    def destination_display(self) -> str:
        parts = [self.destination_city, self.destination_region, self.destination_country_name]
        return ", ".join(part for part in parts if part)


class Phase(models.TextChoices):
    BEFORE_DEPARTURE = "before_departure", _("Before departure")
    TRAVEL = "travel", _("Travel")
    FIRST_MONTHS = "first_months", _("First 3 months")
    LATER_MONTHS = "later_months", _("Months 4 to 12")


class GoalOwner(models.TextChoices):
    PARTICIPANT = "participant", _("Participant")
    COUNSELLOR = "counsellor", _("Counsellor")
    PARTNER = "partner", _("Partner organisation")


class GoalStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("goal status", "Open")
    IN_PROGRESS = "in_progress", _("In progress")
    REACHED = "reached", _("Reached")
    MISSED = "missed", _("Missed")
    DROPPED = "dropped", _("Dropped")


# Statuses that need a reason; statuses that close a goal.
STATUSES_WITH_REASON = frozenset({GoalStatus.MISSED, GoalStatus.DROPPED})
OPEN_STATUSES = frozenset({GoalStatus.OPEN, GoalStatus.IN_PROGRESS})


class Goal(mira_models.Model):
    """A binding goal (verbindliches Ziel): what, measure of success, owner, due date (SMART)."""

    version = models.ForeignKey(RoadmapVersion, on_delete=models.CASCADE, related_name="goals")
    # The same goal across versions: a copy in a new draft keeps the key (used to compare versions).
    key = models.UUIDField(default=uuid.uuid4, editable=False)
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    title = models.CharField(_("goal"), max_length=200, help_text=_("What is to be achieved, in German."))
    title_translated = models.CharField(
        _("goal in the participant's language"),
        max_length=200,
        blank=True,
        help_text=_("Printed beside the German text in the participant's language."),
    )
    measure = models.TextField(_("measure of success"), help_text=_("How everyone can tell that the goal is reached."))
    owner = models.CharField(_("responsible"), max_length=20, choices=GoalOwner.choices)
    owner_organisation = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("partner organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="roadmap_goals",
    )
    due_on = models.DateField(_("due date"))
    position = models.PositiveIntegerField(default=0)

    status = models.CharField(_("status"), max_length=20, choices=GoalStatus.choices, default=GoalStatus.OPEN)
    status_reason = models.TextField(_("reason"), blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    evidence_note = models.TextField(_("evidence"), blank=True)
    evidence_document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("evidence document"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The reminder job marks the day it last reminded of this goal (once per goal and day).
    reminded_on = models.DateField(_("reminder sent on"), null=True, blank=True, editable=False)

    objects = ScopedManager(centre="version__roadmap__participant__centre")

    SMART_FIELDS = ("phase", "title", "title_translated", "measure", "owner", "owner_organisation_id", "due_on")

    class Meta:
        verbose_name = _("binding goal")
        verbose_name_plural = _("binding goals")
        ordering = ["due_on", "position", "id"]
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="roadmap_goal_key_once_per_version"),
            models.CheckConstraint(
                condition=~models.Q(owner="partner") | models.Q(owner_organisation__isnull=False),
                name="roadmap_goal_partner_owner_has_organisation",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def owner_display(self) -> str:
        if self.owner == GoalOwner.PARTNER and self.owner_organisation_id:
            return str(self.owner_organisation)
        return self.get_owner_display()

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class GoalStatusChange(mira_models.Model):
    """Audit record of one status change of a goal: who, when, from what to what, why."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="status_changes")
    at = models.DateTimeField(_("date and time"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.PROTECT, related_name="+"
    )
    # The partner organisation the user acted for (portal), empty for centre staff.
    organisation = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("for the organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    old_status = models.CharField(_("previous status"), max_length=20, choices=GoalStatus.choices)
    new_status = models.CharField(_("new status"), max_length=20, choices=GoalStatus.choices)
    comment = models.TextField(_("comment"), blank=True)

    objects = ScopedManager(centre="goal__version__roadmap__participant__centre")

    class Meta:
        verbose_name = _("goal status change")
        verbose_name_plural = _("goal status changes")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.goal_id}: {self.old_status} → {self.new_status}"


class RoadmapOffer(mira_models.Model):
    """An offer of the network chosen for a version (a wagon of the train journey).

    Title and organisation are copied when the offer is chosen, so an agreed version
    keeps reading the same even if the directory changes later."""

    version = models.ForeignKey(RoadmapVersion, on_delete=models.CASCADE, related_name="offers")
    offer = models.ForeignKey(
        "network.Offer",
        verbose_name=_("offer in the directory"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="roadmap_choices",
    )
    title = models.CharField(_("offer"), max_length=200)
    organisation_name = models.CharField(_("organisation"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, blank=True, choices=OfferKind.choices)
    note = models.CharField(_("remark"), max_length=300, blank=True)
    position = models.PositiveIntegerField(default=0)

    objects = ScopedManager(centre="version__roadmap__participant__centre")

    class Meta:
        verbose_name = _("chosen offer")
        verbose_name_plural = _("chosen offers")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "offer"], condition=models.Q(offer__isnull=False), name="roadmap_offer_once"
            )
        ]

    def __str__(self) -> str:
        return self.title


class RecipientKind(models.TextChoices):
    PARTNER = "partner", _("Partner organisation (partner portal)")
    GERMAN_BODY = "german_body", _("Authority or other body in Germany (PDF)")


class RoadmapShare(mira_models.Model):
    """The agreed roadmap handed to one recipient; active until revoked."""

    version = models.ForeignKey(RoadmapVersion, on_delete=models.CASCADE, related_name="shares")
    recipient_kind = models.CharField(_("recipient"), max_length=20, choices=RecipientKind.choices)
    organisation = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("partner organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="roadmap_shares",
    )
    recipient_name = models.CharField(_("name of the recipient"), max_length=200)
    purpose = models.CharField(_("purpose of the sharing"), max_length=300, blank=True)
    pdf_handed_over = models.BooleanField(_("PDF handed over"), default=False)
    # The consent purposes checked when sharing (space-separated codes).
    consent_purposes = models.CharField(_("consents checked"), max_length=100, editable=False)
    shared_at = models.DateTimeField(_("shared at"), default=timezone.now, editable=False)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("shared by"), on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revocation_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)
    # False while the case is closed or withdrawn; set on creation and kept by services.shares_follow_case_stage.
    # The partner portal reads only the shares with it set from an index of its own (a partner coaching
    # the returnees of a whole country holds thousands of shares, most of them of closed cases); its
    # query still checks the case's stage.
    case_open = models.BooleanField(default=True, editable=False)

    objects = ScopedManager(centre="version__roadmap__participant__centre")

    class Meta:
        verbose_name = _("roadmap share")
        verbose_name_plural = _("roadmap shares")
        ordering = ["-shared_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(recipient_kind="partner") | models.Q(organisation__isnull=False),
                name="roadmap_share_partner_has_organisation",
            ),
        ]
        indexes = [
            models.Index(
                fields=["organisation"],
                condition=models.Q(revoked_at__isnull=True, case_open=True, recipient_kind="partner"),
                name="roadmap_share_partner_visible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version} → {self.recipient_name}"

    def save(self, *args, **kwargs):
        if self._state.adding:
            self.case_open = self.version.roadmap.participant.is_open
        super().save(*args, **kwargs)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def participant(self):
        return self.version.roadmap.participant
