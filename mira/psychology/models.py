"""Psychological support: referrals of a case to a psychologist and the psychologist's notes.

Both are special-category data (GDPR Art. 9) under professional secrecy (§ 203 StGB).
Who may see them is decided in one place, psychology.rules.may_see_psychology; which
rows a user sees in psychology.selectors. They never appear in exports or shares
(psychology.selectors.restricted_models)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from mira.core import models as mira_models
from mira.core.reversing import reverse_ids


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    SOON = "soon", _("Soon")
    URGENT = "urgent", _("Urgent")


class ReferralStatus(models.TextChoices):
    """Changed only through services.psych_referral_set_status."""

    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    IN_SUPPORT = "in_support", _("In support")
    COMPLETED = "completed", _("Completed")
    DECLINED = "declined", _("Declined")


# A case has at most one referral in these statuses at a time.
OPEN_STATUSES = (ReferralStatus.REQUESTED, ReferralStatus.ACCEPTED, ReferralStatus.IN_SUPPORT)

# Which status may follow which; the psychologist moves the referral along.
# A completed support can be resumed; a declined referral stays declined (refer anew).
STATUS_TRANSITIONS = {
    ReferralStatus.REQUESTED: (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED),
    ReferralStatus.ACCEPTED: (ReferralStatus.IN_SUPPORT, ReferralStatus.COMPLETED, ReferralStatus.DECLINED),
    ReferralStatus.IN_SUPPORT: (ReferralStatus.COMPLETED,),
    ReferralStatus.COMPLETED: (ReferralStatus.IN_SUPPORT,),
    ReferralStatus.DECLINED: (),
}


class PsychologicalReferral(mira_models.Model):
    """A case referred by its assigned counsellor to a psychologist of the centre."""

    participant = models.ForeignKey(
        "participants.Participant",
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="psychological_referrals",
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("referred by"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    psychologist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("psychologist"),
        on_delete=models.PROTECT,
        related_name="psychological_referrals",
    )
    reason = models.TextField(
        _("reason for the referral"),
        help_text=_("What the psychologist should know. Only the psychologist and the assigned counsellor read this."),
    )
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE)
    status = models.CharField(
        _("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.REQUESTED, editable=False
    )
    requested_on = models.DateField(_("requested on"), editable=False)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True, editable=False)
    closed_on = models.DateField(_("ended on"), null=True, blank=True, editable=False)
    decline_reason = models.CharField(_("reason for declining"), max_length=500, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ScopedManager(centre="participant__centre")

    class Meta:
        verbose_name = _("psychological referral")
        verbose_name_plural = _("psychological referrals")
        ordering = ["-requested_on", "-id"]
        indexes = [
            models.Index(fields=["psychologist", "status"]),
            models.Index(fields=["participant", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["participant"],
                condition=Q(status__in=["requested", "accepted", "in_support"]),
                name="one_open_psychological_referral_per_case",
                violation_error_message=_(
                    "This case already has an open referral to psychological support. "
                    "Refer it again once that one is completed or declined."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant.case_number} → {self.psychologist} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse_ids("psychology:case", kwargs={"participant_pk": self.participant_id}) + f"#referral-{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def next_statuses(self) -> tuple:
        return STATUS_TRANSITIONS[ReferralStatus(self.status)]


class NoteKind(models.TextChoices):
    FIRST_INTERVIEW = "first_interview", _("First interview")
    SUPPORT_SESSION = "support_session", _("Support session")
    CRISIS_INTERVENTION = "crisis_intervention", _("Crisis intervention")
    CASE_CONFERENCE = "case_conference", _("Case conference")
    CLOSING_NOTE = "closing_note", _("Closing note")


class SupportNote(mira_models.Model):
    """A psychologist's note on a referral. Always restricted: only its author (the
    psychologist named on the referral) reads it, and the case's assigned counsellor
    only when the author shares it with them."""

    referral = models.ForeignKey(
        PsychologicalReferral, verbose_name=_("psychological referral"), on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    session_date = models.DateField(_("date of the session"))
    kind = models.CharField(_("kind"), max_length=30, choices=NoteKind.choices, default=NoteKind.SUPPORT_SESSION)
    text = models.TextField(_("note"))
    shared_with_counsellor = models.BooleanField(
        _("share with the assigned counsellor"),
        default=False,
        help_text=_(
            "Only what the counsellor needs for the return counselling; the participant must have released you "
            "from professional secrecy for it."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ScopedManager(centre="referral__participant__centre")

    class Meta:
        verbose_name = _("support note")
        verbose_name_plural = _("support notes")
        ordering = ["-session_date", "-id"]
        indexes = [models.Index(fields=["referral", "-session_date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.session_date:%d.%m.%Y}"
