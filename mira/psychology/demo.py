"""Demo data of psychological support: about ten Erfurt cases with vulnerabilities
(trauma first) referred to the psychologist "psychologie" by their assigned counsellors,
in every status, with synthetic German notes — a few shared with the counsellor.

Written directly (not through the services) so that dates lie in the past; the neutral
timeline entries are backdated with them."""

import datetime

from django.utils import timezone

from mira.core.demo import DemoContext
from mira.participants.models import CaseEvent, Gender, Stage, Vulnerability
from mira.psychology.models import NoteKind, PsychologicalReferral, ReferralStatus, SupportNote, Urgency
from mira.psychology.services import RESTRICTED_EVENT

# reason, urgency, the vulnerability and the gender the text assumes (None: any)
REASONS = [
    ("Berichtet von Albträumen und Schlaflosigkeit seit der Ablehnung des Asylantrags; wirkt in den Gesprächen oft "
     "abwesend. Wünscht ausdrücklich Unterstützung, bevor die Rückkehr weiter geplant wird.", Urgency.SOON, None, None),
    ("Große Angst vor einer Begegnung mit früheren Bedrohern in der Herkunftsregion. Bitte um Einschätzung, wie "
     "die Rückkehrplanung belastungsarm gestaltet werden kann.", Urgency.ROUTINE, None, None),
    ("Hat im letzten Beratungstermin Suizidgedanken angedeutet, sich auf Nachfrage aber davon distanziert. "
     "Bitte um zeitnahe Abklärung. Telefonisch gut erreichbar.", Urgency.URGENT, None, None),
    ("Alleinerziehend, wirkt erschöpft und weint in den Terminen häufig. Hat selbst nach einer "
     "Gesprächsmöglichkeit gefragt; Kinderbetreuung während der Termine ist geklärt.", Urgency.ROUTINE,
     Vulnerability.SINGLE_PARENT, None),
    ("Folgen von Gewalterfahrungen auf der Flucht; vermeidet jedes Gespräch über die Ausreise. Dolmetschung "
     "bitte durch eine Frau.", Urgency.SOON, None, Gender.FEMALE),
    ("Chronische Schmerzen und gedrückte Stimmung; Sorge, im Herkunftsland keine Behandlung zu finden. "
     "Unterstützung bei der Verarbeitung der Rückkehrentscheidung gewünscht.", Urgency.ROUTINE, None, None),
    ("Panikattacken bei Behördenterminen; die Begleitung zur Ausländerbehörde musste zweimal abgebrochen werden.",
     Urgency.SOON, None, None),
    ("Trauer nach dem Tod der Mutter im Herkunftsland; die Rückkehr ist dadurch emotional sehr belastet.",
     Urgency.ROUTINE, None, None),
    ("Gibt an, in Deutschland Opfer von Arbeitsausbeutung geworden zu sein; große Scham, Misstrauen gegenüber "
     "Behörden. Bitte behutsames Erstgespräch.", Urgency.SOON, None, None),
    ("Das älteste Kind zieht sich seit der Rückkehrentscheidung zurück; der Elternteil bittet um ein Gespräch, "
     "auch zur Frage, wie die Kinder auf die Rückkehr vorbereitet werden können.", Urgency.ROUTINE,
     Vulnerability.MINORS, None),
]  # fmt: skip

# The way each demo referral has gone so far.
STATUSES = [
    ReferralStatus.IN_SUPPORT,
    ReferralStatus.IN_SUPPORT,
    ReferralStatus.REQUESTED,
    ReferralStatus.ACCEPTED,
    ReferralStatus.IN_SUPPORT,
    ReferralStatus.COMPLETED,
    ReferralStatus.ACCEPTED,
    ReferralStatus.REQUESTED,
    ReferralStatus.DECLINED,
    ReferralStatus.IN_SUPPORT,
]

