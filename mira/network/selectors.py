"""Reads of the network directory and of referrals.

The directory is not centre-scoped; referral queries run inside the centre
scope (django-scopes), so another centre's referrals are never found.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from mira.network.models import REFERRAL_OPEN, Offer, Organisation, Referral
from mira.privacy.models import Consent, ConsentPurpose


@dataclass(frozen=True)
class OrganisationFilter:
    text: str = ""
    country: str = ""
    region: str = ""
    type: str = ""
    sector: str = ""
    coaches_after_return: bool = False
    include_inactive: bool = False


def _words(text: str) -> list[str]:
    return [word for word in text.split() if word][:8]


def organisation_list(*, filters: OrganisationFilter = OrganisationFilter()) -> QuerySet[Organisation]:
    """Organisations matching the filters, each with `offer_count` (its active offers).

    The text matches every word against name, city, region, services and the
    titles and descriptions of the organisation's offers.
    """
    organisations = Organisation.objects.all()
    if not filters.include_inactive:
        organisations = organisations.filter(active=True)
    if filters.country:
        organisations = organisations.filter(country=filters.country)
    if filters.region:
        organisations = organisations.filter(region__icontains=filters.region)
    if filters.type:
        organisations = organisations.filter(type=filters.type)
    if filters.coaches_after_return:
        organisations = organisations.filter(coaches_after_return=True)
    if filters.sector:
        organisations = organisations.filter(
            Exists(Offer.objects.filter(organisation=OuterRef("pk"), sector=filters.sector, active=True))
        )
    for word in _words(filters.text):
        in_offers = Offer.objects.filter(organisation=OuterRef("pk")).filter(
            Q(title__icontains=word) | Q(description__icontains=word) | Q(target_group__icontains=word)
        )
        organisations = organisations.filter(
            Q(name__icontains=word)
            | Q(city__icontains=word)
            | Q(region__icontains=word)
            | Q(services__icontains=word)
            | Q(reference__icontains=word)
            | Exists(in_offers)
        )
    return organisations.annotate(offer_count=Count("offers", filter=Q(offers__active=True))).order_by("name", "pk")


@dataclass(frozen=True)
class OfferFilter:
    text: str = ""
    country: str = ""
    region: str = ""
    kind: str = ""
    sector: str = ""
    valid_on: datetime.date | None = None
    include_inactive: bool = False


def offer_list(*, filters: OfferFilter = OfferFilter()) -> QuerySet[Offer]:
    offers = Offer.objects.select_related("organisation")
    if not filters.include_inactive:
        offers = offers.filter(active=True, organisation__active=True)
    if filters.country:
        offers = offers.filter(country=filters.country)
    if filters.region:
        offers = offers.filter(region__icontains=filters.region)
    if filters.kind:
        offers = offers.filter(kind=filters.kind)
    if filters.sector:
        offers = offers.filter(sector=filters.sector)
    if filters.valid_on:
        offers = offers.filter(_valid_on(filters.valid_on))
    for word in _words(filters.text):
        offers = offers.filter(
            Q(title__icontains=word)
            | Q(description__icontains=word)
            | Q(target_group__icontains=word)
            | Q(organisation__name__icontains=word)
            | Q(organisation__city__icontains=word)
        )
    return offers.order_by("country", "title", "pk")


def _valid_on(day: datetime.date) -> Q:
    return (
        Q(active=True, organisation__active=True)
        & (Q(valid_from__isnull=True) | Q(valid_from__lte=day))
        & (Q(valid_until__isnull=True) | Q(valid_until__gte=day))
    )


def offers_of(organisation: Organisation) -> QuerySet[Offer]:
    return organisation.offers.order_by("-active", "title", "pk")


# Weights of offers_suggested_for: a region match outweighs any other single match.
RANK_REGION = 8
RANK_SECTOR = 4
RANK_KIND = 4
RANK_TEXT = 2


def offers_suggested_for(
    *,
    country: str,
    region: str = "",
    sectors: list[str] = (),
    kinds: list[str] = (),
    text: str = "",
    on: datetime.date | None = None,
) -> list[Offer]:
    """Offers valid on `on` (default today) in `country`, best match first.

    The country must match. Each offer scores: its region equals `region`
    (case-insensitive) +8; its sector is in `sectors` +4; its kind is in `kinds`
    +4; per word of `text` found in title, description, target group or the
    organisation's name or services +2. Ties: organisations that coach after
    return first, then title. Offers without a region count as country-wide and
    score no region points.
    """
    if not country:
        return []
    day = on or timezone.localdate()
    candidates = list(
        Offer.objects.select_related("organisation").filter(_valid_on(day), country=country.upper()).order_by("pk")
    )
    wanted_region = region.strip().casefold()
    wanted_sectors = set(sectors)
    wanted_kinds = set(kinds)
    words = [word.casefold() for word in _words(text)]

    def score(offer: Offer) -> int:
        points = 0
        if wanted_region and offer.region.strip().casefold() == wanted_region:
            points += RANK_REGION
        if offer.sector and offer.sector in wanted_sectors:
            points += RANK_SECTOR
        if offer.kind in wanted_kinds:
            points += RANK_KIND
        if words:
            haystack = " ".join(
                [
                    offer.title,
                    offer.description,
                    offer.target_group,
                    offer.organisation.name,
                    offer.organisation.services,
                ]
            ).casefold()
            points += RANK_TEXT * sum(1 for word in words if word in haystack)
        return points

    ranked = [(score(offer), offer) for offer in candidates]
    ranked.sort(key=lambda item: (-item[0], not item[1].organisation.coaches_after_return, item[1].title.casefold()))
    return [offer for _points, offer in ranked]


# -- referrals ---------------------------------------------------------------


def _with_consent(referrals: QuerySet[Referral], day: datetime.date) -> QuerySet[Referral]:
    """Annotates `partner_sharing_consent`: the participant's consent to sharing with partners
    abroad is valid on `day` (the same condition as privacy.selectors.consent_is_valid).
    The subquery is tied to a row of the (scoped) outer query, so it uses the plain manager: the
    scoped one would join the case again and make PostgreSQL hash every consent of the centre."""
    valid_consent = Consent._base_manager.filter(
        participant=OuterRef("participant"), purpose=ConsentPurpose.PARTNER_SHARING, given_on__lte=day
    ).filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day))
    return referrals.annotate(partner_sharing_consent=Exists(valid_consent))


def referral_needs_consent_warning(referral: Referral) -> bool:
    """An open referral abroad whose participant's consent is not (or no longer) valid.
    Needs a referral with `partner_sharing_consent` (from the selectors here, or referrals_with_consent)."""
    return referral.is_open and referral.is_abroad and not referral.partner_sharing_consent


def referrals_of_case(participant) -> list[Referral]:
    """The case's referrals, open ones first; each with `consent_warning`."""
    referrals = _with_consent(
        Referral.objects.filter(participant=participant).select_related("organisation", "offer"),
        timezone.localdate(),
    )
    result = list(referrals)
    for referral in result:
        referral.consent_warning = referral_needs_consent_warning(referral)
    result.sort(key=lambda r: (not r.is_open, -r.suggested_on.toordinal(), -r.pk))
    return result


