"""Timeline entries that referrals write on the case (see participants.events)."""

from django.utils.translation import gettext_lazy as _

from mira.network.models import ReferralStatus
from mira.participants.events import register_event_kind


def _status_label(data: dict) -> dict:
    labels = dict(ReferralStatus.choices)
    return {**data, "status": labels.get(data.get("status"), data.get("status", ""))}


register_event_kind("referral_created", _("Referred to %(target)s"), "signpost", _status_label)
register_event_kind(
    "referral_status_changed", _("Referral to %(target)s: status now “%(status)s”"), "signpost", _status_label
)
