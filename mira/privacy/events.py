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