@dataclass(frozen=True)
class ReferralFilter:
    status: str = ""
    country: str = ""
    counsellor_id: int | None = None
    open_only: bool = False
    consent_missing: bool = False


def referral_list(*, filters: ReferralFilter = ReferralFilter()) -> QuerySet[Referral]:
    """Referrals of the active centre scope, newest first; `consent_missing` keeps open
    referrals abroad without a valid consent to sharing with partners abroad.

    The consent is not annotated on the list (PostgreSQL would check it for every referral of
    the centre, not just for the page shown): call referrals_with_consent on the rows shown."""
    referrals = Referral.objects.select_related(
        "participant", "participant__assigned_counsellor", "organisation", "offer", "created_by"
    )
    if filters.status:
        referrals = referrals.filter(status=filters.status)
    if filters.open_only or filters.consent_missing:
        referrals = referrals.filter(status__in=REFERRAL_OPEN)
    if filters.country:
        referrals = referrals.filter(Q(organisation__country=filters.country) | Q(offer__country=filters.country))
    if filters.counsellor_id:
        referrals = referrals.filter(participant__assigned_counsellor_id=filters.counsellor_id)
    if filters.consent_missing:
        abroad = ~Q(organisation__country="DE") | (
            Q(offer__isnull=False) & ~Q(offer__country="DE") & ~Q(offer__country="")
        )
        referrals = _with_consent(referrals, timezone.localdate()).filter(abroad, partner_sharing_consent=False)
    return referrals.order_by("-suggested_on", "-pk")


def referrals_with_consent(referrals, *, day: datetime.date | None = None) -> list[Referral]:
    """Sets `partner_sharing_consent` and `consent_warning` on the given referrals (a page of
    referral_list), with one query for all of them."""
    referrals = list(referrals)
    day = day or timezone.localdate()
    participant_ids = {referral.participant_id for referral in referrals}
    with_consent = set(
        Consent.objects.filter(
            participant_id__in=participant_ids, purpose=ConsentPurpose.PARTNER_SHARING, given_on__lte=day
        )
        .filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day))
        .values_list("participant_id", flat=True)
    )
    for referral in referrals:
        referral.partner_sharing_consent = referral.participant_id in with_consent
        referral.consent_warning = referral_needs_consent_warning(referral)
    return referrals


def referral_get(*, pk: int) -> QuerySet[Referral]:
    """The queryset to look one referral up in (scoped, with what its page shows)."""
    return _with_consent(
        Referral.objects.select_related("participant", "organisation", "offer", "created_by").filter(pk=pk),
        timezone.localdate(),
    )


def open_referral_exists(*, participant, organisation: Organisation, offer: Offer | None) -> bool:
    return Referral.objects.filter(
        participant=participant, organisation=organisation, offer=offer, status__in=REFERRAL_OPEN
    ).exists()