FIRST_INTERVIEWS = [
    "Erstgespräch. Schilderung von Schlafstörungen, sich aufdrängenden Erinnerungen und erhöhter "
    "Schreckhaftigkeit seit etwa zwei Jahren. Keine akute Eigen- oder Fremdgefährdung. Vereinbart: vier "
    "Stabilisierungsgespräche im Abstand von zwei Wochen.",
    "Erstgespräch. Beschreibt anhaltende Erschöpfung, Grübeln am Abend und Schuldgefühle gegenüber der Familie. "
    "Ressourcen: enge Freundschaft in Erfurt, Glaube. Eigenes Ziel: wieder schlafen können.",
    "Erstgespräch, zunächst zurückhaltend. Anspannung deutlich sichtbar, Thema Rückkehr nur kurz angesprochen. "
    "Vertrauensaufbau steht im Vordergrund; nächstes Gespräch in einer Woche.",
]
SESSIONS = [
    "Psychoedukation zu Stressreaktionen; Atem- und Erdungsübungen eingeübt. Berichtet, dass die Übung "
    "„sicherer Ort“ beim Einschlafen hilft. Nächster Termin in 14 Tagen.",
    "Thema Rückkehrangst: realistische und katastrophisierende Befürchtungen getrennt betrachtet. Ressourcen in der "
    "Herkunftsfamilie benannt (Schwester, Onkel). Stimmung etwas gelöster als beim letzten Mal.",
    "Schlaf seit zwei Wochen besser, Albträume seltener. Gemeinsam überlegt, welche Informationen die Beratung "
    "braucht; mit einer kurzen Rückmeldung dorthin einverstanden (Schweigepflichtentbindung liegt vor).",
    "Gespräch über die Angst vor dem Neuanfang; kleine, planbare Schritte für die ersten Wochen nach der Ankunft "
    "gesammelt. Wirkt zuversichtlicher.",
]
CRISIS = (
    "Kurzfristiger Termin nach Anruf aus der Rückkehrberatung. Akute Belastung nach Erhalt eines Schreibens der "
    "Ausländerbehörde. Suizidalität exploriert: distanziert sich glaubhaft, Absprache für die nächsten Tage "
    "getroffen, Notfallnummern mitgegeben. Wiedervorstellung in drei Tagen."
)
SHARED = [
    "Für die Beratung: Inzwischen stabil genug für die weitere Rückkehrplanung. Bitte Gespräche über die "
    "Ausreise vorher ankündigen und Termine möglichst vormittags legen.",
    "Für die Beratung: Bei Behördenterminen hilft eine kurze Vorbesprechung und eine feste Begleitperson. "
    "Dolmetschung bitte weiterhin durch eine Frau.",
    "Für die Beratung: Ausdrücklicher Wunsch, die Ausreise nicht vor Abschluss der Gespräche (voraussichtlich "
    "sechs Wochen) zu terminieren.",
]
CLOSING = (
    "Abschluss nach sechs Gesprächen. Schlaf deutlich verbessert, fühlt sich der Rückreise gewachsen. Kontakt zu "
    "einem psychosozialen Angebot im Herkunftsland empfohlen; über die Kontaktaufnahme entscheidet die "
    "teilnehmende Person selbst."
)
DECLINE_REASON = (
    "Derzeit keine freien Kapazitäten für eine kontinuierliche Begleitung mit Dolmetschung. Bitte an das Psychosoziale "
    "Zentrum für Geflüchtete in Erfurt vermitteln; ich unterstütze gern bei der Kontaktaufnahme."
)

WORKING_STAGES = (Stage.FIRST_CONTACT, Stage.COUNSELLING, Stage.ROADMAP_DEVELOPMENT, Stage.GOALS_AGREED,
                  Stage.ROADMAP_SHARED)  # fmt: skip
PRIORITY = [Vulnerability.TRAUMA, Vulnerability.TRAFFICKING, Vulnerability.SERIOUS_ILLNESS, Vulnerability.SINGLE_PARENT]


def _priority(participant) -> tuple:
    codes = participant.vulnerability_codes
    rank = min((PRIORITY.index(code) for code in codes if code in PRIORITY), default=len(PRIORITY))
    # The demo counsellor "beratung" should find several of her cases referred.
    return (rank, participant.assigned_counsellor.username != "beratung", participant.pk)


def load(ctx: DemoContext) -> None:
    psychologist = ctx.users.get("psychologie")
    centre = ctx.centres.get("EF")
    if psychologist is None or centre is None:
        return
    # The participants app may not have loaded cases: then nobody is referred.
    candidates = [p for p in ctx.participants if p.centre_id == centre.pk and p.stage in WORKING_STAGES]
    candidates.sort(key=_priority)
    unused = list(range(len(REASONS)))
    for participant in candidates:
        if not unused:
            break
        index = next((i for i in unused if _fits(REASONS[i], participant)), None)
        if index is not None:
            unused.remove(index)
            _referral(ctx, participant, psychologist, index)


