import datetime

from django.utils import timezone

from mira.core.geo import thuringia_postcodes
from mira.core.synthetic import SyntheticContext, bulk_insert
from mira.participants.demo import COUNTRIES, STAGE_WEIGHTS
from mira.participants.models import (
    STAGE_PATH,
    CaseEvent,
    CaseNumberCounter,
    EligibilityEvidence,
    Gender,
    HouseholdMember,
    Participant,
    Relationship,
    ResidenceStatus,
    Stage,
)
from mira.participants.names import name_keys


def generate(ctx: SyntheticContext) -> None:
    rng = ctx.random
    postcodes = list(thuringia_postcodes().values())
    countries = list(COUNTRIES)
    weights = [COUNTRIES[code][0] for code in countries]
    stages = list(STAGE_WEIGHTS)
    stage_weights = list(STAGE_WEIGHTS.values())
    sequences: dict[tuple[int, int], int] = {}
    participants = []
    plans = []
    for index in range(ctx.participants):
        centre = ctx.centres[index % len(ctx.centres)]
        counsellor_id = rng.choice(ctx.counsellors[centre.id])
        country = rng.choices(countries, weights=weights)[0]
        _weight, languages, document_language, regions, male, female, last_names = COUNTRIES[country]
        stage = rng.choices(stages, weights=stage_weights)[0]
        opened = ctx.days(-rng.randint(1, 4 * 365))
        key = (centre.id, opened.year)
        sequences[key] = sequences.get(key, 0) + 1
        gender = Gender.MALE if rng.random() < 0.6 else Gender.FEMALE
        first_name, first_original = rng.choice(male if gender == Gender.MALE else female)
        last_name, last_original = rng.choice(last_names)
        postcode = rng.choice(postcodes)
        moment = ctx.aware(opened, 10)
        participants.append(
            Participant(
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
                needs_interpreter=rng.random() < 0.6,
                interpreter_language=languages.split()[0],
                preferred_language=document_language,
                street=f"Hauptstraße {rng.randint(1, 150)}",
                postcode=postcode.code,
                city=postcode.places[0].split(",")[0],
                district=postcode.districts[0],
                residence_status=rng.choice(ResidenceStatus.values),
                assigned_counsellor_id=counsellor_id,
                return_country=country,
                return_region=rng.choice(regions),
                eligibility_evidence=EligibilityEvidence.PASSPORT,
                eligibility_checked_at=moment,
                eligibility_checked_by_id=counsellor_id,
                stage=stage,
                stage_changed_at=moment,
                withdrawal_reason="Rückkehr nicht mehr geplant." if stage == Stage.WITHDRAWN else "",
                opened_on=opened,
                last_contact_on=min(ctx.today, opened + datetime.timedelta(days=rng.randint(0, 120))),
                created_by_id=counsellor_id,
            )
        )
        plans.append((stage, opened, counsellor_id, country, centre.id))
    created = bulk_insert(Participant, participants)
    CaseNumberCounter.objects.bulk_create(
        [
            CaseNumberCounter(centre_id=centre_id, year=year, last_value=value)
            for (centre_id, year), value in sequences.items()
        ]
    )
    members, events = [], []
    for participant, (stage, opened, counsellor_id, country, centre_id) in zip(created, plans, strict=True):
        ctx.cases.append((participant.pk, centre_id, counsellor_id, stage, opened, country))
        for number in range(rng.choices([0, 1, 2, 3, 4], weights=[45, 15, 20, 12, 8])[0]):
            members.append(
                HouseholdMember(
                    participant_id=participant.pk,
                    first_name=f"Kind {number + 1}" if number else "Partner",
                    last_name=participant.last_name,
                    date_of_birth=datetime.date(rng.randint(2008, 2025), rng.randint(1, 12), rng.randint(1, 28)),
                    relationship=Relationship.CHILD if number else Relationship.SPOUSE,
                    nationality=country,
                )
            )
        at = ctx.aware(opened, 10)
        events.append(CaseEvent(participant_id=participant.pk, kind="case_opened", actor_id=counsellor_id, at=at))
        path = STAGE_PATH[: STAGE_PATH.index(stage) + 1] if stage in STAGE_PATH else STAGE_PATH[:2]
        for previous, following in zip(path, path[1:], strict=False):
            at = min(at + datetime.timedelta(days=rng.randint(3, 30)), timezone.now())
            events.append(CaseEvent(participant_id=participant.pk, kind="stage_changed", actor_id=counsellor_id,
                                    at=at, data={"old": previous, "new": following}))  # fmt: skip
    bulk_insert(HouseholdMember, members)
    bulk_insert(CaseEvent, events)
