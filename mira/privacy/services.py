"""Writes of the privacy app: consents, the read-access log, legal holds, deletion runs and
data-subject requests."""

import calendar
import datetime
import logging
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mira.documents.models import DocumentCategory
from mira.documents.services import document_create
from mira.documents.validation import validate_upload
from mira.participants.events import case_event_log
from mira.privacy.erasure import case_erase, erasure_blockers
from mira.privacy.models import (
    AccessLog,
    Consent,
    ConsentPurpose,
    DataSubjectExport,
    DataSubjectRequest,
    DeletionRun,
    ErasedCase,
    ExportStatus,
    LegalHold,
    RequestKind,
    RequestStatus,
    RunStatus,
    RunTrigger,
    export_keep_duration,
)

logger = logging.getLogger(__name__)


def access_log_record(*, request: HttpRequest, participant, what: str, object_id: str | int = "") -> AccessLog:
    """Records that request.user read something of a case (the read-access log)."""
    return AccessLog.objects.create(
        user=request.user,
        centre_id=participant.centre_id,
        participant=participant,
        case_number=participant.case_number,
        what=what,
        object_id=str(object_id),
        path=request.path[:300],
    )


def consent_record(
    *,
    participant,
    purpose: str,
    given_on: datetime.date,
    language: str,
    actor,
    notes: str = "",
    signed_form_file=None,
) -> Consent:
    """Records a consent the participant gave for one purpose.

    Consents of one purpose never overlap: a new one can be recorded only after the
    previous one was withdrawn, and not from a day before that withdrawal.
    Side effects: the signed form, if given, becomes a document of the case
    (category "consent", via document_create); a timeline entry is written.
    Errors are raised as ValidationError keyed by field.
    """
    today = timezone.localdate()
    errors = {}
    if given_on and given_on > today:
        errors["given_on"] = _("The date cannot lie in the future.")
    if signed_form_file is not None:
        try:
            validate_upload(signed_form_file)
        except ValidationError as error:
            errors["signed_form"] = error.error_list
    consent = Consent(
        participant=participant,
        purpose=purpose,
        given_on=given_on,
        language=language,
        notes=(notes or "").strip(),
        recorded_by=actor,
    )
    consent._history_user = actor
    try:
        consent.full_clean(exclude=["signed_form"])
    except ValidationError as error:
        errors = {**error.message_dict, **errors}
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            # Lock the case so two people recording the same purpose at once cannot both pass the overlap check.
            type(participant).objects.select_for_update().filter(pk=participant.pk).first()
            _check_no_overlap(participant=participant, purpose=purpose, given_on=given_on)
            if signed_form_file is not None:
                consent.signed_form = document_create(
                    participant=participant,
                    uploaded_file=signed_form_file,
                    title=_("Consent form: %(purpose)s") % {"purpose": ConsentPurpose(purpose).label},
                    category=DocumentCategory.CONSENT,
                    actor=actor,
                )
            consent.save()
            case_event_log(
                participant=participant,
                kind="consent_recorded",
                actor=actor,
                purpose=purpose,
                given_on=given_on.isoformat(),
            )
    except BaseException:
        # The database forgot the document; the stored file must go too.
        if consent.signed_form_id is not None:
            consent.signed_form.file.storage.delete(consent.signed_form.file.name)
        raise
    return consent


def _check_no_overlap(*, participant, purpose: str, given_on: datetime.date) -> None:
    for earlier in Consent.objects.filter(participant=participant, purpose=purpose):
        if earlier.withdrawn_on is None:
            raise ValidationError(
                {
                    "given_on": _(
                        "A consent for this purpose has been in force since %(date)s. "
                        "Record its withdrawal first if it is to be replaced."
                    )
                    % {"date": date_format(earlier.given_on, "SHORT_DATE_FORMAT")}
                }
            )
        if earlier.withdrawn_on > given_on:
            raise ValidationError(
                {
                    "given_on": _(
                        "The earlier consent for this purpose was withdrawn on %(date)s; "
                        "a new one cannot start before that day."
                    )
                    % {"date": date_format(earlier.withdrawn_on, "SHORT_DATE_FORMAT")}
                }
            )


