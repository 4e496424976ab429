"""Reads of the return roadmap. Staff queries run inside the centre scope; the partner
portal's queries widen the scope explicitly and filter by the shares of the organisation."""

import datetime
import re
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from django_scopes import scopes_disabled

from mira.core.pagination import CountedPaginator
from mira.participants.models import CLOSED_STAGES
from mira.privacy.models import Consent, ConsentPurpose
from mira.roadmap.models import (
    OPEN_STATUSES,
    Goal,
    GoalStatus,
    Phase,
    RecipientKind,
    Roadmap,
    RoadmapOffer,
    RoadmapShare,
    RoadmapVersion,
    VersionState,
)

# The consents each kind of share needs (checked when sharing and, for partners, on every
# access in the portal):
# - a partner organisation (usually abroad, often without an adequacy decision): consent to
#   the transfer (GDPR Art. 49(1)(a)) and the written release from professional secrecy
#   (§ 203 StGB);
# - an authority or other body in Germany: the release from professional secrecy.
REQUIRED_CONSENTS = {
    RecipientKind.PARTNER: (ConsentPurpose.PARTNER_SHARING, ConsentPurpose.SECRECY_RELEASE),
    RecipientKind.GERMAN_BODY: (ConsentPurpose.SECRECY_RELEASE,),
}
# Goals due within this many days (or overdue) are shown on the start page and reminded of.
REMINDER_DAYS = 7


# Signatures drawn on the tablet are PNG data URLs of several KB per version; lists of shares,
# goals or versions leave them out (only the agreement and the PDF show them).
SIGNATURE_FIELDS = ("participant_signature", "counsellor_signature")


def _without_signatures(prefix: str = "") -> list[str]:
    return [f"{prefix}{name}" for name in SIGNATURE_FIELDS]


def _valid_consent(day: datetime.date) -> Q:
    return Q(given_on__lte=day) & (Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day))


def missing_consents(*, participant, recipient_kind: str, on: datetime.date | None = None) -> dict[str, str]:
    """The consent purposes (code: label) a share with this kind of recipient still lacks."""
    day = on or timezone.localdate()
    required = REQUIRED_CONSENTS[recipient_kind]
    valid = set(
        Consent.objects.filter(_valid_consent(day), participant=participant, purpose__in=required).values_list(
            "purpose", flat=True
        )
    )
    labels = dict(ConsentPurpose.choices)
    return {purpose: labels[purpose] for purpose in required if purpose not in valid}


def consent_state_for_sharing(*, participant, on: datetime.date | None = None) -> dict[str, dict[str, str]]:
    """For each kind of recipient, the consents still missing (empty: sharing allowed)."""
    return {kind: missing_consents(participant=participant, recipient_kind=kind, on=on) for kind in REQUIRED_CONSENTS}


def roadmap_of(participant) -> Roadmap | None:
    return Roadmap.objects.filter(participant=participant).first()


def versions_of(roadmap: Roadmap) -> list[RoadmapVersion]:
    return list(roadmap.versions.defer(*_without_signatures()).annotate(goal_count=Count("goals")).order_by("-number"))


def _with_content(versions: QuerySet[RoadmapVersion]) -> QuerySet[RoadmapVersion]:
    return versions.prefetch_related(
        Prefetch("goals", queryset=Goal.objects.select_related("owner_organisation", "evidence_document")),
        Prefetch("offers", queryset=RoadmapOffer.objects.all()),
    )


def version_with_content(*, roadmap: Roadmap, number: int) -> RoadmapVersion | None:
    """A version with its goals (and their organisations) and offers loaded."""
    return _with_content(roadmap.versions.filter(number=number)).first()


def working_version(roadmap: Roadmap) -> RoadmapVersion | None:
    """The version the case page opens, with its content: the draft if there is one, else the
    agreed version (a roadmap has at most one of each)."""
    draft_first = Case(When(state=VersionState.DRAFT, then=Value(0)), default=Value(1))
    return _with_content(
        roadmap.versions.filter(state__in=[VersionState.DRAFT, VersionState.AGREED]).order_by(draft_first)
    ).first()


def agreed_version(roadmap: Roadmap) -> RoadmapVersion | None:
    return roadmap.versions.filter(state=VersionState.AGREED).first()


@dataclass
class PhaseGoals:
    phase: str
    label: str
    goals: list = field(default_factory=list)


