"""Synthetic counselling work: interpreters, sessions on most cases, and appointments for
the coming three weeks (so that the calendar, the feed and My day are not empty)."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from mira.core.demo import DemoContext
from mira.counselling.models import Appointment, AppointmentStatus, CounsellingSession, Interpreter, SessionMode, Topic
from mira.counselling.services import appointment_create, appointment_set_status
from mira.participants.models import CaseEvent, Participant, Stage

INTERPRETERS = {
    "EF": [
        # name, languages, phone, active
        ("Samira Haddad", "ar", "+49 361 5550101", True),
        ("Karim Al-Najjar", "ar ckb", "+49 361 5550102", True),
        ("Farhad Rezai", "fa prs ps", "+49 361 5550103", True),
        ("Nino Tsereteli", "ka ru", "+49 361 5550104", True),
        ("Olga Petrenko", "ru uk ro", "+49 361 5550105", True),
        ("Ayşe Demir", "tr ku", "+49 361 5550106", True),
        ("Rojan Ali", "ku ar", "+49 361 5550107", True),
        ("Hamid Sultani", "prs fa", "+49 361 5550108", False),
    ],
    "GE": [
        ("Tamara Kowalenko", "ru uk ka", "+49 365 5550201", True),
        ("Yusuf Hamdan", "ar ku", "+49 365 5550202", True),
    ],
}

# Topics that stand out in each stage; two or three of them are picked per session.
STAGE_TOPICS = {
    Stage.COUNSELLING: [Topic.RETURN_OPTIONS, Topic.DOCUMENTS, Topic.HEALTH, Topic.CHILDREN, Topic.PSYCHOLOGICAL],
    Stage.ROADMAP_DEVELOPMENT: [Topic.EDUCATION_WORK, Topic.BUSINESS, Topic.DOCUMENTS, Topic.CHILDREN, Topic.AID],
    Stage.GOALS_AGREED: [Topic.AID, Topic.BUSINESS, Topic.DOCUMENTS, Topic.EDUCATION_WORK],
    Stage.ROADMAP_SHARED: [Topic.AID, Topic.DOCUMENTS, Topic.RETURN_OPTIONS, Topic.HEALTH],
}
LATE_TOPICS = [Topic.DOCUMENTS, Topic.RETURN_OPTIONS, Topic.AID]

NOTES = {
    Topic.RETURN_OPTIONS: [
        "Rückkehroptionen besprochen: REAG/GARP und StarthilfePlus erläutert, Ablauf und Fristen erklärt. "
        "TN möchte sich noch mit der Familie beraten.",
        "TN hat sich für die freiwillige Rückkehr nach {country} entschieden. Zeitplan besprochen; eine Ausreise "
        "ist frühestens in zwei bis drei Monaten realistisch.",
        "Reiseplanung: Flughafen, Gepäck und Übergepäck für Werkzeug besprochen. TN wünscht einen Flug nach {region}.",
    ],
    Topic.DOCUMENTS: [
        "Passbeschaffung besprochen: TN hat keinen gültigen Pass. Termin bei der Botschaft wird vereinbart, "
        "Passfotos sind vorhanden.",
        "Grenzübertrittsbescheinigung (GÜB) bei der Ausländerbehörde angefragt. Kopie der Duldung liegt in der Akte.",
        "Geburtsurkunden der Kinder fehlen noch; TN fragt bei Verwandten in {region} nach beglaubigten Kopien.",
    ],
    Topic.HEALTH: [
        "TN berichtet von chronischen Rückenschmerzen. Medikamentenbedarf für die ersten Monate nach der "
        "Rückkehr geklärt, ärztliches Attest wird nachgereicht.",
        "Gesundheitsversorgung im Rückkehrland besprochen; Kontakt zu einer Klinik in {region} über die "
        "Partnerorganisation angefragt.",
    ],
    Topic.EDUCATION_WORK: [
        "Beruflicher Hintergrund erfasst (mehrjährige Erfahrung im Bau und als Fahrer). TN interessiert sich "
        "für eine Weiterbildung vor der Ausreise.",
        "Jobangebote der Partnerorganisation in {region} gemeinsam durchgesehen; TN bewirbt sich auf zwei Stellen.",
    ],
    Topic.BUSINESS: [
        "Geschäftsidee besprochen: kleiner Lebensmittelladen in {region}. Erste Kostenschätzung erstellt; "
        "TN listet bis zum nächsten Termin die benötigte Ausstattung auf.",
        "Businessplan weiter ausgearbeitet (Markt und Wettbewerb). TN hat Preise für Miete und Ware "
        "in {region} recherchiert.",
    ],
    Topic.CHILDREN: [
        "Schulsituation der Kinder besprochen. Zeugnisse werden für die Anerkennung übersetzt; Anmeldung "
        "zum Rückkehrkurs für Kinder angeregt.",
        "Die Kinder sorgen sich um den Schulwechsel. Angebot des Rückkehrkurses für Jugendliche erläutert.",
    ],
    Topic.PSYCHOLOGICAL: [
        "TN wirkt belastet, schläft schlecht und sorgt sich um die Zeit nach der Rückkehr. Angebot der "
        "psychologischen Fachkraft erläutert; TN ist mit einer Kontaktaufnahme einverstanden.",
    ],
    Topic.AID: [
        "MIRA-Hilfe erläutert (Sachleistungen bis 1.000 EUR). TN wünscht Werkzeug für eine Tätigkeit als "
        "Handwerker; Angebote werden eingeholt.",
        "Antrag auf MIRA-Hilfe besprochen: Nähmaschine und Material für eine kleine Schneiderei. Zwei "
        "Kostenvoranschläge liegen vor.",
    ],
}
NEXT_STEPS = [
    "TN bringt Pass und Geburtsurkunden zum nächsten Termin mit.",
    "Beraterin fragt bei der Partnerorganisation nach Angeboten in der Region.",
    "Antrag REAG/GARP vorbereiten; Unterschrift beim nächsten Termin.",
    "Kostenvoranschläge für die Ausstattung einholen.",
    "TN meldet sich nach dem Termin bei der Botschaft.",
    "Zeugnisse zur Übersetzung geben.",
    "",
]
INTERNAL = [
    ("Teamsitzung", "MIRA Erfurt, Besprechungsraum"),
    ("Fallbesprechung mit der psychologischen Fachkraft", "MIRA Erfurt, Raum 3"),
    ("Netzwerktreffen Rückkehrberatung Thüringen", "Landesverwaltungsamt Weimar"),
]
SLOTS = [(9, 0), (10, 30), (13, 0), (14, 30), (16, 0)]


def load(ctx: DemoContext) -> None:
    if not ctx.centres or not ctx.users:
        return
    with translation.override("de"):
        interpreters = _interpreters(ctx)
        for participant in ctx.participants:
            _sessions(ctx, participant, interpreters.get(participant.centre_id, []))
        _appointments(ctx, interpreters)


def _interpreters(ctx: DemoContext) -> dict:
    result: dict[int, list[Interpreter]] = {}
    for code, entries in INTERPRETERS.items():
        centre = ctx.centres.get(code)
        if centre is None:
            continue
        for name, languages, phone, active in entries:
            interpreter = Interpreter.objects.create(
                centre=centre,
                name=name,
                languages=languages,
                phone=phone,
                email=f"{name.split()[0].lower()}.dolmetschen@example.org".replace("ş", "s"),
                is_active=active,
            )
            if active:
                result.setdefault(centre.pk, []).append(interpreter)
    ctx.extra["interpreters"] = result
    return result


def _interpreter_for(participant: Participant, interpreters: list[Interpreter]) -> Interpreter | None:
    language = participant.interpreter_language
    return next((i for i in interpreters if language in i.language_codes), None)


def _sessions(ctx: DemoContext, participant: Participant, interpreters: list[Interpreter]) -> None:
    rng = ctx.random
    if participant.stage in (Stage.FIRST_CONTACT,) or (participant.stage == Stage.WITHDRAWN and rng.random() < 0.5):
        return
    stage_index = [Stage.COUNSELLING, Stage.ROADMAP_DEVELOPMENT, Stage.GOALS_AGREED, Stage.ROADMAP_SHARED]
    count = {Stage.COUNSELLING: rng.randint(1, 3), Stage.ROADMAP_DEVELOPMENT: rng.randint(2, 4)}.get(
        participant.stage, rng.randint(3, 6)
    )
    yesterday = ctx.days(-1)
    last_day = min(yesterday, participant.departure_date or yesterday, participant.closed_on or yesterday)
    first_day = participant.opened_on + datetime.timedelta(days=3)
    if first_day >= last_day:
        return
    span = (last_day - first_day).days
    # Most open cases in active counselling had a recent contact; some have gone quiet.
    if participant.stage in stage_index and rng.random() < 0.75:
        last_session = last_day - datetime.timedelta(days=rng.randint(1, min(25, span)))
    else:
        last_session = first_day + datetime.timedelta(days=rng.randint(span // 2, span))
    days = sorted({first_day + datetime.timedelta(days=rng.randint(0, max(0, (last_session - first_day).days))) for _ in range(count - 1)} | {last_session})  # fmt: skip
    members = list(participant.household_members.all())
    events = []
    for index, day in enumerate(days):
        if participant.stage in stage_index:
            pool = STAGE_TOPICS[stage_index[min(stage_index.index(participant.stage), index)]]
        else:
            pool = STAGE_TOPICS[stage_index[min(index, 3)]] if index < len(days) - 1 else LATE_TOPICS
        topics = rng.sample(pool, k=min(len(pool), rng.randint(1, 3)))
        hour, minute = rng.choice(SLOTS)
        started = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
        interpreter = _interpreter_for(participant, interpreters) if participant.needs_interpreter else None
        session = CounsellingSession(
            participant=participant,
            counsellor=participant.assigned_counsellor,
            started_at=started,
            duration_minutes=rng.choice([45, 60, 60, 90]),
            mode=rng.choices([SessionMode.IN_PERSON, SessionMode.PHONE, SessionMode.VIDEO], weights=[80, 12, 8])[0],
            topics=" ".join(code for code in Topic.values if code in topics),
            language=participant.interpreter_language if participant.needs_interpreter else "de",
            interpreter=interpreter,
            interpreter_other="" if interpreter or not participant.needs_interpreter else "Telefondolmetschdienst",
            participant_attended=True,
            notes=" ".join(
                rng.choice(NOTES[topic]).format(
                    country=participant.return_country_name or "das Herkunftsland",
                    region=participant.return_region or "der Heimatregion",
                )
                for topic in topics
            ),
            next_steps=rng.choice(NEXT_STEPS),
        )
        session._history_user = session.counsellor
        session._history_date = started + datetime.timedelta(minutes=session.duration_minutes)
        session.save()
        if members and rng.random() < 0.35:
            session.household_attendees.set(rng.sample(members, k=rng.randint(1, len(members))))
        events.append(
            CaseEvent(
                participant=participant,
                kind="session_logged",
                actor=session.counsellor,
                at=session._history_date,
                data={
                    "session_id": session.pk,
                    "started_at": started.isoformat(),
                    "mode": session.mode,
                    "minutes": session.duration_minutes,
                    "topics": session.topic_codes,
                },
            )
        )
    CaseEvent.objects.bulk_create(events)
    Participant.objects.filter(pk=participant.pk).update(last_contact_on=days[-1])
    participant.last_contact_on = days[-1]


def _appointments(ctx: DemoContext, interpreters: dict) -> None:
    rng = ctx.random
    plans = [
        # username, centre code, appointments per weekday (min, max)
        ("beratung", "EF", (2, 4)),
        ("beratung3", "EF", (1, 3)),
        ("leitung", "EF", (0, 2)),
        ("beratung2", "GE", (1, 2)),
    ]
    for username, code, (low, high) in plans:
        counsellor = ctx.users.get(username)
        centre = ctx.centres.get(code)
        if counsellor is None or centre is None:
            continue
        cases = [
            p
            for p in ctx.participants
            if p.assigned_counsellor_id == counsellor.pk
            and p.stage in (Stage.FIRST_CONTACT, Stage.COUNSELLING, Stage.ROADMAP_DEVELOPMENT, Stage.GOALS_AGREED, Stage.ROADMAP_SHARED)
        ]  # fmt: skip
        place = f"{centre.name}, {centre.street}" if centre.street else centre.name
        for offset in range(-14, 22):
            day = ctx.days(offset)
            if day.weekday() >= 5:
                continue
            if day.weekday() == 0 and code == "EF":
                _book(ctx, counsellor, None, day, (8, 30), 60, INTERNAL[0][0], INTERNAL[0][1], None, "", offset)
            if not cases:
                continue
            for hour_minute in sorted(rng.sample(SLOTS, k=rng.randint(low, high))):
                participant = rng.choice(cases)
                interpreter = None
                if participant.needs_interpreter:
                    interpreter = _interpreter_for(participant, interpreters.get(centre.pk, []))
                video = rng.random() < 0.2
                title = rng.choice(["Beratung", "Beratung", "Folgeberatung", "Rückkehrplanung", "Dokumente besprechen"])
                _book(
                    ctx, counsellor, participant, day, hour_minute, rng.choice([60, 60, 90]), title,
                    "" if video else place, interpreter,
                    f"https://video.mira-thueringen.example/{participant.case_number.lower()}" if video else "",
                    offset,
                )  # fmt: skip
        if code == "EF":
            _book(ctx, counsellor, None, ctx.days(9), (13, 0), 180, INTERNAL[2][0], INTERNAL[2][1], None, "", 9)


def _book(ctx, counsellor, participant, day, hour_minute, minutes, title, place, interpreter, video_link, offset):
    if day.weekday() >= 5:
        return
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(*hour_minute)))
    appointment = Appointment(
        counsellor=counsellor,
        participant=participant,
        title=title,
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=minutes),
        place=place,
        video_link=video_link,
        interpreter=interpreter,
    )
    try:
        appointment_create(appointment=appointment, actor=counsellor)
    except ValidationError:
        if interpreter is None:
            return  # the counsellor is taken: no second appointment at this time
        appointment.pk = None
        appointment.interpreter = None
        try:
            appointment_create(appointment=appointment, actor=counsellor)
        except ValidationError:
            return
    booked_at = min(timezone.now(), start - datetime.timedelta(days=ctx.random.randint(3, 14)))
    CaseEvent.objects.filter(kind="appointment_booked", data__appointment_id=appointment.pk).update(at=booked_at)
    Appointment.objects.filter(pk=appointment.pk).update(created_at=booked_at)
    if appointment.ends_at < timezone.now() and offset < 0:
        status = AppointmentStatus.CANCELLED if ctx.random.random() < 0.1 else AppointmentStatus.DONE
        appointment_set_status(appointment=appointment, status=status, actor=counsellor)
        CaseEvent.objects.filter(kind=f"appointment_{'done' if status == AppointmentStatus.DONE else 'cancelled'}",
                                 data__appointment_id=appointment.pk).update(at=appointment.ends_at)  # fmt: skip
        Appointment.objects.filter(pk=appointment.pk).update(reminder_sent_at=start - datetime.timedelta(hours=20))
