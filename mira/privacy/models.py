import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from mira.core import models as mira_models


class ConsentPurpose(models.TextChoices):
    COUNSELLING = "counselling", _("Counselling and documentation")
    PARTNER_SHARING = "partner_sharing", _("Sharing with partner organisations in the return country")
    SECRECY_RELEASE = "secrecy_release", _("Release from professional secrecy (§ 203 StGB)")
    CONTACT_AFTER_RETURN = "contact_after_return", _("Contact after return")
    PHOTOS = "photos", _("Use of photos")


class Consent(mira_models.OfCase):
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
    objects = ScopedManager(centre="centre")

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["purpose", "-given_on"]
        indexes = [models.Index(fields=["participant", "purpose"])]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.given_on:%d.%m.%Y})"

    def is_valid_on(self, day) -> bool:
        return self.given_on <= day and (self.withdrawn_on is None or self.withdrawn_on > day)


class AccessLog(mira_models.Model):
    """Who read which case file or document, and when (the read-access log)."""

    class What(models.TextChoices):
        CASE = "case", _("Case page")
        DOCUMENT = "document", _("Document download")
        EXPORT = "export", _("Export")
        OTHER = "other", _("Other")

    at = models.DateTimeField(_("date and time"), default=timezone.now, db_index=True)
    # Indexed with the time (Meta.indexes): one user's accesses, newest first.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        db_index=False,
    )
    # The centre and case number are kept as plain values so the log outlives an anonymised case.
    # Indexed with the time (Meta.indexes): the centre's log, newest first.
    centre = models.ForeignKey("accounts.Centre", on_delete=models.PROTECT, related_name="+", db_index=False)
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    case_number = models.CharField(max_length=20, db_index=True)
    what = models.CharField(_("kind of access"), max_length=20, choices=What.choices)
    object_id = models.CharField(max_length=40, blank=True)
    path = models.CharField(max_length=300, blank=True)

    objects = ScopedManager(centre="centre")

    class Meta:
        verbose_name = _("read access")
        verbose_name_plural = _("read accesses")
        ordering = ["-at", "-id"]
        # The log filtered by kind or by user, newest first: without them a rare kind (downloads,
        # exports) was looked for through the centre's whole log, and all of a user's accesses
        # were sorted to show 25. The search by case number has a trigram index on PostgreSQL
        # (migration 0010).
        indexes = [
            # A search by part of a case number walks the centre's own entries, not the whole log's.
            models.Index(fields=["centre", "-at", "-id"], name="access_log_centre_at"),
            models.Index(fields=["centre", "what", "-at", "-id"], name="access_log_centre_what_at"),
            models.Index(fields=["user", "-at", "-id"], name="access_log_user_at"),
        ]

    def __str__(self) -> str:
        return f"{self.case_number} {self.what} @ {self.at:%Y-%m-%d %H:%M}"


