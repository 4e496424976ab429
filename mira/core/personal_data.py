"""The registry of personal data: every model that holds data about a participant says here
how its rows of one person are found, exported and erased.

The data-subject export (mira.privacy.exporters) and the erasure of a case — by the
retention deletion run or on request (mira.privacy.erasure.case_erase) — walk this list
and nothing else. A new model with a path to participants.Participant must join it (or be
listed in NOT_PERSONAL_DATA with a reason): mira/core/tests/test_security_personal_data.py
fails otherwise. The change history of a registered model (django-simple-history,
Historical*) is handled with it: its rows hold the old values and are purged with the rows.

Scope: the data subjects are participants and their household. Staff accounts (accounts.User)
and the contacts of partner organisations and interpreters are not data subjects of this
feature: their data is managed by the coordinators with the accounts and the directory.

Erasure kinds:
- DELETE: the rows go, with their history (and their stored files).
- ANONYMISE: the rows stay for the statistics; the listed fields are blanked, the history goes.
- AUDIT: the rows stay untouched during the funder's audit period (aid and payments, the
  person reduced to the case number); when it is over, `after_audit` applies.
- KEEP: the rows stay as they are: the protocol of data-protection work itself (requests,
  legal holds, erasures), which the centre must be able to show (GDPR Art. 5(2)).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache

from django.apps import apps
from django.db.models import F, Model, QuerySet, Value
from django.db.models.functions import TruncYear

PARTICIPANT = "participants.Participant"

# What the name fields of an anonymised case read.
ANONYMISED_NAME = "Anonymisiert"


class Erasure(StrEnum):
    DELETE = "delete"
    ANONYMISE = "anonymise"
    AUDIT = "audit"
    KEEP = "keep"


@dataclass(frozen=True)
class PersonalData:
    """How one model's rows of a participant are found, exported and erased."""

    label: str  # "app_label.ModelName"
    # Lookup from the model to its participant: "participant", "request__participant"; "" for Participant.
    path: str
    erasure: Erasure
    # ANONYMISE (and AUDIT with after_audit=ANONYMISE): field -> value or expression written over it.
    anonymise: Mapping[str, object] = field(default_factory=dict)
    after_audit: Erasure | None = None
    # Rows of the person that must not be deleted yet (evidence still needed elsewhere).
    keep: Callable[[QuerySet], QuerySet] | None = None
    # File fields whose stored files are removed with the rows.
    files: tuple[str, ...] = ()
    # Bookkeeping fields that say nothing about the person (left out of the export).
    export_exclude: frozenset[str] = frozenset()
    # Why the rows are kept (AUDIT, KEEP).
    reason: str = ""

    @property
    def model(self) -> type[Model]:
        return apps.get_model(self.label)

    @property
    def history_model(self) -> type[Model] | None:
        history = getattr(self.model, "history", None)
        return getattr(history, "model", None)

    @property
    def restricted(self) -> bool:
        """Special-category data under professional secrecy: never exported or shared."""
        return self.model in restricted_models()

    def rows(self, participant) -> QuerySet:
        """The live rows of the participant (unscoped: callers are the privacy services)."""
        manager = self.model._base_manager
        if not self.path:
            return manager.filter(pk=participant.pk)
        return manager.filter(**{self.path: participant})

    def history_rows(self, participant) -> QuerySet | None:
        """Every history row about the participant, also of rows deleted long ago
        (a household member removed last year still has its history)."""
        history = self.history_model
        if history is None:
            return None
        manager = history._base_manager
        if not self.path:
            return manager.filter(id=participant.pk)
        first, _, rest = self.path.partition("__")
        if not rest:
            return manager.filter(**{f"{first}_id": participant.pk})
        parent = entry_for(self.model._meta.get_field(first).related_model)
        return manager.filter(**{f"{first}_id__in": parent.all_ids(participant)})

    def all_ids(self, participant) -> set:
        """Primary keys of the participant's rows, live or only in the history."""
        ids = set(self.rows(participant).values_list("pk", flat=True))
        history = self.history_rows(participant)
        if history is not None:
            ids |= set(history.values_list("id", flat=True))
        return ids


@dataclass(frozen=True)
class NoPersonalData:
    label: str
    reason: str


def _proof_documents(rows: QuerySet) -> QuerySet:
    """Documents that prove an aid payment: kept as long as the aid records are."""
    proof = apps.get_model("aid.AidProof")
    return rows.filter(pk__in=proof._base_manager.values("document_id"))


BLANK_TEXT = Value("")

