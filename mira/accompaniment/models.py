"""Accompaniment (Begleitung): tasks on a case, checklist templates, and departure
planning (programme applications and the deadline rules that back-schedule tasks)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from mira.core import models as mira_models
from mira.core.reversing import reverse_ids


class TaskStatus(models.TextChoices):
    """Changed only through services.task_set_status."""

    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


# Statuses in which a task still asks for work (and can be overdue).
PENDING_STATUSES = (TaskStatus.OPEN, TaskStatus.IN_PROGRESS)


class TaskSource(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    TEMPLATE = "template", _("From a checklist template")
    DEPARTURE_RULE = "departure_rule", _("From departure planning")


class Task(mira_models.OfCase):
    """An accompaniment task on a case, e.g. obtaining a passport at an embassy."""

    participant = models.ForeignKey(
        "participants.Participant", verbose_name=_("case"), on_delete=models.CASCADE, related_name="tasks"
    )
    title = models.CharField(_("title"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("responsible"), on_delete=models.PROTECT, related_name="tasks"
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    done_on = models.DateField(_("done on"), null=True, blank=True, editable=False)
    source = models.CharField(
        _("source"), max_length=20, choices=TaskSource.choices, default=TaskSource.MANUAL, editable=False
    )
    template_step = models.ForeignKey(
        "ChecklistTemplateStep", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    deadline_rule = models.ForeignKey(
        "DeadlineRule", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="tasks"
    )
    sort_order = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Computed by the database from the status: the centre's pending tasks are read by an index on
    # (centre, pending, due_on). A partial index on the status could not serve them once PostgreSQL
    # plans the prepared query for any status (a generic plan); it then walked the centre's done tasks.
    pending = models.GeneratedField(
        expression=models.Q(status__in=PENDING_STATUSES), output_field=models.BooleanField(), db_persist=True
    )

    history = HistoricalRecords(excluded_fields=["updated_at", "pending"])
    objects = ScopedManager(centre="centre")

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_on", "sort_order", "id"]
        indexes = [
            models.Index(fields=["participant", "status", "due_on"]),
            models.Index(fields=["responsible", "status", "due_on"]),
            # The centre's task list, soonest first: the pending tasks, one status (done, cancelled,
            # ...) or all of them, each read in due order and counted from its own index, without
            # joining a task to its case.
            models.Index(fields=["centre", "pending", "due_on", "id"], name="task_centre_pending_due"),
            models.Index(fields=["centre", "status", "due_on", "id"], name="task_centre_status_due"),
            models.Index(fields=["centre", "due_on", "id"], name="task_centre_due"),
        ]
        constraints = [
            # Re-planning a departure updates the task of a rule instead of adding another one.
            models.UniqueConstraint(
                fields=["participant", "deadline_rule"],
                condition=models.Q(deadline_rule__isnull=False),
                name="one_task_per_case_and_deadline_rule",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse_ids("accompaniment:task_detail", kwargs={"participant_pk": self.participant_id, "pk": self.pk})

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING_STATUSES

    def _today(self):
        # One look at the clock per task: a list row asks up to four times (overdue, due today).
        today = self.__dict__.get("_local_today")
        if today is None:
            today = self.__dict__["_local_today"] = timezone.localdate()
        return today

    @property
    def is_overdue(self) -> bool:
        return self.is_pending and self.due_on < self._today()

    @property
    def is_due_today(self) -> bool:
        return self.is_pending and self.due_on == self._today()


class TaskAttachment(mira_models.Model):
    """A document of the case attached to a task (the file itself lives in the documents app)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "documents.Document", verbose_name=_("document"), on_delete=models.CASCADE, related_name="task_attachments"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    objects = ScopedManager(centre="task__centre")

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["added_at", "id"]
        constraints = [models.UniqueConstraint(fields=["task", "document"], name="document_attached_once_per_task")]

    def __str__(self) -> str:
        return str(self.document)