class LegalHold(mira_models.Model):
    """A case the data protection officer exempts from deletion (litigation, an authority's
    inquiry, an open data-subject request): while the hold is active, no deletion run and
    no erasure touches the case. Lifting keeps the row as the protocol."""

    participant = models.ForeignKey(
        "participants.Participant", verbose_name=_("case"), on_delete=models.PROTECT, related_name="legal_holds"
    )
    reason = models.CharField(
        _("reason"),
        max_length=500,
        help_text=_("Why the case must be kept, e.g. the court case or the authority's reference. No health data."),
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("set by"), on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField(_("set at"), default=timezone.now)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lifted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lift_reason = models.CharField(_("reason for lifting"), max_length=500, blank=True)

    objects = ScopedManager(centre="participant__centre")

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        ordering = ["-set_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant"],
                condition=models.Q(lifted_at__isnull=True),
                name="one_active_legal_hold_per_case",
                violation_error_message=_("This case is already on legal hold."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant.case_number}: {self.reason}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class RunTrigger(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    MANUAL = "manual", _("Started by the data protection officer")
    REQUEST = "request", _("Erasure on request")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for the worker")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    FAILED = "failed", _("Failed")


class DeletionRun(mira_models.Model):
    """The protocol of one deletion run of one centre: what was due, what was erased or
    cleared, how many rows of which kind, and what went wrong."""

    centre = models.ForeignKey("accounts.Centre", on_delete=models.PROTECT, related_name="+")
    trigger = models.CharField(_("started by"), max_length=20, choices=RunTrigger.choices)
    status = models.CharField(_("status"), max_length=20, choices=RunStatus.choices, default=RunStatus.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    data_subject_request = models.ForeignKey(
        "privacy.DataSubjectRequest", on_delete=models.PROTECT, null=True, blank=True, related_name="runs"
    )
    queued_at = models.DateTimeField(_("queued at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The periods in force when the run started, so the protocol explains itself later.
    retention_years = models.PositiveSmallIntegerField(_("years after closing"), null=True, blank=True)
    audit_years = models.PositiveSmallIntegerField(_("audit period in years"), null=True, blank=True)
    # Case numbers only: the protocol outlives the data it describes.
    erased_cases = models.JSONField(default=list, blank=True)
    audit_cleared_cases = models.JSONField(default=list, blank=True)
    # {"app_label.Model": {"deleted": n, "anonymised": n, "history": n}}
    counts = models.JSONField(default=dict, blank=True)
    # [{"case_number": ..., "message": ...}]
    errors = models.JSONField(default=list, blank=True)

    objects = ScopedManager(centre="centre")

    class Meta:
        verbose_name = _("deletion run")
        verbose_name_plural = _("deletion runs")
        ordering = ["-queued_at", "-id"]
        indexes = [models.Index(fields=["centre", "-queued_at"])]

    def __str__(self) -> str:
        return f"{self.get_trigger_display()} {self.queued_at:%Y-%m-%d %H:%M}"

    @property
    def is_pending(self) -> bool:
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING)


class ErasedCase(mira_models.Model):
    """Marks a case whose personal data was erased (the case row is kept, anonymised, for
    the statistics) and when its aid records were cleared after the audit period."""

    participant = models.OneToOneField(
        "participants.Participant", on_delete=models.PROTECT, related_name="erasure", verbose_name=_("case")
    )
    case_number = models.CharField(_("case number"), max_length=20)
    erased_at = models.DateTimeField(_("erased at"))
    erased_by_run = models.ForeignKey(DeletionRun, on_delete=models.PROTECT, related_name="+")
    audit_cleared_at = models.DateTimeField(_("aid records cleared at"), null=True, blank=True)
    audit_cleared_by_run = models.ForeignKey(
        DeletionRun, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager(centre="participant__centre")

    class Meta:
        verbose_name = _("erased case")
        verbose_name_plural = _("erased cases")
        ordering = ["-erased_at", "-id"]

    def __str__(self) -> str:
        return self.case_number


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Access and copy of the data (Art. 15)")
    RECTIFICATION = "rectification", _("Rectification (Art. 16)")
    ERASURE = "erasure", _("Erasure (Art. 17)")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    COMPLETED = "completed", _("Completed")
    REFUSED = "refused", _("Refused")


class DataSubjectRequest(mira_models.Model):
    """A request of a data subject under the GDPR, recorded and tracked by the data
    protection officer. The case number is kept as a plain value, so the record stays
    readable after the case was erased."""

    centre = models.ForeignKey("accounts.Centre", on_delete=models.PROTECT, related_name="+")
    participant = models.ForeignKey(
        "participants.Participant",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="data_subject_requests",
    )
    case_number = models.CharField(_("case number"), max_length=20, db_index=True)
    kind = models.CharField(_("kind of request"), max_length=20, choices=RequestKind.choices)
    received_on = models.DateField(_("received on"))
    due_on = models.DateField(_("answer due by"))
    status = models.CharField(_("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    notes = models.TextField(
        _("remarks"),
        blank=True,
        help_text=_("How the request came in and how the identity of the person was checked."),
    )
    outcome = models.TextField(_("outcome"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    history = HistoricalRecords()
    objects = ScopedManager(centre="centre")

    class Meta:
        verbose_name = _("data-subject request")
        verbose_name_plural = _("data-subject requests")
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["centre", "status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.case_number}: {self.get_kind_display()}"

    @property
    def is_open(self) -> bool:
        return self.status == RequestStatus.OPEN

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on < timezone.localdate()


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for the background worker")
    RUNNING = "running", _("Being made")
    READY = "ready", _("Ready for download")
    FETCHED = "fetched", _("Downloaded")
    EXPIRED = "expired", _("Deleted without download")
    FAILED = "failed", _("Failed")


def export_keep_duration() -> datetime.timedelta:
    """How long a finished export's file waits for its download (MIRA_EXPORT_KEEP_HOURS)."""
    return datetime.timedelta(hours=settings.MIRA_EXPORT_KEEP_HOURS)


class DataSubjectExport(mira_models.Model):
    """The PDF of a data-subject export, made by the background worker: for a long case file it
    takes seconds, longer than a web request should. The file is kept only until it is downloaded
    (the download clears it), and at most MIRA_EXPORT_KEEP_HOURS; the row stays as the record of
    who asked for a copy and who fetched it."""

    centre = models.ForeignKey("accounts.Centre", on_delete=models.PROTECT, related_name="+")
    request = models.ForeignKey(DataSubjectRequest, on_delete=models.CASCADE, related_name="exports")
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    status = models.CharField(_("status"), max_length=20, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    fetched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("downloaded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    fetched_at = models.DateTimeField(_("downloaded at"), null=True, blank=True)
    # The file while it waits for its download; cleared by the download or when it expires.
    content = models.BinaryField(null=True, blank=True, editable=False)
    size = models.PositiveIntegerField(_("size in bytes"), null=True, blank=True)

    objects = ScopedManager(centre="centre")

    class Meta:
        verbose_name = _("copy of the data (PDF)")
        verbose_name_plural = _("copies of the data (PDF)")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["status", "finished_at"])]

    def __str__(self) -> str:
        return f"{self.request.case_number} {self.language} {self.requested_at:%Y-%m-%d %H:%M}"

    @property
    def is_pending(self) -> bool:
        return self.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)

    @property
    def keep_until(self) -> datetime.datetime | None:
        """Until when a finished export's file waits for its download."""
        if self.finished_at is None:
            return None
        return self.finished_at + export_keep_duration()
