"""Synthetic cases at federal scale: participants opened over the last four years, each with a
planned life (stage dates, counselling contacts, departure, closing), household members, the
case file's change history and the timeline entries of the stage plan.

A case opened long ago has usually returned and been closed; a recent one is still in
counselling. With the default durations about a fifth of the cases are open, as in a
programme that has run for years.
"""

import datetime

from mira.core.geo import is_residential_postcode, thuringia_postcodes
from mira.core.synthetic import CHUNK_SIZE, SyntheticCase, SyntheticContext, bulk_insert, history_rows, row, spread
from mira.participants.demo import COUNTRIES, NOTES, REFERRAL_DETAILS, STREETS, WITHDRAWAL_REASONS
from mira.participants.models import (
    STAGE_PATH,
    CaseEvent,
    CaseNumberCounter,
    EligibilityEvidence,
    Gender,
    HouseholdMember,
    Participant,
    ReferralSource,
    Relationship,
    ResidenceStatus,
    Stage,
    Vulnerability,
)
from mira.participants.names import name_keys

YEARS_BACK = 4
# Days from reaching a stage to reaching the next one: (shortest, longest).
DURATIONS = {
    Stage.FIRST_CONTACT: (2, 14),
    Stage.COUNSELLING: (14, 70),
    Stage.ROADMAP_DEVELOPMENT: (10, 45),
    Stage.GOALS_AGREED: (3, 21),
    Stage.ROADMAP_SHARED: (10, 60),
    Stage.DEPARTED: (1, 10),
    Stage.COACHING: (150, 365),
}
# Share of the cases that withdraw, and in which stage they do.
WITHDRAWAL_SHARE = 0.25
WITHDRAWAL_STAGES = [Stage.FIRST_CONTACT, Stage.COUNSELLING, Stage.ROADMAP_DEVELOPMENT, Stage.GOALS_AGREED]
# Counselling contacts before departure: one every this many days on average.
DAYS_BETWEEN_CONTACTS = 10
RESIDENCE_WEIGHTS = {
    ResidenceStatus.DULDUNG: 35,
    ResidenceStatus.GESTATTUNG: 25,
    ResidenceStatus.OBLIGED_TO_LEAVE: 12,
    ResidenceStatus.RESIDENCE_PERMIT: 12,
    ResidenceStatus.OTHER_TITLE: 4,
    ResidenceStatus.FICTION_CERTIFICATE: 4,
    ResidenceStatus.ARRIVAL_CERTIFICATE: 3,
    ResidenceStatus.UNKNOWN: 5,
}


