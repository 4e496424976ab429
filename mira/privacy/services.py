"""Writes of the privacy app: consents and the read-access log."""

import datetime

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
from mira.privacy.models import AccessLog, Consent, ConsentPurpose


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
