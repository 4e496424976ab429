"""Synthetic partner network at federal scale: organisations in Germany and in every return
country of the synthetic cases with their offers, partner coaches for the organisations that
coach after return, and the referrals of the cases (with their timeline entries)."""

import datetime

from mira.accounts.models import Role, User
from mira.core.synthetic import SyntheticContext, bulk_insert, row
from mira.network.models import (
    REFERRAL_DATE_FIELDS,
    Offer,
    OfferKind,
    Organisation,
    OrganisationType,
    Referral,
    ReferralStatus,
    Sector,
)
from mira.participants.demo import COUNTRIES
from mira.participants.models import CaseEvent, Stage

ORGANISATIONS_PER_COUNTRY = 24
ORGANISATIONS_IN_GERMANY = 120
GERMAN_CITIES = ["Erfurt", "Jena", "Gera", "Weimar", "Gotha", "Nordhausen", "Eisenach", "Suhl", "Berlin", "Leipzig"]
# type: name patterns ({city})
NAMES = {
    OrganisationType.NGO: ["Reintegrationszentrum {city}", "Hilfswerk {city} e. V.", "Neustart {city}"],
    OrganisationType.PUBLIC_AUTHORITY: ["Arbeitsvermittlung {city}", "Städtisches Sozialamt {city}"],
    OrganisationType.INTERNATIONAL: ["Internationale Rückkehrhilfe – Büro {city}"],
    OrganisationType.EMPLOYER: ["Handwerksbetriebe {city}", "Logistikzentrum {city}", "Hotelgruppe {city}"],
    OrganisationType.TRAINING_PROVIDER: ["Berufsbildungszentrum {city}", "Gründungswerkstatt {city}",
                                         "IT-Akademie {city}"],
    OrganisationType.HEALTH: ["Gesundheitszentrum {city}", "Psychosoziales Zentrum {city}"],
    OrganisationType.COUNSELLING: ["Beratungsstelle Perspektive {city}"],
}  # fmt: skip
# kind: [(title, sector, description)]
OFFERS = {
    OfferKind.JOB: [("Vermittlung in Handwerksbetriebe", Sector.CRAFTS, "Stellen für Rückkehrende mit Berufserfahrung."),
                    ("Saisonstellen in der Gastronomie", Sector.GASTRONOMY, "Service und Küche, Unterkunft gestellt."),
                    ("Stellen in Lager und Logistik", Sector.TRADE, "Vermittlung an Logistikzentren der Region.")],
    OfferKind.TRAINING: [("Kurzausbildung Elektroinstallation", Sector.CRAFTS, "Praxisausbildung mit Zertifikat."),
                         ("Kochausbildung für die Hotelküche", Sector.GASTRONOMY, "Drei Monate Kurs mit Praktikum."),
                         ("Nähkurs und Textilwerkstatt", Sector.TEXTILES, "Grundlagen, Maschinen, Vermarktung.")],
    OfferKind.BUSINESS_START_UP: [("Gründungsprogramm IT und E-Commerce", Sector.IT, "Mentoring und Ausstattungszuschuss."),
                                  ("Mikrokredit für Kleinbetriebe", Sector.TRADE, "Businessplan-Workshop und Kredit."),
                                  ("Kleinbetriebe in der Landwirtschaft", Sector.AGRICULTURE, "Beratung, Gerätezuschuss.")],
    OfferKind.HEALTH: [("Medikamentenversorgung nach der Ankunft", Sector.HEALTH, "Arztbrief, Vorrat, Weiterversorgung.")],
    OfferKind.PSYCHOLOGICAL_CARE: [("Psychologische Erstgespräche", Sector.HEALTH, "Bis zu fünf Gespräche.")],
    OfferKind.HOUSING: [("Mietzuschuss für die ersten Monate", "", "Bis zu drei Monatsmieten, Hilfe bei der Suche.")],
    OfferKind.SOCIAL: [("Reintegrationscoaching nach der Ankunft", "", "Sechs Monate Begleitung und Hausbesuche.")],
}  # fmt: skip
REFERRAL_NOTES = ["", "", "TN wünscht Kontakt per Telefon.", "Unterlagen per E-Mail an den Partner gesendet.",
                  "Erstkontakt über die Partnerorganisation vereinbart."]  # fmt: skip