def generate(ctx: SyntheticContext) -> None:
    rng = ctx.random
    # Residential postcodes only (not those of a large organisation such as a health insurer).
    postcodes = [entry for entry in thuringia_postcodes().values() if is_residential_postcode(entry.code)]
    countries = list(COUNTRIES)
    weights = [COUNTRIES[code][0] for code in countries]
    residence = list(RESIDENCE_WEIGHTS)
    residence_weights = list(RESIDENCE_WEIGHTS.values())
    sequences: dict[tuple[int, int], int] = {}
    remaining = ctx.participants
    index = 0
    while remaining > 0:
        count = min(CHUNK_SIZE, remaining)
        participants, plans = [], []
        for _ in range(count):
            centre = ctx.centres[index % len(ctx.centres)]
            index += 1
            counsellor_id = rng.choice(ctx.counsellors[centre.id])
            country = rng.choices(countries, weights=weights)[0]
            _weight, languages, document_language, regions, male, female, last_names = COUNTRIES[country]
            opened = ctx.days(-rng.randint(0, YEARS_BACK * 365))
            key = (centre.id, opened.year)
            sequences[key] = sequences.get(key, 0) + 1
            plan = _plan(ctx, opened)
            gender = Gender.MALE if rng.random() < 0.6 else Gender.FEMALE
            first_name, first_original = rng.choice(male if gender == Gender.MALE else female)
            last_name, last_original = rng.choice(last_names)
            postcode = rng.choice(postcodes)
            interpreter = rng.random() < 0.6
            source = rng.choice(ReferralSource.values)
            stage = plan["stage"]
            participant = row(
                Participant,
                centre_id=centre.id,
                case_number=f"{centre.code}-{opened.year}-{sequences[key]:05d}",
                first_name=first_name,
                last_name=last_name,
                first_name_original=first_original if last_original else "",
                last_name_original=last_original if first_original else "",
                name_keys=name_keys(first_name, last_name, first_original, last_original),
                date_of_birth=datetime.date(rng.randint(1960, 2006), rng.randint(1, 12), rng.randint(1, 28)),
                gender=gender,
                nationalities=country,
                languages=languages,
                needs_interpreter=interpreter,
                interpreter_language=languages.split()[0] if interpreter else "",
                preferred_language=document_language,
                street=f"{rng.choice(STREETS)} {rng.randint(1, 150)}",
                postcode=postcode.code,
                city=postcode.places[0].split(",")[0],
                district=postcode.districts[0],
                phone=f"+49 1{rng.randint(50, 79)} {rng.randint(1000000, 9999999)}" if rng.random() < 0.8 else "",
                residence_status=rng.choices(residence, weights=residence_weights)[0],
                assigned_counsellor_id=counsellor_id,
                referral_source=source,
                referral_source_detail=REFERRAL_DETAILS.get(source, ""),
                vulnerabilities=_vulnerabilities(rng),
                return_country=country,
                return_region=rng.choice(regions),
                planned_departure=plan["planned_departure"],
                departure_date=plan["departure"],
                eligibility_evidence=rng.choice(EligibilityEvidence.values),
                eligibility_checked_at=ctx.moment(opened, 10, 0),
                eligibility_checked_by_id=counsellor_id,
                stage=stage,
                stage_changed_at=ctx.moment(plan["dates"][stage], 11, 0),
                withdrawal_reason=rng.choice(WITHDRAWAL_REASONS) if stage == Stage.WITHDRAWN else "",
                notes=rng.choice(NOTES) if rng.random() < 0.3 else "",
                opened_on=opened,
                closed_on=plan["closed"],
                last_contact_on=plan["contacts"][-1] if plan["contacts"] else None,
                created_by_id=counsellor_id,
                created_at=ctx.moment(opened, 10, 0),
                updated_at=ctx.moment(plan["dates"][stage], 11, 0),
                version=len(plan["dates"]),
            )
            participants.append(participant)
            plans.append((plan, country, document_language))
        created = bulk_insert(Participant, participants)
        _records(ctx, created, plans)
        remaining -= count
    CaseNumberCounter.objects.bulk_create(
        [CaseNumberCounter(centre_id=centre_id, year=year, last_value=value) for (centre_id, year), value in sequences.items()]
    )  # fmt: skip


def _plan(ctx: SyntheticContext, opened: datetime.date) -> dict:
    """Walks the stage path from the opening day with random durations until today."""
    rng = ctx.random
    dates = {Stage.FIRST_CONTACT: opened}
    withdraw_in = rng.choice(WITHDRAWAL_STAGES) if rng.random() < WITHDRAWAL_SHARE else None
    stage, day = Stage.FIRST_CONTACT, opened
    while stage != Stage.CLOSED:
        shortest, longest = DURATIONS[stage]
        following = day + datetime.timedelta(days=rng.randint(shortest, longest))
        if following > ctx.today:
            break
        if withdraw_in == stage:
            stage, day = Stage.WITHDRAWN, following
            dates[stage] = day
            break
        stage, day = STAGE_PATH[STAGE_PATH.index(stage) + 1], following
        dates[stage] = day
    departure = dates.get(Stage.DEPARTED)
    planned = None
    if departure:
        planned = departure
    elif stage in (Stage.GOALS_AGREED, Stage.ROADMAP_SHARED):
        planned = ctx.days(rng.randint(7, 60))
    # Counselling contacts run from the first contact until the departure (or the withdrawal, or today).
    # Sessions already held lie before today.
    contact_end = min(departure or dates.get(Stage.WITHDRAWN) or ctx.today, ctx.days(-1))
    span = (contact_end - opened).days
    contacts = []
    if span >= 0:
        count = max(1, round(span / DAYS_BETWEEN_CONTACTS * rng.uniform(0.7, 1.3)))
        contacts = spread(rng, opened, contact_end, count)
    if stage not in (Stage.CLOSED, Stage.WITHDRAWN, Stage.DEPARTED, Stage.COACHING) and rng.random() < 0.15:
        # Some cases have gone quiet: no contact for the last weeks.
        quiet_from = ctx.days(-rng.randint(31, 90))
        contacts = [day for day in contacts if day < quiet_from] or contacts[:1]
    return {
        "stage": stage,
        "dates": dates,
        "departure": departure,
        "planned_departure": planned,
        "closed": dates.get(Stage.CLOSED) or dates.get(Stage.WITHDRAWN),
        "contacts": contacts,
    }