# The order is the order of erasure: what protects (PROTECT, RESTRICT) a row goes before it,
# and the participant row last.
REGISTRY: list[PersonalData] = [
    # Psychological support (restricted, see mira.psychology.selectors.restricted_models).
    PersonalData("psychology.SupportNote", "referral__participant", Erasure.DELETE),
    PersonalData("psychology.PsychologicalReferral", "participant", Erasure.DELETE),
    # The roadmap: the signed scan (documents) is RESTRICTed by its version.
    PersonalData("roadmap.Roadmap", "participant", Erasure.DELETE, export_exclude=frozenset({"created_by"})),
    PersonalData("roadmap.RoadmapVersion", "roadmap__participant", Erasure.DELETE),
    PersonalData("roadmap.Goal", "version__roadmap__participant", Erasure.DELETE, export_exclude=frozenset({"key"})),
    PersonalData("roadmap.GoalStatusChange", "goal__version__roadmap__participant", Erasure.DELETE),
    PersonalData("roadmap.RoadmapOffer", "version__roadmap__participant", Erasure.DELETE),
    PersonalData("roadmap.RoadmapShare", "version__roadmap__participant", Erasure.DELETE),
    # Accompaniment.
    PersonalData("accompaniment.TaskAttachment", "task__participant", Erasure.DELETE),
    PersonalData(
        "accompaniment.Task",
        "participant",
        Erasure.DELETE,
        export_exclude=frozenset({"sort_order", "template_step", "deadline_rule"}),
    ),
    PersonalData(
        "accompaniment.ProgrammeApplication",
        "participant",
        Erasure.ANONYMISE,
        anonymise={"reference": BLANK_TEXT, "notes": BLANK_TEXT},
    ),
    # Consents go before the documents: the signed form is PROTECTed by its consent.
    PersonalData("privacy.Consent", "participant", Erasure.DELETE),
    # In-kind aid: the funder audits the payments, so the records stay for the audit period,
    # the person reduced to the case number (the case row is anonymised); then the texts go.
    PersonalData(
        "aid.AidProof",
        "request__participant",
        Erasure.AUDIT,
        after_audit=Erasure.DELETE,
        reason="proof of an aid payment for the funder's audit",
    ),
    PersonalData(
        "aid.AidItem",
        "request__participant",
        Erasure.AUDIT,
        after_audit=Erasure.ANONYMISE,
        anonymise={"description": BLANK_TEXT, "supplier": BLANK_TEXT},
        reason="line item of an aid payment for the funder's audit",
    ),
    PersonalData(
        "aid.AidTransition",
        "request__participant",
        Erasure.AUDIT,
        after_audit=Erasure.ANONYMISE,
        anonymise={"comment": BLANK_TEXT},
        reason="approval and payment trail for the funder's audit",
    ),
    PersonalData(
        "aid.AidRequest",
        "participant",
        Erasure.AUDIT,
        after_audit=Erasure.ANONYMISE,
        anonymise={"justification": BLANK_TEXT, "cancellation_reason": BLANK_TEXT, "payment_reference": BLANK_TEXT},
        export_exclude=frozenset({"version", "budget"}),
        reason="aid request and payment for the funder's audit",
    ),
    PersonalData(
        "documents.Document",
        "participant",
        Erasure.DELETE,
        keep=_proof_documents,
        files=("file",),
        export_exclude=frozenset({"uuid", "file", "sha256"}),
    ),
    # The household and the calendar.
    PersonalData("participants.HouseholdMember", "participant", Erasure.DELETE),
    PersonalData(
        "counselling.Appointment",
        "participant",
        Erasure.DELETE,
        export_exclude=frozenset({"uid", "sequence", "centre", "created_by", "reminder_sent_at"}),
    ),
    # The timeline tells the story of the case in names and titles.
    PersonalData("participants.CaseEvent", "participant", Erasure.DELETE),
    # Counted in the programme's figures: kept without what was said.
    PersonalData(
        "counselling.CounsellingSession",
        "participant",
        Erasure.ANONYMISE,
        anonymise={"notes": BLANK_TEXT, "next_steps": BLANK_TEXT, "interpreter_other": BLANK_TEXT},
    ),
    PersonalData("network.Referral", "participant", Erasure.ANONYMISE, anonymise={"notes": BLANK_TEXT}),
    # The read log keeps the case number only.
    PersonalData(
        "privacy.AccessLog",
        "participant",
        Erasure.ANONYMISE,
        anonymise={"participant": None},
        export_exclude=frozenset({"user", "centre", "case_number", "object_id", "path"}),
    ),
    # The PDFs of the data-subject export made for the person: the files go with the case.
    PersonalData(
        "privacy.DataSubjectExport",
        "request__participant",
        Erasure.DELETE,
        export_exclude=frozenset({"centre", "content", "size"}),
    ),
    # The protocol of data-protection work on the case.
    PersonalData(
        "privacy.DataSubjectRequest",
        "participant",
        Erasure.KEEP,
        export_exclude=frozenset({"centre", "case_number"}),
        reason="proof that the request was answered (GDPR Art. 5(2), 12)",
    ),
    PersonalData(
        "privacy.LegalHold",
        "participant",
        Erasure.KEEP,
        reason="protocol of why the case was kept beyond its retention period",
    ),
    PersonalData(
        "privacy.ErasedCase",
        "participant",
        Erasure.KEEP,
        export_exclude=frozenset({"erased_by_run", "audit_cleared_by_run"}),
        reason="record that and when the case was erased",
    ),
    # Last: the case itself keeps what the statistics count (centre, case number, gender,
    # nationality, year of birth, residence status, referral source, district, return
    # country, stage and dates); names, contact, address and free texts go.
    PersonalData(
        PARTICIPANT,
        "",
        Erasure.ANONYMISE,
        anonymise={
            "first_name": BLANK_TEXT,
            "last_name": Value(ANONYMISED_NAME),
            "first_name_original": BLANK_TEXT,
            "last_name_original": BLANK_TEXT,
            "name_keys": BLANK_TEXT,
            "date_of_birth": TruncYear("date_of_birth"),
            "languages": BLANK_TEXT,
            "needs_interpreter": Value(False),
            "interpreter_language": BLANK_TEXT,
            "street": BLANK_TEXT,
            "postcode": BLANK_TEXT,
            "city": BLANK_TEXT,
            "phone": BLANK_TEXT,
            "email": BLANK_TEXT,
            "residence_valid_until": None,
            "referral_source_detail": BLANK_TEXT,
            "vulnerabilities": BLANK_TEXT,
            "return_region": BLANK_TEXT,
            "planned_departure": None,
            "withdrawal_reason": BLANK_TEXT,
            "notes": BLANK_TEXT,
            # An edit form opened before the erasure cannot write the old data back.
            "version": F("version") + 1,
        },
        export_exclude=frozenset({"name_keys", "version", "centre"}),
    ),
]