def goals_by_phase(goals) -> list[PhaseGoals]:
    """Goals grouped by phase, phases in the order of the journey (every phase, even empty)."""
    groups = {phase: PhaseGoals(phase=phase, label=label) for phase, label in Phase.choices}
    for goal in goals:
        groups[goal.phase].goals.append(goal)
    return list(groups.values())


@dataclass
class GoalProgress:
    total: int = 0
    reached: int = 0
    missed: int = 0
    dropped: int = 0
    overdue: int = 0

    @property
    def open(self) -> int:
        return self.total - self.reached - self.missed - self.dropped

    @property
    def percent_reached(self) -> int:
        counted = self.total - self.dropped
        return round(100 * self.reached / counted) if counted else 0


def goal_progress(goals, *, today: datetime.date | None = None) -> GoalProgress:
    today = today or timezone.localdate()
    progress = GoalProgress()
    for goal in goals:
        progress.total += 1
        if goal.status == GoalStatus.REACHED:
            progress.reached += 1
        elif goal.status == GoalStatus.MISSED:
            progress.missed += 1
        elif goal.status == GoalStatus.DROPPED:
            progress.dropped += 1
        elif goal.due_on < today:
            progress.overdue += 1
    return progress


def shares_of(roadmap: Roadmap) -> list[RoadmapShare]:
    return list(
        RoadmapShare.objects.filter(version__roadmap=roadmap)
        .select_related("version", "organisation", "shared_by", "revoked_by")
        .defer(*_without_signatures("version__"))
        .order_by("-shared_at", "-id")
    )


def active_share_names(version: RoadmapVersion) -> list[str]:
    """Who the version is shared with now (newest share first), for the case page."""
    return list(
        RoadmapShare.objects.filter(version=version, revoked_at__isnull=True)
        .order_by("-shared_at", "-id")
        .values_list("recipient_name", flat=True)
    )


def _due_goals(*, today: datetime.date) -> QuerySet[Goal]:
    """Open goals of agreed roadmaps of open cases due within REMINDER_DAYS or overdue."""
    return Goal.objects.filter(
        version__state=VersionState.AGREED,
        status__in=OPEN_STATUSES,
        due_on__lte=today + datetime.timedelta(days=REMINDER_DAYS),
    ).exclude(version__roadmap__participant__stage__in=CLOSED_STAGES)


def goals_due_for(*, user, today: datetime.date | None = None) -> QuerySet[Goal]:
    """The goals of a counsellor's cases due within 7 days or overdue, most urgent first (the
    start-page card shows the first of them, the page of due goals all)."""
    today = today or timezone.localdate()
    return (
        _due_goals(today=today)
        .filter(version__roadmap__participant__assigned_counsellor=user)
        .select_related("version__roadmap__participant", "owner_organisation")
        # What the card shows: the case's roadmap texts and its fifty columns of master data
        # cost more to load than the query takes.
        .only(
            "id",
            "version_id",
            "title",
            "owner",
            "owner_organisation__name",
            "due_on",
            "status",
            "position",
            "version__number",
            "version__roadmap_id",
            "version__roadmap__participant_id",
            "version__roadmap__participant__case_number",
            "version__roadmap__participant__first_name",
            "version__roadmap__participant__last_name",
            "version__roadmap__participant__centre_id",
        )
        .order_by("due_on", "version__roadmap__participant__case_number", "position")
    )


def goals_to_remind(*, today: datetime.date) -> QuerySet[Goal]:
    """Due goals (all centres) not yet reminded of today; for the reminder job."""
    with scopes_disabled():
        return (
            _due_goals(today=today)
            .filter(Q(reminded_on__isnull=True) | Q(reminded_on__lt=today))
            .select_related("version__roadmap__participant__assigned_counsellor", "owner_organisation")
            .defer(*_without_signatures("version__"))
            .order_by("version__roadmap__participant__assigned_counsellor_id", "due_on", "pk")
        )


# -- offers ---------------------------------------------------------------------------------

_WORD = re.compile(r"[\w-]{5,}")


def offer_suggestions(version: RoadmapVersion, *, limit: int = 8) -> list:
    """Offers of the network for the destination, ranked by region, the sectors of interest
    and words of the stated wishes and qualifications; offers already chosen are left out."""
    from mira.network.selectors import offers_suggested_for

    if not version.destination_country:
        return []
    text = " ".join([version.professional_wishes, version.personal_wishes, version.qualifications])
    # Long words only, each once: short function words would match every offer.
    words = list(dict.fromkeys(word.casefold() for word in _WORD.findall(text)))[:40]
    chosen = {offer_id for offer_id in version.offers.values_list("offer_id", flat=True) if offer_id}
    suggestions = offers_suggested_for(
        country=version.destination_country,
        region=version.destination_region,
        sectors=version.wished_sector_codes,
        text=" ".join(words),
    )
    return [offer for offer in suggestions if offer.pk not in chosen][:limit]