class ChecklistTemplate(mira_models.Model):
    """A reusable list of steps (e.g. obtaining a passport), maintained by the coordinators of a centre."""

    centre = models.ForeignKey(
        "accounts.Centre", verbose_name=_("counselling centre"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Only active templates are offered when creating tasks.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ScopedManager(centre="centre")

    class Meta:
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["centre", "name"], name="checklist_name_unique_per_centre")]

    def __str__(self) -> str:
        return self.name


class ChecklistTemplateStep(mira_models.Model):
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="steps")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    offset_days = models.PositiveSmallIntegerField(
        _("days after start"), default=0, help_text=_("The task is due this many days after the start date.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()
    objects = ScopedManager(centre="template__centre")

    class Meta:
        verbose_name = _("checklist step")
        verbose_name_plural = _("checklist steps")
        ordering = ["order", "offset_days", "id"]

    def __str__(self) -> str:
        return self.title


class Programme(models.TextChoices):
    """Federal, EU and Land programmes a return usually runs through; tracked here, applied for elsewhere."""

    REAG_GARP = "reag_garp", _("REAG/GARP")
    STARTHILFE_PLUS = "starthilfe_plus", _("StarthilfePlus")
    # Translators: Frontex Joint Reintegration Services, applied for in the EU's RIAT system.
    JRS = "jrs", _("JRS (Frontex, via RIAT)")
    ZIRF = "zirf", _("ZIRF-Counselling")
    LAND = "land", _("Programme of the Land")
    OTHER = "other", _("Other programme")


class ApplicationStatus(models.TextChoices):
    """Changed only through services.programme_application_set_status."""

    PLANNED = "planned", _("Planned")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    PAID = "paid", _("Paid")


class ProgrammeApplication(mira_models.Model):
    """An application of the case to a return or reintegration programme."""

    participant = models.ForeignKey(
        "participants.Participant",
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="programme_applications",
    )
    programme = models.CharField(_("programme"), max_length=20, choices=Programme.choices)
    programme_name = models.CharField(
        _("name of the programme"), max_length=200, blank=True, help_text=_("For a Land or other programme.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.PLANNED, editable=False
    )
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True, editable=False)
    decided_on = models.DateField(_("decided on"), null=True, blank=True, editable=False)
    paid_on = models.DateField(_("paid on"), null=True, blank=True, editable=False)
    amount = models.DecimalField(_("amount (EUR)"), max_digits=10, decimal_places=2, null=True, blank=True)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ScopedManager(centre="participant__centre")

    class Meta:
        verbose_name = _("programme application")
        verbose_name_plural = _("programme applications")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        label = self.get_programme_display()
        return f"{label}: {self.programme_name}" if self.programme_name else str(label)


class OffsetUnit(models.TextChoices):
    CALENDAR_DAYS = "calendar_days", _("calendar days")
    # Translators: Monday to Friday without the public holidays of Thuringia.
    WORKING_DAYS = "working_days", _("working days")


class RuleCondition(models.TextChoices):
    ALWAYS = "always", _("Always")
    MINOR_CHILDREN = "minor_children", _("A minor child returns along")
    MINOR_CHILDREN_ONE_PARENT = (
        "minor_children_one_parent",
        _("A minor child returns along without a second parent (spouse or partner) in the household"),
    )


class DeadlineRule(mira_models.Model):
    """A deadline before the planned departure, back-scheduled into a task on each case
    it applies to (see scheduling.py). Coordinators change these when a programme changes."""

    title = models.CharField(_("title"), max_length=200, help_text=_("Becomes the title of the task."))
    description = models.TextField(_("description"), blank=True)
    programme = models.CharField(
        _("programme"),
        max_length=20,
        choices=Programme.choices,
        blank=True,
        help_text=_(
            "If set, the rule applies only to cases with an application to this programme that was not rejected."
        ),
    )
    offset = models.PositiveSmallIntegerField(_("time before departure"))
    unit = models.CharField(_("unit"), max_length=20, choices=OffsetUnit.choices, default=OffsetUnit.CALENDAR_DAYS)
    condition = models.CharField(
        _("applies when"), max_length=30, choices=RuleCondition.choices, default=RuleCondition.ALWAYS
    )
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        ordering = ["-offset", "title", "id"]

    def __str__(self) -> str:
        return self.title