def consent_withdraw(*, consent: Consent, withdrawn_on: datetime.date, actor, notes: str = "") -> Consent:
    """Records that the participant withdrew a consent (from withdrawn_on on it is no longer valid).

    Side effects: a timeline entry; the history of the consent keeps the earlier state.
    """
    with transaction.atomic():
        consent = Consent.objects.select_for_update().get(pk=consent.pk)
        errors = {}
        if consent.withdrawn_on is not None:
            errors["withdrawn_on"] = _("This consent was already withdrawn on %(date)s.") % {
                "date": date_format(consent.withdrawn_on, "SHORT_DATE_FORMAT")
            }
        elif withdrawn_on > timezone.localdate():
            errors["withdrawn_on"] = _("The date cannot lie in the future.")
        elif withdrawn_on < consent.given_on:
            errors["withdrawn_on"] = _("The withdrawal cannot lie before the consent was given (%(date)s).") % {
                "date": date_format(consent.given_on, "SHORT_DATE_FORMAT")
            }
        if errors:
            raise ValidationError(errors)
        consent.withdrawn_on = withdrawn_on
        consent.withdrawal_notes = (notes or "").strip()
        consent._history_user = actor
        consent.full_clean()
        consent.save()
        case_event_log(
            participant=consent.participant,
            kind="consent_withdrawn",
            actor=actor,
            purpose=consent.purpose,
            withdrawn_on=withdrawn_on.isoformat(),
        )
    return consent


# --- Legal hold ------------------------------------------------------------------------------


def legal_hold_set(*, participant, reason: str, actor) -> LegalHold:
    """Exempts the case from deletion until the hold is lifted. Side effect: a timeline entry."""
    reason = (reason or "").strip()
    with transaction.atomic():
        # Locked like the erasure locks it: the hold and a running erasure never cross.
        participant = type(participant)._base_manager.select_for_update().get(pk=participant.pk)
        if LegalHold._base_manager.filter(participant=participant, lifted_at__isnull=True).exists():
            raise ValidationError({"case_number": _("This case is already on legal hold.")})
        if ErasedCase._base_manager.filter(participant=participant).exists():
            raise ValidationError({"case_number": _("The personal data of this case has already been erased.")})
        hold = LegalHold(participant=participant, reason=reason, set_by=actor)
        hold.full_clean()
        hold.save()
        case_event_log(participant=participant, kind="legal_hold_set", actor=actor)
    return hold