# -- partner portal ---------------------------------------------------------------------------


def _partner_shares(organisation, day: datetime.date) -> QuerySet[RoadmapShare]:
    """The shares the organisation may see on `day`: active shares of agreed versions of open cases
    whose participant has every consent a partner share needs (a withdrawn consent ends the
    partner's access at once, whatever was shared before)."""
    # case_open lets PostgreSQL read the organisation's visible shares from their own index; the case's
    # stage is checked as well, so a share shows only while both say the case is open.
    shares = RoadmapShare.objects.filter(
        organisation=organisation,
        recipient_kind=RecipientKind.PARTNER,
        revoked_at__isnull=True,
        case_open=True,
        version__state=VersionState.AGREED,
    ).exclude(version__roadmap__participant__stage__in=CLOSED_STAGES)
    # The consents are checked in the same query, one EXISTS per purpose: a page of an
    # organisation holding hundreds of shares is then one query with its count.
    for purpose in REQUIRED_CONSENTS[RecipientKind.PARTNER]:
        shares = shares.filter(
            Exists(
                Consent.objects.filter(
                    _valid_consent(day), participant_id=OuterRef("version__roadmap__participant_id"), purpose=purpose
                )
            )
        )
    return shares


def partner_shares_page(*, organisation, number, per_page: int, on: datetime.date | None = None) -> Page:
    """Page `number` of the shares a partner organisation may see now, in the order of the case
    numbers, with case and version. Empty for an inactive organisation.

    An organisation coaching the returnees of a whole country holds hundreds of shares: their ids
    and number come in one narrow query (the consents checked once, in it), then the page's shares
    by id."""
    with scopes_disabled():
        if organisation is None or not organisation.active:
            return Paginator([], per_page).get_page(number)
        visible = (
            _partner_shares(organisation, on or timezone.localdate())
            .order_by("version__roadmap__participant__case_number", "pk")
            .only("pk")
        )
        page = CountedPaginator(visible, per_page).get_page(number)
        shares = (
            RoadmapShare.objects.filter(pk__in=[share.pk for share in page.object_list])
            .select_related("version__roadmap__participant__centre")
            .defer(*_without_signatures("version__"))
            .in_bulk()
        )
    page.object_list = [shares[share.pk] for share in page.object_list]
    return page


def partner_share_goal_counts(shares: list[RoadmapShare], *, organisation) -> list[RoadmapShare]:
    """Sets `goal_count` and `own_open_goals` (open goals the organisation is responsible for)
    on each share, with one query for all of them."""
    with scopes_disabled():
        counts = {
            row["version_id"]: row
            for row in Goal.objects.filter(version_id__in={share.version_id for share in shares})
            .values("version_id")
            .annotate(
                total=Count("id"),
                own_open=Count("id", filter=Q(owner_organisation=organisation, status__in=OPEN_STATUSES)),
            )
            .order_by()
        }
    for share in shares:
        row = counts.get(share.version_id, {})
        share.goal_count = row.get("total", 0)
        share.own_open_goals = row.get("own_open", 0)
    return shares


def partner_share_get(*, organisation, pk: int, on: datetime.date | None = None) -> RoadmapShare | None:
    """One share the organisation may see now (same rules as partner_shares), with the
    version's goals and offers; None if it is another organisation's, revoked, or the
    consent was withdrawn."""
    if organisation is None or not organisation.active:
        return None
    with scopes_disabled():
        return (
            _partner_shares(organisation, on or timezone.localdate())
            .filter(pk=pk)
            .select_related("version__roadmap__participant__centre")
            .prefetch_related(
                Prefetch("version__goals", queryset=Goal.objects.select_related("owner_organisation")),
                Prefetch("version__offers", queryset=RoadmapOffer.objects.all()),
            )
            .first()
        )


def partner_goal_get(*, share: RoadmapShare, goal_pk: int) -> Goal | None:
    """A goal of the shared version that the share's organisation is responsible for."""
    with scopes_disabled():
        return (
            Goal.objects.filter(version=share.version, pk=goal_pk, owner_organisation=share.organisation)
            .select_related("version__roadmap__participant")
            .first()
        )


def goal_status_history(goal: Goal) -> list:
    with scopes_disabled():
        return list(goal.status_changes.select_related("by", "organisation"))
