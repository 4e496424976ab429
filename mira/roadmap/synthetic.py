"""Synthetic return roadmaps at federal scale: a roadmap for every case that reached the roadmap
stage, with its binding goals and chosen offers; agreed on the day the plan says (on paper with
a scan, or on the tablet), some revised once; shared with the coaching partner in the return
country and with German authorities; after the departure the goals are reached, missed or in
progress, recorded as status changes (by the partner's coach where the partner owns the goal).
"""

import base64
import datetime
import io
import uuid

from mira.core.synthetic import SyntheticContext, bulk_insert, row
from mira.documents.models import Document, DocumentCategory
from mira.participants.models import CaseEvent, Stage
from mira.roadmap.demo import (
    EVIDENCE,
    GERMAN_BODIES,
    GOALS,
    MISSED_REASONS,
    PARTNER_COMMENTS,
    PARTNER_EVIDENCE,
    PERSONAL,
    PLANS,
    PROFESSIONAL,
    QUALIFICATIONS,
    SECTORS,
    SITUATIONS,
)
from mira.roadmap.models import (
    AgreementMethod,
    Goal,
    GoalOwner,
    GoalStatus,
    GoalStatusChange,
    Phase,
    RecipientKind,
    Roadmap,
    RoadmapOffer,
    RoadmapShare,
    RoadmapVersion,
    VersionState,
)

REVISED_SHARE = 0.15
TABLET_SHARE = 0.4
SIGNATURE_VARIANTS = 8
# Days relative to the departure at which goals of each phase fall due.
DUE_OFFSETS = {
    Phase.BEFORE_DEPARTURE: (-25, -5),
    Phase.TRAVEL: (-2, 0),
    Phase.FIRST_MONTHS: (30, 90),
    Phase.LATER_MONTHS: (120, 330),
}


def generate(ctx: SyntheticContext) -> None:
    signatures = [_signature_png(seed) for seed in range(SIGNATURE_VARIANTS)]
    partners = ctx.extra.get("network_partners", {})
    names = ctx.extra.get("organisation_names", {})
    for chunk in ctx.chunks():
        cases = [case for case in chunk if case.reached(Stage.ROADMAP_DEVELOPMENT)]
        roadmaps = bulk_insert(
            Roadmap,
            [row(Roadmap, participant_id=case.pk, created_at=ctx.moment(case.stage_dates[Stage.ROADMAP_DEVELOPMENT]),
                     created_by_id=case.counsellor_id) for case in cases],
        )  # fmt: skip
        scans, versions, plans = [], [], []
        for case, roadmap in zip(cases, roadmaps, strict=True):
            plan = _plan(ctx, case, partners)
            plans.append(plan)
            for number, state, agreed_on in plan["versions"]:
                version = _version(ctx, case, roadmap, plan, number, state, agreed_on, signatures)
                versions.append((version, case, plan))
                if version.agreement_method == AgreementMethod.PAPER:
                    scans.append((version, _scan(ctx, case, number, agreed_on)))
        documents = bulk_insert(Document, [scan for _version, scan in scans])
        for (version, _document), document in zip(scans, documents, strict=True):
            version.signed_document_id = document.pk
        created = bulk_insert(RoadmapVersion, [version for version, _case, _plan in versions])
        goals, chosen, shares, events = [], [], [], []
        for version, (_, case, plan) in zip(created, versions, strict=True):
            _events_of_version(ctx, case, version, plan, events)
            if version.state == VersionState.AGREED:
                shares += _shares(ctx, case, version, plan, names, events)
            for position, (key, goal_key) in enumerate(zip(plan["goals"], plan["goal_keys"], strict=True)):
                goals.append((_goal(ctx, case, version, plan, key, goal_key, position), case, plan))
            for position, offer in enumerate(plan["offers"]):
                chosen.append(row(RoadmapOffer, version_id=version.pk, offer_id=offer.pk, title=offer.title,
                                           organisation_name=names.get(offer.organisation_id, ""), kind=offer.kind,
                                           position=position))  # fmt: skip
        bulk_insert(RoadmapOffer, chosen)
        bulk_insert(RoadmapShare, shares)
        created_goals = bulk_insert(Goal, [goal for goal, _case, _plan in goals])
        changes = []
        for goal, (_, case, plan) in zip(created_goals, goals, strict=True):
            if goal.status != GoalStatus.OPEN:
                by_partner = goal.owner == GoalOwner.PARTNER and plan["coach_id"] and plan["shared_with_partner"]
                actor = plan["coach_id"] if by_partner else case.counsellor_id
                organisation = goal.owner_organisation_id if by_partner else None
                comment = ctx.random.choice(PARTNER_COMMENTS) if by_partner else ""
                changes.append(row(GoalStatusChange, goal_id=goal.pk, at=goal.status_changed_at, by_id=actor,
                                                organisation_id=organisation, old_status=GoalStatus.OPEN,
                                                new_status=goal.status, comment=comment))  # fmt: skip
                events.append(row(CaseEvent, participant_id=case.pk, kind="roadmap_goal_status", actor_id=actor,
                                        at=goal.status_changed_at,
                                        data={"title": goal.title, "old": GoalStatus.OPEN, "new": goal.status,
                                              "comment": comment,
                                              "organisation": names.get(organisation, "") if organisation else ""}))  # fmt: skip
        bulk_insert(GoalStatusChange, changes)
        bulk_insert(CaseEvent, events)


