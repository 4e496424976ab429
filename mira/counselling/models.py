"""Counselling work: sessions on a case, interpreters, appointments and the calendar feed.

Sessions and appointments hold personal data and are scoped to the centre
(django-scopes). Writes go through services.py, reads through selectors.py.
"""

import datetime
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from mira.core import models as mira_models
from mira.core.geo import language_name


class SessionMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    VIDEO = "video", _("Video")


class Topic(models.TextChoices):
    RETURN_OPTIONS = "return_options", _("Return options")
    DOCUMENTS = "documents", _("Documents")
    HEALTH = "health", _("Health")
    EDUCATION_WORK = "education_work", _("Education and work")
    BUSINESS = "business", _("Business start-up")
    CHILDREN = "children", _("Children")
    PSYCHOLOGICAL = "psychological", _("Psychological support")
    AID = "aid", _("In-kind aid")


def validate_topic_codes(value: str) -> None:
    from django.core.exceptions import ValidationError

    unknown = [code for code in value.split() if code not in Topic.values]
    if unknown:
        raise ValidationError(_("Unknown topic: %(codes)s"), params={"codes": ", ".join(unknown)})


class Interpreter(mira_models.Model):
    """An interpreter the centre books for sessions and appointments."""

    centre = models.ForeignKey(
        "accounts.Centre", verbose_name=_("counselling centre"), on_delete=models.PROTECT, related_name="interpreters"
    )
    name = models.CharField(_("name"), max_length=200)
    # ISO 639 codes separated by spaces (as for participants).
    languages = models.CharField(_("languages"), max_length=100)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    is_active = models.BooleanField(_("active"), default=True, help_text=_("Only active interpreters can be booked."))
    notes = models.CharField(_("remarks"), max_length=300, blank=True)

    history = HistoricalRecords()
    objects = ScopedManager(centre="centre")

    class Meta:
        verbose_name = _("interpreter")
        verbose_name_plural = _("interpreters")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def language_codes(self) -> list[str]:
        return self.languages.split()

    @property
    def language_display(self) -> str:
        return ", ".join(language_name(code) for code in self.language_codes)


class CounsellingSession(mira_models.Model):
    """A counselling session (Beratung) held with a participant; edited only by its author."""

    participant = models.ForeignKey(
        "participants.Participant",
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="counselling_sessions",
    )
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("counsellor"),
        on_delete=models.PROTECT,
        related_name="counselling_sessions",
    )
    started_at = models.DateTimeField(_("start"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    mode = models.CharField(_("mode"), max_length=20, choices=SessionMode.choices, default=SessionMode.IN_PERSON)
    # Topic codes separated by spaces, in the order of Topic.
    topics = models.CharField(_("topics"), max_length=200, validators=[validate_topic_codes])
    language = models.CharField(_("language of the session"), max_length=3)
    interpreter = models.ForeignKey(
        Interpreter,
        verbose_name=_("interpreter"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
    )
    interpreter_other = models.CharField(
        _("other interpreter"),
        max_length=200,
        blank=True,
        help_text=_("An interpreter not on the centre's list, e.g. a phone interpreting service."),
    )
    participant_attended = models.BooleanField(_("participant attended"), default=True)
    household_attendees = models.ManyToManyField(
        "participants.HouseholdMember",
        verbose_name=_("household members who attended"),
        blank=True,
        related_name="counselling_sessions",
    )
    notes = models.TextField(_("notes"), blank=True)
    next_steps = models.TextField(_("agreed next steps"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[household_attendees], excluded_fields=["updated_at"])
    objects = ScopedManager(centre="participant__centre")

    class Meta:
        verbose_name = _("counselling session")
        verbose_name_plural = _("counselling sessions")
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["participant", "-started_at"]),
            models.Index(fields=["counsellor", "-started_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.participant.case_number} {timezone.localtime(self.started_at):%d.%m.%Y %H:%M}"

    def get_absolute_url(self) -> str:
        from mira.core.reversing import reverse_ids

        return reverse_ids("counselling:session_detail", kwargs={"pk": self.pk})

    @property
    def topic_codes(self) -> list[str]:
        return self.topics.split()

    @property
    def topic_labels(self) -> list[str]:
        labels = dict(Topic.choices)
        return [str(labels.get(code, code)) for code in self.topic_codes]

    @property
    def language_display(self) -> str:
        return language_name(self.language) if self.language else ""

    @property
    def interpreter_display(self) -> str:
        return str(self.interpreter) if self.interpreter_id else self.interpreter_other

    @property
    def ended_at(self):
        return self.started_at + datetime.timedelta(minutes=self.duration_minutes)


class AppointmentStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Appointment(mira_models.Model):
    """A counsellor's appointment, with a participant or internal (without one).

    Status changes go through services.appointment_set_status; the double-booking
    rule is enforced by services.appointment_create and appointment_update.
    """

    centre = models.ForeignKey(
        "accounts.Centre", verbose_name=_("counselling centre"), on_delete=models.PROTECT, related_name="appointments"
    )
    # Stable identity in calendar programs (the UID of the iCalendar event).
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("counsellor"),
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    participant = models.ForeignKey(
        "participants.Participant",
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="appointments",
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_link = models.URLField(
        _("video link"),
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["https"])],
        help_text=_("The address of the video meeting (https://…)."),
    )
    interpreter = models.ForeignKey(
        Interpreter,
        verbose_name=_("interpreter"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
    )
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=AppointmentStatus.choices, default=AppointmentStatus.PLANNED
    )
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True, editable=False)
    # Raised on every change, so calendar programs replace their copy (iCalendar SEQUENCE).
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "reminder_sent_at"])
    objects = ScopedManager(centre="centre")

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["counsellor", "starts_at"]),
            models.Index(fields=["interpreter", "starts_at"]),
            models.Index(fields=["centre", "starts_at"]),
            models.Index(fields=["participant", "starts_at"]),
            # Appointments overlapping a day or week (ends after its start, starts before its end):
            # the end bounds the scan to the period instead of the centre's whole past.
            models.Index(fields=["centre", "ends_at", "starts_at"], name="appointment_centre_ends"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="appointment_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({timezone.localtime(self.starts_at):%d.%m.%Y %H:%M})"

    def get_absolute_url(self) -> str:
        from mira.core.reversing import reverse_ids

        return reverse_ids("counselling:appointment_detail", kwargs={"pk": self.pk})

    @property
    def is_cancelled(self) -> bool:
        return self.status == AppointmentStatus.CANCELLED

    @property
    def is_planned(self) -> bool:
        return self.status == AppointmentStatus.PLANNED

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class CalendarFeedToken(mira_models.Model):
    """The secret of a counsellor's personal calendar feed.

    Only a hash is stored; the token itself is shown once. A short prefix (the
    selector) finds the row, the hash is then compared in constant time.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed_tokens")
    selector = models.CharField(max_length=12, unique=True)
    token_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.selector}…"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
