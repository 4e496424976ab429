import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from mira.core import models as mira_models
from mira.core.geo import country_name
from mira.core.reversing import reverse_ids


class Stage(models.TextChoices):
    """The stage plan (Stufenplan). Changed only through services.participant_set_stage."""

    FIRST_CONTACT = "first_contact", _("First contact")
    COUNSELLING = "counselling", _("Counselling")
    ROADMAP_DEVELOPMENT = "roadmap_development", _("Roadmap in development")
    GOALS_AGREED = "goals_agreed", _("Goals agreed")
    ROADMAP_SHARED = "roadmap_shared", _("Roadmap shared")
    DEPARTED = "departed", _("Departed")
    COACHING = "coaching", _("Coaching after return")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The stages of a case that is no longer open.
CLOSED_STAGES = (Stage.CLOSED, Stage.WITHDRAWN)


# The regular path, in order; "withdrawn" leaves it from any open stage.
STAGE_PATH = [
    Stage.FIRST_CONTACT,
    Stage.COUNSELLING,
    Stage.ROADMAP_DEVELOPMENT,
    Stage.GOALS_AGREED,
    Stage.ROADMAP_SHARED,
    Stage.DEPARTED,
    Stage.COACHING,
    Stage.CLOSED,
]


class Gender(models.TextChoices):
    FEMALE = "female", _("female")
    MALE = "male", _("male")
    DIVERSE = "diverse", _("diverse")
    UNKNOWN = "unknown", _("not stated")


class ResidenceStatus(models.TextChoices):
    GESTATTUNG = "gestattung", _("Permission to reside (Aufenthaltsgestattung)")
    DULDUNG = "duldung", _("Toleration (Duldung)")
    OBLIGED_TO_LEAVE = "obliged_to_leave", _("Enforceably obliged to leave, without toleration")
    RESIDENCE_PERMIT = "residence_permit", _("Residence permit (§§ 22–26 AufenthG)")
    OTHER_TITLE = "other_title", _("Other residence title")
    ARRIVAL_CERTIFICATE = "arrival_certificate", _("Proof of arrival (Ankunftsnachweis)")
    FICTION_CERTIFICATE = "fiction_certificate", _("Fictional certificate (Fiktionsbescheinigung)")
    UNKNOWN = "unknown", _("Unknown")


class ReferralSource(models.TextChoices):
    SELF = "self", _("Came on their own")
    FOREIGNERS_AUTHORITY = "foreigners_authority", _("Foreigners' authority")
    RECEPTION_CENTRE = "reception_centre", _("Reception centre")
    SOCIAL_SERVICES = "social_services", _("Social services")
    MIGRATION_COUNSELLING = "migration_counselling", _("Migration counselling")
    RETURN_COUNSELLING = "return_counselling", _("Other return counselling service")
    COMMUNITY = "community", _("Family, friends, community")
    OTHER = "other", _("Other")


class Vulnerability(models.TextChoices):
    MINORS = "minors", _("Travels with minors")
    SINGLE_PARENT = "single_parent", _("Single parent")
    UNACCOMPANIED_MINOR = "unaccompanied_minor", _("Unaccompanied minor")
    DISABILITY = "disability", _("Disability")
    SERIOUS_ILLNESS = "serious_illness", _("Serious illness")
    TRAUMA = "trauma", _("Trauma or torture survivor")
    PREGNANCY = "pregnancy", _("Pregnancy")
    ELDERLY = "elderly", _("Elderly person")
    TRAFFICKING = "trafficking", _("Victim of trafficking")


class EligibilityEvidence(models.TextChoices):
    PASSPORT = "passport", _("Passport or passport substitute seen")
    RESIDENCE_DOCUMENT = "residence_document", _("Residence document seen")
    REGISTRATION = "registration", _("Registration certificate (Meldebescheinigung) seen")
    AUTHORITY_LETTER = "authority_letter", _("Letter of an authority seen")
    SELF_DECLARATION = "self_declaration", _("Self-declaration")


# Dates of birth before this are taken for typing errors.
EARLIEST_BIRTH_DATE = datetime.date(1900, 1, 1)
# Household members older than this are taken for typing errors.
MAX_PLAUSIBLE_AGE = 110