def _plan(ctx: SyntheticContext, case, partners: dict) -> dict:
    """What the case's roadmap looks like: its versions, goals, offers and partner."""
    rng = ctx.random
    started = case.stage_dates[Stage.ROADMAP_DEVELOPMENT]
    agreed = case.stage_dates.get(Stage.GOALS_AGREED)
    versions = []
    if agreed is None:
        versions.append((1, VersionState.DRAFT, None))
    elif rng.random() < REVISED_SHARE and (agreed - started).days > 4:
        first = started + datetime.timedelta(days=(agreed - started).days // 2)
        versions += [(1, VersionState.SUPERSEDED, first), (2, VersionState.AGREED, agreed)]
    else:
        versions.append((1, VersionState.AGREED, agreed))
    partner = rng.choice(partners[case.country]) if partners.get(case.country) else None
    goals = list(PLANS[rng.randrange(len(PLANS))])
    if case.household_size < 2:
        goals = [key for key in goals if key != "school"]
    if agreed is None:
        goals = goals[: rng.randint(0, len(goals))]
    pool = ctx.extra.get("network_offers", {}).get(case.country, [])
    choice = rng.randrange(len(PROFESSIONAL))
    return {
        "versions": versions,
        "goals": goals,
        # A goal keeps its key across versions (the comparison matches goals by it).
        "goal_keys": [uuid.UUID(int=rng.getrandbits(128), version=4) for _ in goals],
        "offers": rng.sample(pool, k=min(len(pool), rng.randint(1, 3))) if pool and goals else [],
        "partner_id": partner.pk if partner else None,
        "coach_id": ctx.extra.get("coaches", {}).get(partner.pk) if partner else None,
        "shared_with_partner": False,
        "choice": choice,
        "started": started,
        "departure": case.departure or case.planned_departure,
    }


def _version(ctx, case, roadmap, plan, number, state, agreed_on, signatures) -> RoadmapVersion:
    rng = ctx.random
    choice = plan["choice"]
    family = (
        f"Reist mit {case.household_size} Familienangehörigen zurück."
        if case.household_size
        else "Reist allein zurück."
    )
    created = plan["started"] if number == 1 else plan["versions"][0][2]
    version = row(
        RoadmapVersion,
        roadmap_id=roadmap.pk,
        number=number,
        state=state,
        current_situation=rng.choice(SITUATIONS),
        professional_wishes=PROFESSIONAL[choice],
        personal_wishes=rng.choice(PERSONAL),
        family_situation=family,
        qualifications=QUALIFICATIONS[choice],
        wished_sectors=SECTORS[choice],
        destination_country=case.country,
        destination_region=case.region,
        destination_city=case.region,
        created_at=ctx.moment(created),
        created_by_id=case.counsellor_id,
        updated_at=ctx.moment(agreed_on or created),
    )
    if agreed_on:
        tablet = rng.random() < TABLET_SHARE
        version.agreed_on = agreed_on
        version.agreement_method = AgreementMethod.TABLET if tablet else AgreementMethod.PAPER
        version.participant_signed = version.counsellor_signed = True
        if tablet:
            version.participant_signature = rng.choice(signatures)
            version.counsellor_signature = rng.choice(signatures)
        version.agreed_by_id = case.counsellor_id
        version.agreed_at = ctx.moment(agreed_on)
        if state == VersionState.SUPERSEDED:
            version.superseded_at = ctx.moment(plan["versions"][1][2])
    return version


def _scan(ctx, case, number: int, agreed_on: datetime.date) -> Document:
    key = uuid.UUID(int=ctx.random.getrandbits(128), version=4)
    return row(
        Document,
        uuid=key,
        participant_id=case.pk,
        title=f"Unterschriebener Fahrplan, Version {number}",
        category=DocumentCategory.CONSENT,
        file=f"cases/{case.centre_id}/{key}",
        original_filename=f"Fahrplan_{case.case_number}_v{number}.pdf",
        content_type="application/pdf",
        size=ctx.random.randint(80_000, 900_000),
        sha256=f"{ctx.random.getrandbits(256):064x}",
        uploaded_by_id=case.counsellor_id,
        uploaded_at=ctx.moment(agreed_on),
    )


def _goal(ctx, case, version, plan, key, goal_key, position) -> Goal:
    rng = ctx.random
    title, measure, owner, phase, translations = GOALS[key]
    partner_id = plan["partner_id"]
    if owner == GoalOwner.PARTNER and not partner_id:
        owner = GoalOwner.COUNSELLOR
    departure = plan["departure"] or ctx.days(60)
    low, high = DUE_OFFSETS[phase]
    due = departure + datetime.timedelta(days=rng.randint(low, high))
    goal = row(
        Goal,
        version_id=version.pk,
        key=goal_key,
        phase=phase,
        title=title,
        title_translated=translations.get(case.language, "") if case.language != "de" else "",
        measure=measure,
        owner=owner,
        owner_organisation_id=partner_id if owner == GoalOwner.PARTNER else None,
        due_on=due,
        position=position,
    )
    if version.state != VersionState.AGREED:
        return goal
    if due < ctx.today and case.departure:
        by_partner = owner == GoalOwner.PARTNER and plan["shared_with_partner"]
        if by_partner or rng.random() < 0.85:
            goal.status = GoalStatus.REACHED
            goal.evidence_note = rng.choice(PARTNER_EVIDENCE if by_partner else EVIDENCE)
        else:
            goal.status = GoalStatus.MISSED
            goal.status_reason = rng.choice(MISSED_REASONS)
        goal.status_changed_at = ctx.moment(min(ctx.today, due + datetime.timedelta(days=rng.randint(0, 5))))
    elif case.is_open and due < ctx.days(45) and rng.random() < 0.5:
        goal.status = GoalStatus.IN_PROGRESS
        goal.status_changed_at = ctx.moment(max(version.agreed_on, ctx.days(-rng.randint(0, 20))))
    return goal


def _shares(ctx, case, version, plan, names, events) -> list[RoadmapShare]:
    """The agreed version's shares: with the coaching partner (the consents are given by the
    privacy generator when the case reached this stage) and, for some, with a German body."""
    rng = ctx.random
    day = case.stage_dates.get(Stage.ROADMAP_SHARED)
    if day is None:
        return []
    shares = []
    if plan["partner_id"]:
        plan["shared_with_partner"] = True
        name = names.get(plan["partner_id"], "")
        shares.append(
            row(
                RoadmapShare,
                version_id=version.pk,
                recipient_kind=RecipientKind.PARTNER,
                organisation_id=plan["partner_id"],
                recipient_name=name,
                purpose="Reintegrationscoaching nach der Rückkehr",
                consent_purposes="partner_sharing secrecy_release",
                case_open=case.is_open,
                shared_at=ctx.moment(day),
                shared_by_id=case.counsellor_id,
            )  # fmt: skip
        )
    if rng.random() < 0.3:
        shares.append(
            row(
                RoadmapShare,
                version_id=version.pk,
                recipient_kind=RecipientKind.GERMAN_BODY,
                recipient_name=rng.choice(GERMAN_BODIES),
                purpose="Nachweis der geplanten freiwilligen Ausreise",
                pdf_handed_over=True,
                consent_purposes="secrecy_release",
                case_open=case.is_open,
                shared_at=ctx.moment(day),
                shared_by_id=case.counsellor_id,
            )  # fmt: skip
        )
    for share in shares:
        events.append(row(CaseEvent, participant_id=case.pk, kind="roadmap_shared", actor_id=case.counsellor_id,
                                at=share.shared_at,
                                data={"number": version.number, "recipient": share.recipient_name,
                                      "kind_code": share.recipient_kind, "pdf_handed_over": share.pdf_handed_over}))  # fmt: skip
    return shares


def _events_of_version(ctx, case, version, plan, events) -> None:
    actor = case.counsellor_id
    if version.number == 1:
        events.append(row(CaseEvent, participant_id=case.pk, kind="roadmap_started", actor_id=actor,
                                at=version.created_at, data={"number": 1}))  # fmt: skip
    else:
        events.append(row(CaseEvent, participant_id=case.pk, kind="roadmap_revision_started", actor_id=actor,
                                at=version.created_at, data={"number": version.number, "based_on": version.number - 1}))  # fmt: skip
    if version.agreed_on:
        events.append(row(CaseEvent, participant_id=case.pk, kind="roadmap_agreed", actor_id=actor, at=version.agreed_at,
                                data={"number": version.number, "goals": len(plan["goals"]),
                                      "method": version.agreement_method}))  # fmt: skip


def _signature_png(seed: int) -> str:
    """A synthetic squiggle standing in for a signature drawn on the tablet (small, as the pad sends it)."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (300, 90), 255)
    draw = ImageDraw.Draw(image)
    points = [(20 + step * 13, 55 - ((step * 37 + seed * 11) % 30)) for step in range(20)]
    draw.line(points, fill=0, width=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