def legal_hold_lift(*, hold: LegalHold, reason: str, actor) -> LegalHold:
    """Ends a legal hold; the case is erased by the next run if its period is over.
    Side effect: a timeline entry."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"lift_reason": _("Say why the hold ends, e.g. the court case was decided.")})
    with transaction.atomic():
        hold = LegalHold._base_manager.select_for_update().get(pk=hold.pk)
        if hold.lifted_at is not None:
            raise ValidationError({"lift_reason": _("This hold has already been lifted.")})
        hold.lifted_at = timezone.now()
        hold.lifted_by = actor
        hold.lift_reason = reason
        hold.full_clean()
        hold.save()
        case_event_log(participant=hold.participant, kind="legal_hold_lifted", actor=actor)
    return hold


# --- Deletion runs ----------------------------------------------------------------------------


def deletion_run_request(*, centre, actor) -> DeletionRun:
    """Queues a deletion run of the centre now (the data protection officer's "run now");
    the worker executes it. Refused while another run of the centre waits or runs."""
    from mira.privacy.tasks import run_retention

    with transaction.atomic():
        type(centre)._base_manager.select_for_update().get(pk=centre.pk)
        if DeletionRun._base_manager.filter(centre=centre, status__in=(RunStatus.QUEUED, RunStatus.RUNNING)).exists():
            raise ValidationError(_("A deletion run of this centre is already waiting or running."))
        run = DeletionRun._base_manager.create(centre=centre, trigger=RunTrigger.MANUAL, requested_by=actor)
        transaction.on_commit(partial(run_retention.enqueue, run_id=run.pk))
    return run


def deletion_run_execute(*, run: DeletionRun, today: datetime.date | None = None) -> DeletionRun:
    """Erases every case of the run's centre that is due and clears the aid records whose
    audit period is over, each case in its own transaction; writes the protocol.
    A case that fails is listed with its error; the others go on."""
    from mira.privacy.selectors import cases_due_for_audit_clearing, cases_due_for_erasure, retention_periods

    periods = retention_periods()
    run.status = RunStatus.RUNNING
    run.started_at = timezone.now()
    run.retention_years = periods.years_after_close
    run.audit_years = periods.audit_years
    run.save()
    totals: dict[str, dict[str, int]] = {}
    try:
        for participant in list(cases_due_for_erasure(centre_id=run.centre_id, today=today)):
            counts = _erase_one(run, participant, audit_period_over=False)
            if counts is not None:
                run.erased_cases.append(participant.case_number)
                _merge(totals, counts)
        for erased in list(cases_due_for_audit_clearing(centre_id=run.centre_id, today=today)):
            counts = _erase_one(run, erased.participant, audit_period_over=True)
            if counts is not None:
                run.audit_cleared_cases.append(erased.case_number)
                _merge(totals, counts)
    except Exception as error:
        logger.exception("Deletion run %s failed", run.pk)
        run.errors.append({"case_number": "", "message": str(error)[:500]})
        run.status = RunStatus.FAILED
    else:
        run.status = RunStatus.FINISHED
    run.counts = totals
    run.finished_at = timezone.now()
    run.save()
    return run


def _erase_one(run: DeletionRun, participant, *, audit_period_over: bool) -> dict | None:
    try:
        return case_erase(participant=participant, run=run, audit_period_over=audit_period_over)
    except ValidationError as error:
        run.errors.append({"case_number": participant.case_number, "message": " ".join(error.messages)})
    except Exception as error:
        logger.exception("Erasing case %s failed", participant.case_number)
        run.errors.append({"case_number": participant.case_number, "message": str(error)[:500]})
    return None


def _merge(totals: dict, counts: dict) -> None:
    for label, actions in counts.items():
        into = totals.setdefault(label, {})
        for action, number in actions.items():
            into[action] = into.get(action, 0) + number


def scheduled_deletion_runs(*, today: datetime.date | None = None) -> list[DeletionRun]:
    """The scheduled job: one run per centre and day (later calls the same day do nothing),
    so the data protection officer finds a protocol for every day the job ran."""
    from mira.accounts.models import Centre

    today = today or timezone.localdate()
    runs = []
    for centre in Centre.objects.order_by("code"):
        already = DeletionRun._base_manager.filter(
            centre=centre, trigger=RunTrigger.SCHEDULED, queued_at__date=today
        ).exists()
        if already:
            continue
        run = DeletionRun._base_manager.create(centre=centre, trigger=RunTrigger.SCHEDULED)
        runs.append(deletion_run_execute(run=run, today=today))
    return runs


# --- Data-subject requests -------------------------------------------------------------------


def add_one_month(day: datetime.date) -> datetime.date:
    """GDPR Art. 12(3): within one month — the same day of the next month, or its last day."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def data_subject_request_record(
    *, centre, case_number: str, kind: str, received_on: datetime.date, actor, notes: str = ""
) -> DataSubjectRequest:
    """Records a request of a data subject; the answer is due one month after receipt.
    Side effect: a timeline entry on the case (the kind only)."""
    from mira.privacy.selectors import case_in_centre

    errors = {}
    participant = case_in_centre(centre_id=centre.pk, case_number=case_number or "")
    if participant is None:
        errors["case_number"] = _("There is no case with this number in your counselling centre.")
    if received_on and received_on > timezone.localdate():
        errors["received_on"] = _("The date cannot lie in the future.")
    request = DataSubjectRequest(
        centre=centre,
        participant=participant,
        case_number=participant.case_number if participant else (case_number or "").strip(),
        kind=kind,
        received_on=received_on,
        due_on=add_one_month(received_on) if received_on else None,
        notes=(notes or "").strip(),
        recorded_by=actor,
    )
    try:
        request.full_clean(exclude=["participant"] if participant is None else None)
    except ValidationError as error:
        errors = {**error.message_dict, **errors}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        request._history_user = actor
        request.save()
        case_event_log(participant=participant, kind="data_subject_request_received", actor=actor, request_kind=kind)
    return request


