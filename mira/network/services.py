"""Writes of the network app: the directory and referrals.

Every function runs in one transaction and validates with full_clean() before
saving; referral changes are written to the case timeline.
"""

import datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mira.network.models import REFERRAL_DATE_FIELDS, Offer, Organisation, Referral, ReferralStatus
from mira.network.selectors import open_referral_exists
from mira.participants.events import case_event_log
from mira.participants.models import Participant
from mira.privacy.models import ConsentPurpose
from mira.privacy.selectors import consent_is_valid

# -- directory ---------------------------------------------------------------


def _require_manager_for_active_flag(instance, model, actor) -> None:
    """Only coordinators switch directory entries on and off."""
    if actor.has_perm("network.manage_directory"):
        return
    before = model.objects.filter(pk=instance.pk).values_list("active", flat=True).first() if instance.pk else True
    if before != instance.active:
        raise ValidationError({"active": _("Only the coordination may switch entries on or off.")})


def organisation_create(*, organisation: Organisation, actor) -> Organisation:
    with transaction.atomic():
        _require_manager_for_active_flag(organisation, Organisation, actor)
        organisation.full_clean()
        organisation.save()
    return organisation


def organisation_update(*, organisation: Organisation, actor) -> Organisation:
    with transaction.atomic():
        _require_manager_for_active_flag(organisation, Organisation, actor)
        organisation.full_clean()
        organisation.save()
    return organisation


def offer_create(*, offer: Offer, actor) -> Offer:
    with transaction.atomic():
        _require_manager_for_active_flag(offer, Offer, actor)
        offer.full_clean()
        offer.save()
    return offer


def offer_update(*, offer: Offer, actor) -> Offer:
    with transaction.atomic():
        _require_manager_for_active_flag(offer, Offer, actor)
        offer.full_clean()
        offer.save()
    return offer


# -- referrals ---------------------------------------------------------------

# Steps that pass the participant's data to the partner; abroad they need consent.
STATUSES_THAT_SHARE = frozenset({ReferralStatus.SUGGESTED, ReferralStatus.CONTACTED, ReferralStatus.ACCEPTED})


def _consent_error() -> str:
    return _(
        "A referral to a partner outside Germany needs the participant's valid consent to sharing "
        "with partner organisations abroad. Record the consent on the case first."
    )


def _require_consent_if_abroad(referral: Referral, day: datetime.date) -> None:
    if referral.is_abroad and not consent_is_valid(
        participant=referral.participant, purpose=ConsentPurpose.PARTNER_SHARING, on=day
    ):
        raise ValidationError({NON_FIELD_ERRORS: [_consent_error()]})


def _check_day(day: datetime.date, field: str, *, not_before: datetime.date | None = None) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("The date must not be in the future.")})
    if not_before and day < not_before:
        raise ValidationError(
            {field: _("The date must not be before %(day)s.") % {"day": not_before.strftime("%d.%m.%Y")}}
        )


def referral_create(
    *,
    participant,
    actor,
    organisation: Organisation | None = None,
    offer: Offer | None = None,
    suggested_on: datetime.date | None = None,
    notes: str = "",
) -> Referral:
    """Refers the case to an organisation or to an offer (whose organisation is then taken).

    Refused, with nothing saved: a closed case; an inactive organisation or an offer not
    valid on the day; an open referral to the same target; a target abroad without
    valid consent to sharing with partners abroad. Writes a timeline entry.
    """
    day = suggested_on or timezone.localdate()
    if offer is not None:
        if organisation is not None and organisation.pk != offer.organisation_id:
            raise ValidationError({"offer": _("The offer belongs to another organisation.")})
        organisation = offer.organisation
    if organisation is None:
        raise ValidationError({"offer": _("Choose an offer or an organisation.")})
    if not participant.is_open:
        raise ValidationError({NON_FIELD_ERRORS: [_("The case is closed; no new referrals can be made.")]})
    if not organisation.active:
        raise ValidationError({"organisation": _("This organisation is no longer active.")})
    if offer is not None and not offer.is_valid_on(day):
        raise ValidationError({"offer": _("This offer is not valid on the chosen date.")})
    _check_day(day, "suggested_on")
    referral = Referral(
        participant=participant,
        organisation=organisation,
        offer=offer,
        status=ReferralStatus.SUGGESTED,
        suggested_on=day,
        notes=notes,
        created_by=actor,
    )
    with transaction.atomic():
        # Two counsellors referring the same case at once: the second waits and sees the first.
        Participant.objects.select_for_update().filter(pk=participant.pk).first()
        _require_consent_if_abroad(referral, timezone.localdate())
        if open_referral_exists(participant=participant, organisation=organisation, offer=offer):
            raise ValidationError({NON_FIELD_ERRORS: [_("The case already has an open referral to this target.")]})
        referral.full_clean()
        referral.save()
        case_event_log(
            participant=participant,
            kind="referral_created",
            actor=actor,
            referral=referral.pk,
            target=referral.target_name,
            status=referral.status,
        )
    return referral


def referral_set_status(*, referral: Referral, status: str, actor, on: datetime.date | None = None) -> Referral:
    """The one way to change a referral's status.

    Moves forward along suggested → contacted → accepted → completed (steps may be
    skipped) or to declined while open; completed and declined are final. Sets the
    date field of the new status (`on`, default today; not in the future, not before
    the suggestion). Contacting or accepting a partner abroad needs valid consent to
    sharing with partners abroad; completing and declining do not (they share nothing).
    Writes a timeline entry.
    """
    day = on or timezone.localdate()
    with transaction.atomic():
        referral = (
            Referral.objects.select_for_update(of=("self",))
            .select_related("participant", "organisation", "offer")
            .get(pk=referral.pk)
        )
        if status not in referral.next_statuses():
            raise ValidationError(
                {
                    "status": _("A referral that is “%(old)s” cannot become “%(new)s”.")
                    % {"old": referral.get_status_display(), "new": ReferralStatus(status).label}
                    if status in ReferralStatus.values
                    else _("Unknown status.")
                }
            )
        _check_day(day, "on", not_before=referral.suggested_on)
        if status in STATUSES_THAT_SHARE:
            _require_consent_if_abroad(referral, timezone.localdate())
        referral.status = status
        setattr(referral, REFERRAL_DATE_FIELDS[status], day)
        referral.full_clean()
        referral.save()
        case_event_log(
            participant=referral.participant,
            kind="referral_status_changed",
            actor=actor,
            referral=referral.pk,
            target=referral.target_name,
            status=status,
        )
    return referral


def referral_update(*, referral: Referral, notes: str, actor) -> Referral:
    """Changes the remarks of a referral (the status goes through referral_set_status)."""
    with transaction.atomic():
        referral = Referral.objects.select_for_update(of=("self",)).get(pk=referral.pk)
        referral.notes = notes
        referral.full_clean()
        referral.save(update_fields=["notes", "updated_at"])
    return referral
