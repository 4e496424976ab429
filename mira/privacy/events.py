"""Timeline entries of the privacy app."""

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from mira.participants.events import register_event_kind
from mira.privacy.models import ConsentPurpose


def _consent_labels(data: dict) -> dict:
    labels = dict(ConsentPurpose.choices)
    shown = {**data, "purpose": labels.get(data.get("purpose"), data.get("purpose", ""))}
    for key in ("given_on", "withdrawn_on"):
        if data.get(key):
            shown[key] = date_format(datetime.date.fromisoformat(data[key]), "SHORT_DATE_FORMAT")
    return shown


register_event_kind(
    "consent_recorded", _("Consent recorded: %(purpose)s (given on %(given_on)s)"), "shield-check", _consent_labels
)
register_event_kind(
    "consent_withdrawn", _("Consent withdrawn: %(purpose)s (as of %(withdrawn_on)s)"), "shield-x", _consent_labels
)


def _trigger_label(data: dict) -> dict:
    from mira.privacy.models import RunTrigger

    return {"trigger": dict(RunTrigger.choices).get(data.get("trigger"), "")}


def _request_labels(data: dict) -> dict:
    from mira.privacy.models import RequestKind, RequestStatus

    return {
        "kind": dict(RequestKind.choices).get(data.get("request_kind"), ""),
        "status": dict(RequestStatus.choices).get(data.get("status"), ""),
    }


register_event_kind(
    "case_erased",
    _("Personal data of the case erased (%(trigger)s); the case is kept anonymised for the statistics"),
    "eraser",
    _trigger_label,
)
register_event_kind(
    "case_audit_records_cleared",
    _("The audit period is over: the aid records were cleared (%(trigger)s)"),
    "eraser",
    _trigger_label,
)
register_event_kind("legal_hold_set", _("Legal hold set: the case is exempt from deletion"), "lock")
register_event_kind("legal_hold_lifted", _("Legal hold lifted"), "unlock")
register_event_kind("data_subject_request_received", _("Data-subject request received: %(kind)s"), "envelope-paper",
                    _request_labels)  # fmt: skip
register_event_kind("data_subject_request_closed", _("Data-subject request closed (%(status)s): %(kind)s"), "envelope-check",
                    _request_labels)  # fmt: skip