def data_subject_request_close(*, request: DataSubjectRequest, status: str, outcome: str, actor) -> DataSubjectRequest:
    """Completes or refuses an open request with what was done (a refusal needs its reason).
    Side effect: a timeline entry on the case."""
    outcome = (outcome or "").strip()
    if status not in (RequestStatus.COMPLETED, RequestStatus.REFUSED):
        raise ValidationError({"status": _("Choose whether the request was completed or refused.")})
    if status == RequestStatus.REFUSED and not outcome:
        raise ValidationError({"outcome": _("Give the reason for the refusal; the person must be told it.")})
    with transaction.atomic():
        request = DataSubjectRequest._base_manager.select_for_update().get(pk=request.pk)
        if request.status != RequestStatus.OPEN:
            raise ValidationError({"status": _("This request has already been closed.")})
        request.status = status
        request.outcome = outcome
        request.handled_by = actor
        request.completed_on = timezone.localdate()
        request._history_user = actor
        request.full_clean()
        request.save()
        case_event_log(
            participant=request.participant,
            kind="data_subject_request_closed",
            actor=actor,
            request_kind=request.kind,
            status=status,
        )
    return request


def data_subject_export_log(*, request: DataSubjectRequest, http_request: HttpRequest) -> AccessLog:
    """Every data-subject export is logged as a read of the case (what="export")."""
    return access_log_record(
        request=http_request, participant=request.participant, what=AccessLog.What.EXPORT, object_id=request.pk
    )


# --- The data-subject export as a PDF, made by the worker -----------------------------------


# An export still waiting or being made after this long will not finish (its worker was stopped).
STALE_EXPORT = datetime.timedelta(minutes=30)


def data_subject_export_request(*, request: DataSubjectRequest, language: str, actor) -> DataSubjectExport:
    """Queues the PDF of the data-subject export in `language`; the worker makes it
    (mira.privacy.tasks.make_data_subject_export). While one in this language waits or is being
    made, asking again returns that one instead of a second."""
    from mira.privacy.tasks import make_data_subject_export

    if language not in {code for code, _name in settings.LANGUAGES}:
        raise ValidationError(_("There is no translation of the export in this language."))
    with transaction.atomic():
        DataSubjectRequest._base_manager.select_for_update().get(pk=request.pk)
        pending = DataSubjectExport._base_manager.filter(
            request=request, language=language, status__in=(ExportStatus.QUEUED, ExportStatus.RUNNING)
        ).first()
        if pending is not None and pending.requested_at > timezone.now() - STALE_EXPORT:
            return pending
        if pending is not None:
            # Its worker stopped while making it (a restart): it will not finish.
            pending.status = ExportStatus.FAILED
            pending.save(update_fields=["status"])
        export = DataSubjectExport._base_manager.create(
            centre_id=request.centre_id, request=request, language=language, requested_by=actor
        )
        transaction.on_commit(partial(make_data_subject_export.enqueue, export_id=export.pk))
    return export


def data_subject_export_make(*, export: DataSubjectExport) -> DataSubjectExport:
    """The worker's part: makes the PDF of a queued export and keeps it for its download.
    An export already taken by another worker, or deleted with its case meanwhile, is left alone."""
    from mira.privacy.exporters import export_pdf

    taken = DataSubjectExport._base_manager.filter(pk=export.pk, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING
    )
    if not taken:
        return export
    try:
        content = export_pdf(participant=export.request.participant, language=export.language)
    except Exception:
        logger.exception("The data-subject export %s failed", export.pk)
        DataSubjectExport._base_manager.filter(pk=export.pk).update(
            status=ExportStatus.FAILED, finished_at=timezone.now()
        )
    else:
        DataSubjectExport._base_manager.filter(pk=export.pk, status=ExportStatus.RUNNING).update(
            status=ExportStatus.READY, content=content, size=len(content), finished_at=timezone.now()
        )
    export.refresh_from_db()
    return export