NOT_PERSONAL_DATA: list[NoPersonalData] = [
    NoPersonalData("accounts.User", "staff accounts, not data subjects of this feature"),
    NoPersonalData("accounts.Centre", "the counselling centres"),
    NoPersonalData("participants.CaseNumberCounter", "the last case number handed out per centre and year"),
    NoPersonalData("counselling.Interpreter", "the centre's interpreters (contractors), kept by the coordinators"),
    NoPersonalData("counselling.CalendarFeedToken", "a staff member's calendar feed secret"),
    NoPersonalData("network.Organisation", "the directory of partner organisations"),
    NoPersonalData("network.Offer", "the directory of offers"),
    NoPersonalData("accompaniment.ChecklistTemplate", "the centre's checklist templates"),
    NoPersonalData("accompaniment.ChecklistTemplateStep", "steps of the checklist templates"),
    NoPersonalData("accompaniment.DeadlineRule", "the programme deadlines"),
    NoPersonalData("aid.FundingSource", "the funding sources"),
    NoPersonalData("aid.Budget", "the centre's budgets"),
    NoPersonalData("privacy.DeletionRun", "the protocol of deletion runs: case numbers and counts, no personal data"),
]


@cache
def _entries_by_label() -> dict[str, PersonalData]:
    return {entry.label: entry for entry in REGISTRY}


def entry_for(model: type[Model]) -> PersonalData | None:
    return _entries_by_label().get(model._meta.label)


def restricted_models() -> tuple[type[Model], ...]:
    """The models that never appear in an export (mira.psychology decides which)."""
    try:
        from mira.psychology.selectors import restricted_models as psychology_restricted
    except ImportError:
        return ()
    return tuple(psychology_restricted())


def history_companions(history_model: type[Model]) -> list[type[Model]]:
    """The history tables of many-to-many fields that hang on a history table (simple-history's
    m2m_fields): their rows point to the history row through a field named "history"."""
    companions = []
    for model in apps.get_models():
        if not hasattr(model, "instance_type"):
            continue
        try:
            link = model._meta.get_field("history")
        except Exception:  # noqa: S112 (not a history companion)
            continue
        if getattr(link, "related_model", None) is history_model:
            companions.append(model)
    return companions


def models_reaching_participant() -> list[type[Model]]:
    """Every concrete model of the project (history tables included) with a path of foreign
    keys to participants.Participant, and Participant itself: the models that hold personal data."""
    participant = apps.get_model(PARTICIPANT)
    reaching: set = {participant}
    project_models = [
        model
        for model in apps.get_models()
        if model._meta.app_config.name.startswith("mira.") and not model._meta.proxy
    ]
    changed = True
    while changed:
        changed = False
        for model in project_models:
            if model in reaching:
                continue
            history_of = getattr(model, "instance_type", None)
            targets = [f.related_model for f in model._meta.concrete_fields if f.is_relation]
            if history_of in reaching or any(target in reaching for target in targets):
                reaching.add(model)
                changed = True
    return sorted(reaching, key=lambda model: model._meta.label)
