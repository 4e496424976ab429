"""The erasure of a case's personal data: one function for the retention deletion run and
for an erasure on request. It walks the registry of personal data (mira.core.personal_data)
and nothing else, so a model that joins the registry is erased with the rest."""

import logging
from collections import defaultdict
from functools import partial

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mira.core.personal_data import REGISTRY, Erasure, PersonalData, history_companions
from mira.participants.events import case_event_log
from mira.participants.models import CLOSED_STAGES, Participant
from mira.privacy.models import DeletionRun, ErasedCase, LegalHold

logger = logging.getLogger(__name__)


class Counts:
    """Rows touched per model label: {"app.Model": {"deleted": n, "anonymised": n, "history": n}}."""

    def __init__(self):
        self.by_label: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def add(self, label: str, action: str, number: int) -> None:
        if number:
            self.by_label[label][action] += number

    def as_dict(self) -> dict:
        return {label: dict(actions) for label, actions in sorted(self.by_label.items())}


def case_erase(*, participant: Participant, run: DeletionRun, audit_period_over: bool = False) -> dict:
    """Erases the personal data of one closed case, following the registry.

    First erasure: DELETE rows go with their history and stored files, ANONYMISE rows are
    blanked and lose their history, AUDIT rows (aid and payments) stay as they are, the
    person reduced to the case number. With audit_period_over (the funder's audit period
    has passed since the case was closed) the AUDIT rows get their after-audit treatment too.

    Refused (ValidationError) while the case is open or on legal hold. Side effects: the
    ErasedCase record, a timeline entry "erased", stored files removed after commit.
    Returns the counts per model label. Runs in one transaction: all or nothing.
    """
    with transaction.atomic():
        # Locked: a legal hold set at this moment waits for the erasure, or the erasure for it.
        current = Participant._base_manager.select_for_update().get(pk=participant.pk)
        if current.stage not in CLOSED_STAGES:
            raise ValidationError(_("The case is still open; close or withdraw it before its data is erased."))
        if LegalHold._base_manager.filter(participant=current, lifted_at__isnull=True).exists():
            raise ValidationError(_("The case is on legal hold; lift the hold before its data is erased."))
        erased = ErasedCase._base_manager.filter(participant=current).first()
        if erased is not None and (erased.audit_cleared_at or not audit_period_over):
            return {}
        counts = Counts()
        files: list[tuple] = []
        for entry in REGISTRY:
            # A second pass (the audit period is over) touches only what the first one kept.
            if erased is not None and entry.erasure != Erasure.AUDIT and entry.keep is None:
                continue
            action = _action(entry, audit_period_over)
            if action == Erasure.DELETE:
                _delete(entry, current, counts, files)
            elif action == Erasure.ANONYMISE:
                _anonymise(entry, current, counts)
        now = timezone.now()
        audit_left = not audit_period_over and audit_records_exist(participant=current)
        if erased is None:
            erased = ErasedCase(participant=current, case_number=current.case_number, erased_at=now, erased_by_run=run)
        if audit_period_over or not audit_left:
            erased.audit_cleared_at = now
            erased.audit_cleared_by_run = run
        erased.full_clean()
        erased.save()
        case_event_log(
            participant=current,
            kind="case_erased" if not audit_period_over else "case_audit_records_cleared",
            actor=run.requested_by,
            trigger=run.trigger,
        )
        for storage, name in files:
            transaction.on_commit(partial(_remove_file, storage, name))
    return counts.as_dict()


def _action(entry: PersonalData, audit_period_over: bool) -> Erasure:
    if entry.erasure == Erasure.AUDIT:
        return entry.after_audit if audit_period_over else Erasure.KEEP
    return entry.erasure


def _delete(entry: PersonalData, participant, counts: Counts, files: list) -> None:
    rows = entry.rows(participant)
    kept_ids = set(entry.keep(rows).values_list("pk", flat=True)) if entry.keep else set()
    if kept_ids:
        rows = rows.exclude(pk__in=kept_ids)
    for name in entry.files:
        storage = entry.model._meta.get_field(name).storage
        files.extend((storage, stored) for stored in rows.values_list(name, flat=True) if stored)
    _number, per_model = rows.delete()
    for label, number in per_model.items():
        counts.add(label, "deleted", number)
    # After the delete: simple-history writes a "-" row for every deleted instance.
    _purge_history(entry, participant, counts, exclude_ids=kept_ids)


def _anonymise(entry: PersonalData, participant, counts: Counts) -> None:
    number = entry.rows(participant).update(**entry.anonymise)
    counts.add(entry.label, "anonymised", number)
    _purge_history(entry, participant, counts)


def _purge_history(entry: PersonalData, participant, counts: Counts, exclude_ids=()) -> None:
    history = entry.history_rows(participant)
    if history is None:
        return
    if exclude_ids:
        history = history.exclude(id__in=exclude_ids)
    history_ids = list(history.values_list("history_id", flat=True))
    for companion in history_companions(entry.history_model):
        number, _ = companion._base_manager.filter(history_id__in=history_ids).delete()
        counts.add(companion._meta.label, "history", number)
    number, _ = entry.history_model._base_manager.filter(history_id__in=history_ids).delete()
    counts.add(entry.label, "history", number)


def _remove_file(storage, name: str) -> None:
    try:
        (storage or default_storage).delete(name)
    except OSError:
        logger.exception("Could not remove the stored file %s of an erased case", name)


def erasure_blockers(*, participant: Participant) -> list[str]:
    """Why the case cannot be erased now (empty if it can)."""
    blockers = []
    if participant.stage not in CLOSED_STAGES:
        blockers.append(_("The case is still open; close or withdraw it before its data is erased."))
    if LegalHold._base_manager.filter(participant=participant, lifted_at__isnull=True).exists():
        blockers.append(_("The case is on legal hold; lift the hold before its data is erased."))
    return blockers


def audit_records_exist(*, participant: Participant) -> bool:
    """Whether the case has records that are kept for the funder's audit period."""
    return any(entry.rows(participant).exists() for entry in REGISTRY if entry.erasure == Erasure.AUDIT)


def is_erased(*, participant: Participant) -> bool:
    return ErasedCase._base_manager.filter(participant=participant).exists()