def data_subject_export_fetch(*, export: DataSubjectExport, http_request: HttpRequest) -> bytes:
    """Hands out the file of a ready export once: the download clears it from the database and is
    logged as a read of the case (what="export")."""
    with transaction.atomic():
        export = DataSubjectExport._base_manager.select_for_update().get(pk=export.pk)
        if export.status == ExportStatus.READY and timezone.now() > export.keep_until:
            # Waited too long: deleted now, before the scheduled job comes by.
            export.status, export.content = ExportStatus.EXPIRED, None
            export.save(update_fields=["status", "content"])
        content = None
        if export.status == ExportStatus.READY:
            content = bytes(export.content)
            export.content = None
            export.status = ExportStatus.FETCHED
            export.fetched_by = http_request.user
            export.fetched_at = timezone.now()
            export.save(update_fields=["content", "status", "fetched_by", "fetched_at"])
            data_subject_export_log(request=export.request, http_request=http_request)
    if export.status == ExportStatus.FETCHED and content is None:
        raise ValidationError(_("This PDF has already been downloaded and was then deleted. Make a new one."))
    if content is None:
        raise ValidationError(_("This PDF is no longer kept. Make a new one."))
    return content


def data_subject_exports_expire(*, now: datetime.datetime | None = None) -> int:
    """The scheduled job: deletes the files that waited longer than MIRA_EXPORT_KEEP_HOURS for
    their download. Returns how many."""
    cutoff = (now or timezone.now()) - export_keep_duration()
    return DataSubjectExport._base_manager.filter(status=ExportStatus.READY, finished_at__lt=cutoff).update(
        status=ExportStatus.EXPIRED, content=None
    )


def data_subject_request_erase(*, request: DataSubjectRequest, actor) -> DeletionRun:
    """Erases the case of an erasure request through the same machinery as the retention
    runs (case_erase), protocolled as a deletion run, and completes the request.

    Refused while the case is open or on legal hold. Aid records within the funder's audit
    period are kept, reduced to the case number; the outcome says until when.
    """
    from mira.privacy.selectors import retention_periods, years_after

    if request.kind != RequestKind.ERASURE:
        raise ValidationError(_("Only an erasure request erases the case."))
    if request.status != RequestStatus.OPEN:
        raise ValidationError(_("This request has already been closed."))
    participant = request.participant
    if ErasedCase._base_manager.filter(participant=participant).exists():
        raise ValidationError(_("The personal data of this case has already been erased."))
    blockers = erasure_blockers(participant=participant)
    if blockers:
        raise ValidationError(blockers)
    with transaction.atomic():
        run = DeletionRun._base_manager.create(
            centre_id=request.centre_id,
            trigger=RunTrigger.REQUEST,
            requested_by=actor,
            data_subject_request=request,
            status=RunStatus.RUNNING,
            started_at=timezone.now(),
        )
        periods = retention_periods()
        audit_over = years_after(participant.closed_on, periods.audit_years) <= timezone.localdate()
        counts = case_erase(participant=participant, run=run, audit_period_over=audit_over)
        run.erased_cases = [participant.case_number]
        run.counts = counts
        run.retention_years = periods.years_after_close
        run.audit_years = periods.audit_years
        run.status = RunStatus.FINISHED
        run.finished_at = timezone.now()
        run.save()
        erased = ErasedCase._base_manager.get(participant=participant)
        if erased.audit_cleared_at is None:
            outcome = _(
                "Personal data erased. The aid records are kept until %(date)s for the funder's audit, "
                "reduced to the case number."
            ) % {"date": date_format(years_after(participant.closed_on, periods.audit_years), "SHORT_DATE_FORMAT")}
        else:
            outcome = _("Personal data erased.")
        data_subject_request_close(request=request, status=RequestStatus.COMPLETED, outcome=outcome, actor=actor)
    return run
