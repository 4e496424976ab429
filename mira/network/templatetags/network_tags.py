from django import template

from mira.core.geo import country_name, language_name
from mira.network.forms import ReferralStatusForm
from mira.network.models import ReferralStatus
from mira.network.selectors import referrals_of_case

register = template.Library()

STATUS_BADGES = {
    ReferralStatus.SUGGESTED: "text-bg-secondary",
    ReferralStatus.CONTACTED: "text-bg-info",
    ReferralStatus.ACCEPTED: "text-bg-primary",
    ReferralStatus.COMPLETED: "text-bg-success",
    ReferralStatus.DECLINED: "text-bg-light border",
}


@register.filter
def country(code: str) -> str:
    return country_name(code)


@register.filter
def languages(codes: str) -> str:
    return ", ".join(language_name(code) for code in codes.split())


@register.filter
def referral_badge(status: str) -> str:
    return STATUS_BADGES.get(status, "text-bg-secondary")


@register.inclusion_tag("network/_case_referrals.html", takes_context=True)
def case_referrals(context, participant):
    """The referrals card of the case page: {% load network_tags %}{% case_referrals participant %}

    Lists the case's referrals (open first) with a warning on open referrals abroad
    whose consent to sharing with partners abroad is no longer valid, a "refer"
    button and a status form per open referral, for those who may change them.
    """
    request = context.get("request")
    user = request.user
    referrals = referrals_of_case(participant)
    can_change = user.has_perm("network.change_referral", participant)
    for referral in referrals:
        referral.status_form = (
            ReferralStatusForm(referral=referral, without_consent=referral.consent_warning)
            if can_change and referral.is_open
            else None
        )
    return {
        "participant": participant,
        "referrals": referrals,
        "can_add": user.has_perm("network.add_referral", participant) and participant.is_open,
        "request": request,
        "next": request.get_full_path(),
    }