def _fits(reason, participant) -> bool:
    _text, _urgency, vulnerability, gender = reason
    return (vulnerability is None or vulnerability in participant.vulnerability_codes) and (
        gender is None or participant.gender == gender
    )


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 30)))


def _referral(ctx: DemoContext, participant, psychologist, index: int) -> None:
    rng = ctx.random
    reason, urgency, _vulnerability, _gender = REASONS[index]
    status = STATUSES[index]
    counsellor = participant.assigned_counsellor
    # Long-running supports began weeks ago, new requests in the last days.
    back = {ReferralStatus.REQUESTED: (0, 4), ReferralStatus.ACCEPTED: (5, 20)}.get(status, (50, 90))
    requested = max(participant.opened_on, ctx.days(-rng.randint(*back)))
    accepted = min(ctx.today, requested + datetime.timedelta(days=rng.randint(1, 4)))
    referral = PsychologicalReferral(
        participant=participant,
        referred_by=counsellor,
        psychologist=psychologist,
        reason=reason,
        urgency=urgency,
        status=status,
        requested_on=requested,
        accepted_on=accepted if status not in (ReferralStatus.REQUESTED, ReferralStatus.DECLINED) else None,
    )
    events = [(requested, counsellor)]
    if status == ReferralStatus.DECLINED:
        referral.decline_reason = DECLINE_REASON
        referral.closed_on = accepted
        events.append((accepted, psychologist))
    elif status != ReferralStatus.REQUESTED:
        events.append((accepted, psychologist))
    referral.full_clean()
    referral.save()

    notes = _notes(ctx, referral, index, accepted)
    if status == ReferralStatus.COMPLETED:
        referral.closed_on = notes[-1].session_date if notes else accepted
        referral.save(update_fields=["closed_on"])
        events.append((referral.closed_on, psychologist))
    if status in (ReferralStatus.IN_SUPPORT, ReferralStatus.COMPLETED):
        # Support began with the first session after the first interview.
        events.insert(2, (notes[1].session_date if len(notes) > 1 else accepted, psychologist))
    CaseEvent.objects.bulk_create(
        CaseEvent(participant=participant, kind=RESTRICTED_EVENT, actor=actor, at=_at(day, 10 + n), data={})
        for n, (day, actor) in enumerate(events)
    )


def _notes(ctx: DemoContext, referral, index: int, accepted: datetime.date) -> list[SupportNote]:
    """Notes every one to two weeks since acceptance: first interview, sessions, perhaps a crisis, a shared one."""
    if referral.status in (ReferralStatus.REQUESTED, ReferralStatus.DECLINED):
        return []
    rng = ctx.random
    plan = [(NoteKind.FIRST_INTERVIEW, FIRST_INTERVIEWS[index % len(FIRST_INTERVIEWS)], False)]
    if referral.status in (ReferralStatus.IN_SUPPORT, ReferralStatus.COMPLETED):
        plan.append((NoteKind.SUPPORT_SESSION, SESSIONS[index % len(SESSIONS)], False))
        if index % 3 != 2:
            plan.append((NoteKind.CASE_CONFERENCE, SHARED[index % len(SHARED)], True))
        plan.append((NoteKind.SUPPORT_SESSION, SESSIONS[(index + 1) % len(SESSIONS)], False))
        if index % 4 == 0:
            plan.append((NoteKind.CRISIS_INTERVENTION, CRISIS, False))
    if referral.status == ReferralStatus.COMPLETED:
        plan.append((NoteKind.CLOSING_NOTE, CLOSING, True))
    notes = []
    day = accepted
    for kind, text, shared in plan:
        if day > ctx.today:
            break
        note = SupportNote(
            referral=referral,
            author=referral.psychologist,
            session_date=day,
            kind=kind,
            text=text,
            shared_with_counsellor=shared,
        )
        note.full_clean()
        note.save()
        notes.append(note)
        day += datetime.timedelta(days=rng.randint(6, 14))
    return notes