def generate(ctx: SyntheticContext) -> None:
    rng = ctx.random
    organisations, offers = [], []
    countries = {"DE": (ORGANISATIONS_IN_GERMANY, GERMAN_CITIES)}
    for code, values in COUNTRIES.items():
        countries[code] = (ORGANISATIONS_PER_COUNTRY, values[3])
    for country, (count, cities) in countries.items():
        for number in range(count):
            kind = rng.choice(list(NAMES))
            city = cities[number % len(cities)]
            name = rng.choice(NAMES[kind]).format(city=city) + f" {number // len(cities) + 1}"
            organisations.append(
                row(
                    Organisation,
                    reference=f"syn-{country.lower()}-{number + 1:03d}",
                    name=name,
                    type=kind,
                    country=country,
                    region=city,
                    city=city,
                    languages="de en" if country == "DE" else COUNTRIES[country][1] + " en",
                    contact_person=f"Kontakt {number + 1}",
                    phone=f"+{rng.randint(30, 999)} {rng.randint(100000, 999999)}",
                    services="Beratung, Vermittlung und Begleitung von Rückkehrenden.",
                    coaches_after_return=country != "DE" and number % 4 == 0,
                    active=rng.random() > 0.05,
                )
            )
    organisations = bulk_insert(Organisation, organisations)
    for organisation in organisations:
        for number in range(rng.randint(2, 8)):
            kind = rng.choice(list(OFFERS))
            title, sector, description = rng.choice(OFFERS[kind])
            offers.append(
                row(
                    Offer,
                    reference=f"{organisation.reference}-{number + 1}",
                    organisation_id=organisation.pk,
                    title=f"{title} ({organisation.city})",
                    kind=kind,
                    sector=sector,
                    description=description,
                    target_group="Rückkehrende und ihre Familien",
                    country=organisation.country,
                    region=organisation.region if rng.random() < 0.7 else "",
                    valid_from=ctx.days(-rng.randint(30, 900)) if rng.random() < 0.5 else None,
                    valid_until=ctx.days(rng.randint(30, 400)) if rng.random() < 0.4 else None,
                    active=rng.random() > 0.05,
                )
            )
    offers = bulk_insert(Offer, offers)
    coaches = []
    partners = [organisation for organisation in organisations if organisation.coaches_after_return]
    for organisation in partners:
        for number in range(2):
            coaches.append(
                User(
                    username=f"{organisation.reference}-coach{number + 1}",
                    role=Role.PARTNER,
                    partner_organisation_id=organisation.pk,
                    first_name="Coach",
                    last_name=f"{organisation.city} {number + 1}",
                    password=ctx.extra.get("password", "!"),
                )
            )
    ctx.extra["coaches"] = {}
    for coach in bulk_insert(User, coaches):
        ctx.extra["coaches"].setdefault(coach.partner_organisation_id, coach.pk)
    by_country: dict[str, list] = {}
    for offer in offers:
        if offer.active:
            by_country.setdefault(offer.country, []).append(offer)
    ctx.extra["network_partners"] = {
        country: [o for o in partners if o.country == country and o.active] for country in countries
    }
    ctx.extra["network_offers"] = by_country
    ctx.extra["organisation_names"] = {organisation.pk: organisation.name for organisation in organisations}
    _referrals(ctx, by_country)


def _referrals(ctx: SyntheticContext, offers: dict) -> None:
    """One to three referrals for each case that reached counselling; most to the return
    country, some to offers in Germany before the departure."""
    rng = ctx.random
    for chunk in ctx.chunks():
        referrals = []
        for case in chunk:
            if not case.reached(Stage.COUNSELLING):
                continue
            start = case.stage_dates[Stage.COUNSELLING]
            end = case.departure or case.closed or ctx.today
            for _ in range(rng.choices([0, 1, 2, 3], weights=[15, 40, 30, 15])[0]):
                pool = offers.get(case.country if rng.random() < 0.7 else "DE") or offers["DE"]
                offer = rng.choice(pool)
                suggested = start + datetime.timedelta(days=rng.randint(0, max(0, (end - start).days)))
                referral = row(
                    Referral,
                    participant_id=case.pk,
                    organisation_id=offer.organisation_id,
                    offer_id=offer.pk,
                    suggested_on=suggested,
                    notes=rng.choice(REFERRAL_NOTES),
                    created_by_id=case.counsellor_id,
                )
                _progress(ctx, referral, case)
                referrals.append((referral, offer))
        created = bulk_insert(Referral, [referral for referral, _offer in referrals])
        events = []
        names = ctx.extra["organisation_names"]
        for referral, (_, offer) in zip(created, referrals, strict=True):
            target = f"{offer.title} ({names[offer.organisation_id]})"
            counsellor = referral.created_by_id
            events.append(row(CaseEvent, participant_id=referral.participant_id, kind="referral_created", actor_id=counsellor,
                                    at=ctx.moment(referral.suggested_on),
                                    data={"referral": referral.pk, "target": target, "status": ReferralStatus.SUGGESTED}))  # fmt: skip
            for status in referral.steps:
                day = getattr(referral, REFERRAL_DATE_FIELDS[status])
                events.append(row(CaseEvent, participant_id=referral.participant_id, kind="referral_status_changed",
                                        actor_id=counsellor, at=ctx.moment(day),
                                        data={"referral": referral.pk, "target": target, "status": status}))  # fmt: skip
        bulk_insert(CaseEvent, events)


def _progress(ctx: SyntheticContext, referral: Referral, case) -> None:
    """Moves the referral along its path as far as time allows; closed cases' referrals end."""
    rng = ctx.random
    day = referral.suggested_on
    referral.steps = []
    for status in (ReferralStatus.CONTACTED, ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED):
        following = day + datetime.timedelta(days=rng.randint(3, 40))
        if following > ctx.today or (case.is_open and rng.random() < 0.3):
            break
        if rng.random() < 0.12:
            status = ReferralStatus.DECLINED
        day = following
        setattr(referral, REFERRAL_DATE_FIELDS[status], day)
        referral.status = status
        referral.steps.append(status)
        if status == ReferralStatus.DECLINED:
            break