def age_on(born: datetime.date, day: datetime.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class Participant(mira_models.Model):
    """A person counselled by MIRA: the case file (Fallakte)."""

    centre = models.ForeignKey(
        "accounts.Centre", verbose_name=_("counselling centre"), on_delete=models.PROTECT, related_name="participants"
    )
    case_number = models.CharField(_("case number"), max_length=20, unique=True, editable=False)

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    first_name_original = models.CharField(_("first name in original script"), max_length=100, blank=True)
    last_name_original = models.CharField(_("last name in original script"), max_length=100, blank=True)
    # Normalised spellings of every name, for search and duplicate warnings
    # (see participants.names); maintained by the services.
    name_keys = models.CharField(max_length=500, blank=True, editable=False, db_index=True)
    date_of_birth = models.DateField(_("date of birth"))
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, default=Gender.UNKNOWN)

    # ISO 3166-1 alpha-2 codes separated by spaces; empty and is_stateless for stateless persons.
    nationalities = models.CharField(_("nationalities"), max_length=60, blank=True)
    is_stateless = models.BooleanField(_("stateless"), default=False)
    # ISO 639 codes separated by spaces.
    languages = models.CharField(_("languages"), max_length=100, blank=True)
    needs_interpreter = models.BooleanField(_("needs an interpreter"), default=False)
    interpreter_language = models.CharField(_("interpreter language"), max_length=3, blank=True)
    preferred_language = models.CharField(
        _("language for documents"),
        max_length=2,
        choices=settings.LANGUAGES,
        default="de",
        help_text=_("Roadmaps and letters are printed in German and in this language."),
    )

    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=5)
    city = models.CharField(_("city"), max_length=100)
    district = models.CharField(_("district"), max_length=50)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)

    residence_status = models.CharField(
        _("residence status"), max_length=30, choices=ResidenceStatus.choices, default=ResidenceStatus.UNKNOWN
    )
    residence_valid_until = models.DateField(_("residence document valid until"), null=True, blank=True)

    assigned_counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned counsellor"),
        on_delete=models.PROTECT,
        related_name="assigned_participants",
    )
    referral_source = models.CharField(
        _("referred by"), max_length=30, choices=ReferralSource.choices, default=ReferralSource.SELF
    )
    referral_source_detail = models.CharField(_("referral details"), max_length=200, blank=True)
    # Vulnerability codes separated by spaces.
    vulnerabilities = models.CharField(_("vulnerabilities"), max_length=200, blank=True)

    return_country = models.CharField(_("return country"), max_length=2, blank=True)
    return_region = models.CharField(_("return region"), max_length=100, blank=True)
    planned_departure = models.DateField(_("planned departure"), null=True, blank=True)
    departure_date = models.DateField(_("departure date"), null=True, blank=True)

    eligibility_evidence = models.CharField(
        _("evidence of eligibility"), max_length=30, choices=EligibilityEvidence.choices
    )
    eligibility_checked_at = models.DateTimeField(_("eligibility checked at"), editable=False)
    eligibility_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("eligibility checked by"),
    )

    stage = models.CharField(_("stage"), max_length=30, choices=Stage.choices, default=Stage.FIRST_CONTACT)
    stage_changed_at = models.DateTimeField(_("stage changed at"), default=timezone.now, editable=False)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)

    notes = models.TextField(_("remarks"), blank=True)

    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    last_contact_on = models.DateField(_("last contact"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False)
    # Optimistic locking: a save based on an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["name_keys", "updated_at"])
    objects = ScopedManager(centre="centre")

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["-opened_on", "-id"]
        indexes = [
            models.Index(fields=["centre", "stage"]),
            models.Index(fields=["centre", "date_of_birth"]),
            models.Index(fields=["centre", "last_name", "first_name"]),
            models.Index(fields=["assigned_counsellor", "stage"]),
            # A counsellor's open cases, which the start page, the due goals and tasks start from.
            models.Index(
                fields=["assigned_counsellor", "centre"],
                condition=~models.Q(stage__in=CLOSED_STAGES),
                name="participant_open_of_counsellor",
            ),
            # The case list's default order within a centre (newest first), and its country filter.
            models.Index(fields=["centre", "-opened_on", "-id"], name="participant_centre_opened"),
            models.Index(fields=["centre", "return_country"], name="participant_centre_country"),
        ]

    def __str__(self) -> str:
        return f"{self.case_number} {self.full_name}"

    def get_absolute_url(self) -> str:
        return reverse_ids("participants:detail", kwargs={"pk": self.pk})

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def original_name(self) -> str:
        return f"{self.first_name_original} {self.last_name_original}".strip()

    @property
    def nationality_codes(self) -> list[str]:
        return self.nationalities.split()

    @property
    def nationality_display(self) -> str:
        if self.is_stateless and not self.nationalities:
            return str(_("stateless"))
        return ", ".join(country_name(code) for code in self.nationality_codes)

    @property
    def language_codes(self) -> list[str]:
        return self.languages.split()

    @property
    def vulnerability_codes(self) -> list[str]:
        return self.vulnerabilities.split()

    @property
    def vulnerability_labels(self) -> list[str]:
        labels = dict(Vulnerability.choices)
        return [labels.get(code, code) for code in self.vulnerability_codes]

    @property
    def return_country_name(self) -> str:
        return country_name(self.return_country)

    @property
    def is_open(self) -> bool:
        return self.stage not in (Stage.CLOSED, Stage.WITHDRAWN)

    @property
    def age(self) -> int | None:
        return age_on(self.date_of_birth, timezone.localdate()) if self.date_of_birth else None

    def clean(self) -> None:
        errors = {}
        today = timezone.localdate()
        if self.date_of_birth:
            if self.date_of_birth > today:
                errors["date_of_birth"] = _("The date of birth cannot lie in the future.")
            elif self.date_of_birth < EARLIEST_BIRTH_DATE:
                errors["date_of_birth"] = _("A date of birth before 1900 is not plausible. Please check the year.")
        if self.is_stateless and self.nationalities.strip():
            errors["nationalities"] = _(
                "A stateless person has no nationality: either remove the nationalities or untick “stateless”."
            )
        if self.needs_interpreter and not self.interpreter_language:
            errors["interpreter_language"] = _("Choose the language the interpreter must speak.")
        if errors:
            raise ValidationError(errors)


class Relationship(models.TextChoices):
    SPOUSE = "spouse", _("Spouse or partner")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Sibling")
    OTHER = "other", _("Other relative")


class HouseholdMember(mira_models.OfCase):
    """A family member who returns along with the participant."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="household_members")
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"))
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, default=Gender.UNKNOWN)
    relationship = models.CharField(_("relationship"), max_length=20, choices=Relationship.choices)
    nationality = models.CharField(_("nationality"), max_length=2, blank=True)
    returns_along = models.BooleanField(_("returns along"), default=True)

    history = HistoricalRecords()
    objects = ScopedManager(centre="centre")

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        ordering = ["date_of_birth", "id"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def age_on(self, day) -> int:
        return age_on(self.date_of_birth, day)

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())

    @property
    def nationality_name(self) -> str:
        return country_name(self.nationality)

    def clean(self) -> None:
        today = timezone.localdate()
        if self.date_of_birth and self.date_of_birth > today:
            raise ValidationError({"date_of_birth": _("The date of birth cannot lie in the future.")})
        if self.date_of_birth and age_on(self.date_of_birth, today) > MAX_PLAUSIBLE_AGE:
            raise ValidationError(
                {
                    "date_of_birth": _(
                        "A household member older than %(years)d years is not plausible. Please check the date of birth."
                    )
                    % {"years": MAX_PLAUSIBLE_AGE}
                }
            )


class CaseNumberCounter(mira_models.Model):
    """The last sequence number handed out per centre and year."""

    centre = models.ForeignKey("accounts.Centre", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["centre", "year"], name="one_counter_per_centre_and_year")]

    def __str__(self) -> str:
        return f"{self.centre_id}/{self.year}: {self.last_value}"


class CaseEvent(mira_models.Model):
    """One entry of a case's timeline. Written by services through events.case_event_log;
    `kind` selects the translated message (see participants.events)."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("date and time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("kind of entry"), max_length=60)
    data = models.JSONField(_("entry"), default=dict, blank=True)

    objects = ScopedManager(centre="participant__centre")

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["participant", "-at"])]

    def __str__(self) -> str:
        return f"{self.kind} @ {self.at:%Y-%m-%d %H:%M}"
