"""Timeline entries of in-kind aid on the case (registered once, imported in AidConfig.ready)."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from mira.aid.models import ProofKind
from mira.participants.events import register_event_kind


def _amounts(data: dict) -> dict:
    from mira.aid.services import euro

    prepared = dict(data)
    try:
        prepared["total"] = euro(Decimal(data.get("total", "0")))
    except InvalidOperation:
        prepared["total"] = data.get("total", "")
    if "proof_kind" in data:
        prepared["proof_kind"] = dict(ProofKind.choices).get(data["proof_kind"], data["proof_kind"])
    return prepared


register_event_kind("aid_created", _("Aid request %(number)s written (%(total)s)"), "basket", _amounts)
register_event_kind("aid_submitted", _("Aid request %(number)s submitted for approval (%(total)s)"), "send", _amounts)
register_event_kind(
    "aid_approved", _("Aid request %(number)s approved (%(total)s, booked on %(source)s)"), "check2-circle", _amounts
)
register_event_kind("aid_rejected", _("Aid request %(number)s rejected: %(reason)s"), "x-circle", _amounts)
register_event_kind("aid_ordered", _("Aid request %(number)s ordered"), "cart-check", _amounts)
register_event_kind(
    "aid_paid", _("Aid request %(number)s paid (%(total)s, reference %(reference)s)"), "cash-coin", _amounts
)
register_event_kind("aid_proof_added", _("Proof added to aid request %(number)s: %(proof_kind)s"), "receipt", _amounts)
register_event_kind("aid_delivered", _("Aid request %(number)s delivered"), "box-seam", _amounts)
register_event_kind("aid_closed", _("Aid request %(number)s closed"), "archive", _amounts)
register_event_kind("aid_cancelled", _("Aid request %(number)s cancelled: %(reason)s"), "slash-circle", _amounts)