def _vulnerabilities(rng) -> str:
    if rng.random() > 0.3:
        return ""
    return " ".join(sorted(set(rng.sample(Vulnerability.values, rng.randint(1, 2)))))


def _records(ctx: SyntheticContext, created: list, plans: list) -> None:
    """Household members, the history rows of the case file and the stage plan's timeline."""
    rng = ctx.random
    members, member_history, history, events = [], [], [], []
    for participant, (plan, country, language) in zip(created, plans, strict=True):
        case = SyntheticCase(
            pk=participant.pk,
            centre_id=participant.centre_id,
            counsellor_id=participant.assigned_counsellor_id,
            stage=participant.stage,
            opened=participant.opened_on,
            country=country,
            region=participant.return_region,
            language=language,
            interpreter_language=participant.interpreter_language,
            case_number=participant.case_number,
            stage_dates=plan["dates"],
            contact_days=plan["contacts"],
            departure=plan["departure"],
            planned_departure=plan["planned_departure"],
            closed=plan["closed"],
        )
        ctx.cases.append(case)
        counsellor = case.counsellor_id
        opened_at = ctx.moment(case.opened, 10, 0)
        size = rng.choices([0, 1, 2, 3, 4], weights=[45, 15, 20, 12, 8])[0]
        case.household_size = size
        for number in range(size):
            child = number > 0
            if child:
                gender = rng.choice((Gender.FEMALE, Gender.MALE))
            else:
                gender = Gender.FEMALE if participant.gender == Gender.MALE else Gender.MALE
            names = COUNTRIES[country][4 if gender == Gender.MALE else 5]
            member = row(
                HouseholdMember,
                participant_id=participant.pk,
                first_name=rng.choice(names)[0],
                last_name=participant.last_name,
                date_of_birth=datetime.date(rng.randint(2008, 2025), rng.randint(1, 12), rng.randint(1, 28))
                if child
                else datetime.date(rng.randint(1965, 2000), rng.randint(1, 12), rng.randint(1, 28)),
                gender=gender,
                relationship=Relationship.CHILD if child else Relationship.SPOUSE,
                nationality=country,
            )
            members.append(member)
        # The case file as saved at intake, then once per stage change (the audit reads these).
        stage_path = list(plan["dates"].items())
        history.append(
            (
                participant,
                opened_at,
                counsellor,
                "+",
                _as_of(participant, Stage.FIRST_CONTACT, case.opened, 1, opened_at),
            )
        )
        events.append(
            row(CaseEvent, participant_id=participant.pk, kind="case_opened", actor_id=counsellor, at=opened_at)
        )
        for version, ((previous, _), (stage, day)) in enumerate(zip(stage_path, stage_path[1:], strict=False), start=2):
            at = ctx.moment(day, 11, 0)
            data = {"old": previous, "new": stage}
            if stage == Stage.DEPARTED:
                data["departure_date"] = day.isoformat()
            if stage == Stage.WITHDRAWN:
                data["reason"] = participant.withdrawal_reason
            events.append(row(CaseEvent, participant_id=participant.pk, kind="stage_changed", actor_id=counsellor, at=at,
                                    data=data))  # fmt: skip
            history.append((participant, at, counsellor, "~", _as_of(participant, stage, day, version, at)))
    created_members = bulk_insert(HouseholdMember, members)
    by_participant = {case.pk: case for case in ctx.cases[-len(created) :]}
    for member in created_members:
        case = by_participant[member.participant_id]
        member_history.append((member, ctx.moment(case.opened, 10, 5), case.counsellor_id))
    bulk_insert(HouseholdMember.history.model, history_rows(HouseholdMember, member_history))
    rows = []
    for kind in ("+", "~"):
        rows += history_rows(
            Participant, [(state, at, user, changes) for state, at, user, k, changes in history if k == kind], kind=kind
        )
    bulk_insert(Participant.history.model, rows)
    bulk_insert(CaseEvent, events)


def _as_of(participant: Participant, stage: str, day: datetime.date, version: int, at: datetime.datetime) -> dict:
    """The fields of the case file that differed when it reached stage (for its history row)."""
    return {
        "stage": stage,
        "version": version,
        "closed_on": day if stage in (Stage.CLOSED, Stage.WITHDRAWN) else None,
        "departure_date": participant.departure_date
        if stage in (Stage.DEPARTED, Stage.COACHING, Stage.CLOSED)
        else None,
        "withdrawal_reason": participant.withdrawal_reason if stage == Stage.WITHDRAWN else "",
        "stage_changed_at": at,
    }
