"""Synthetic counselling work at federal scale: interpreters per centre, a counselling session on
every contact day of a case's plan (about ten per case), the appointments they were booked as
(and some cancelled ones), planned appointments for the next three weeks of the open cases,
the weekly team meeting, and the timeline entries of all of it.

A counsellor's day is filled from a grid of half-hour slots, so sessions and appointments
of one counsellor do not overlap (as the booking service would refuse it).
"""

import datetime
import uuid

from mira.core.synthetic import SyntheticContext, bulk_insert, row
from mira.counselling.demo import INTERPRETERS, LATE_TOPICS, NEXT_STEPS, NOTES, STAGE_TOPICS
from mira.counselling.models import Appointment, AppointmentStatus, CounsellingSession, Interpreter, SessionMode, Topic
from mira.participants.models import CaseEvent, Stage

# Half-hour slots from 8:30 to 16:30.
SLOTS = [(8 + (30 + 30 * index) // 60, (30 + 30 * index) % 60) for index in range(17)]
BOOKED_SHARE = 0.6  # sessions that were booked as an appointment beforehand
CANCELLED_SHARE = 0.08  # appointments cancelled (per session)
PLANNING_DAYS = 21
COUNSELLING_STAGES = {Stage.FIRST_CONTACT, Stage.COUNSELLING, Stage.ROADMAP_DEVELOPMENT, Stage.GOALS_AGREED,
                      Stage.ROADMAP_SHARED}  # fmt: skip
TOPIC_ORDER = list(Topic.values)
PLACES = ["Beratungsraum 1", "Beratungsraum 2", "Beratungsraum 3", "Büro der Beratung"]


class Diary:
    """Which half-hour slots of a counsellor's day are taken."""

    def __init__(self):
        self.taken: dict[tuple[int, datetime.date], set] = {}

    def book(self, rng, counsellor_id: int, day: datetime.date, minutes: int, *, must_fit: bool) -> int | None:
        """The index of a free first slot for minutes, marked as taken; None if the day is full
        and must_fit (otherwise any slot)."""
        taken = self.taken.setdefault((counsellor_id, day), set())
        length = -(-minutes // 30)
        free = [i for i in range(len(SLOTS) - length + 1) if not any(i + k in taken for k in range(length))]
        if not free:
            if must_fit:
                return None
            free = list(range(len(SLOTS) - length + 1))
        start = rng.choice(free)
        taken.update(range(start, start + length))
        return start


def generate(ctx: SyntheticContext) -> None:
    rng = ctx.random
    interpreters = _interpreters(ctx)
    diary = Diary()
    for chunk in ctx.chunks():
        sessions, appointments = [], []
        for case in chunk:
            _case_sessions(ctx, case, interpreters, diary, sessions, appointments)
            if case.stage in COUNSELLING_STAGES and case.contact_days and case.contact_days[-1] >= ctx.days(-30):
                for _ in range(rng.choice((0, 1, 1, 2))):
                    day = _weekday(ctx.days(rng.randint(0, PLANNING_DAYS)))
                    appointment = _appointment(ctx, case, diary, day, AppointmentStatus.PLANNED, interpreters)
                    if appointment is not None:
                        appointments.append(appointment)
        created = bulk_insert(CounsellingSession, [session for session, _case in sessions])
        events = []
        for session, (_, case) in zip(created, sessions, strict=True):
            events.append(
                row(
                    CaseEvent,
                    participant_id=case.pk,
                    kind="session_logged",
                    actor_id=session.counsellor_id,
                    at=session.created_at,
                    data={
                        "session_id": session.pk,
                        "started_at": session.started_at.isoformat(),
                        "mode": session.mode,
                        "minutes": session.duration_minutes,
                        "topics": session.topic_codes,
                    },
                )
            )
        for appointment in bulk_insert(Appointment, appointments):
            data = {"appointment_id": appointment.pk, "starts_at": appointment.starts_at.isoformat(),
                    "title": appointment.title}  # fmt: skip
            events.append(row(CaseEvent, participant_id=appointment.participant_id, kind="appointment_booked",
                                    actor_id=appointment.counsellor_id, at=appointment.created_at, data=data))  # fmt: skip
            if appointment.status != AppointmentStatus.PLANNED:
                kind = "appointment_done" if appointment.status == AppointmentStatus.DONE else "appointment_cancelled"
                events.append(row(CaseEvent, participant_id=appointment.participant_id, kind=kind,
                                        actor_id=appointment.counsellor_id, at=appointment.updated_at, data=data))  # fmt: skip
        bulk_insert(CaseEvent, events)
    _team_meetings(ctx, diary)


def _interpreters(ctx: SyntheticContext) -> dict:
    """Per centre: language code -> [interpreter ids] (active ones)."""
    rows = []
    for centre in ctx.centres:
        for name, languages, phone, active in INTERPRETERS["EF"]:
            rows.append(row(Interpreter, centre_id=centre.id, name=f"{name} ({centre.city})", languages=languages,
                                    phone=phone, is_active=active))  # fmt: skip
    by_centre: dict = {}
    for interpreter in bulk_insert(Interpreter, rows):
        if interpreter.is_active:
            for code in interpreter.languages.split():
                by_centre.setdefault(interpreter.centre_id, {}).setdefault(code, []).append(interpreter.pk)
    return by_centre


def _stage_on(case, day: datetime.date) -> str:
    reached = [stage for stage, since in case.stage_dates.items() if since <= day]
    return reached[-1] if reached else Stage.FIRST_CONTACT


def _case_sessions(ctx, case, interpreters, diary, sessions, appointments) -> None:
    rng = ctx.random
    for day in case.contact_days:
        stage = _stage_on(case, day)
        pool = STAGE_TOPICS.get(stage) or (
            STAGE_TOPICS[Stage.COUNSELLING] if stage == Stage.FIRST_CONTACT else LATE_TOPICS
        )
        topics = rng.sample(pool, k=min(len(pool), rng.randint(1, 3)))
        minutes = rng.choice((45, 60, 60, 90))
        slot = diary.book(rng, case.counsellor_id, day, minutes, must_fit=False)
        started = ctx.aware(day, *SLOTS[slot])
        interpreter_id = None
        if case.interpreter_language:
            candidates = interpreters.get(case.centre_id, {}).get(case.interpreter_language)
            interpreter_id = rng.choice(candidates) if candidates and rng.random() < 0.8 else None
        ended = started + datetime.timedelta(minutes=minutes)
        session = row(
            CounsellingSession,
            participant_id=case.pk,
            counsellor_id=case.counsellor_id,
            started_at=started,
            duration_minutes=minutes,
            mode=rng.choices([SessionMode.IN_PERSON, SessionMode.PHONE, SessionMode.VIDEO], weights=[80, 12, 8])[0],
            topics=" ".join(code for code in TOPIC_ORDER if code in topics),
            language=case.interpreter_language or "de",
            interpreter_id=interpreter_id,
            interpreter_other="Telefondolmetschdienst" if case.interpreter_language and not interpreter_id else "",
            notes=" ".join(
                rng.choice(NOTES[topic]).format(country="das Herkunftsland", region=case.region) for topic in topics
            ),
            next_steps=rng.choice(NEXT_STEPS),
            created_at=ended,
            updated_at=ended,
        )
        sessions.append((session, case))
        if rng.random() < BOOKED_SHARE:
            booked = ended - datetime.timedelta(days=rng.randint(2, 14), minutes=minutes)
            appointments.append(
                row(
                    Appointment,
                    centre_id=case.centre_id,
                    uid=uuid.UUID(int=rng.getrandbits(128), version=4),
                    counsellor_id=case.counsellor_id,
                    participant_id=case.pk,
                    title="Beratungsgespräch",
                    starts_at=started,
                    ends_at=ended,
                    place=rng.choice(PLACES) if session.mode == SessionMode.IN_PERSON else "",
                    interpreter_id=interpreter_id,
                    status=AppointmentStatus.DONE,
                    reminder_sent_at=started - datetime.timedelta(days=1),
                    sequence=1,
                    created_by_id=case.counsellor_id,
                    created_at=booked,
                    updated_at=ended,
                )
            )
        if rng.random() < CANCELLED_SHARE:
            cancelled = _appointment(ctx, case, diary, day - datetime.timedelta(days=rng.randint(1, 7)),
                                     AppointmentStatus.CANCELLED, interpreters)  # fmt: skip
            if cancelled is not None:
                appointments.append(cancelled)


def _appointment(ctx, case, diary, day, status, interpreters) -> Appointment | None:
    rng = ctx.random
    day = _weekday(day)
    minutes = rng.choice((45, 60, 60, 90))
    slot = diary.book(rng, case.counsellor_id, day, minutes, must_fit=True)
    if slot is None:
        return None
    starts = ctx.aware(day, *SLOTS[slot])
    interpreter_id = None
    if case.interpreter_language:
        candidates = interpreters.get(case.centre_id, {}).get(case.interpreter_language)
        interpreter_id = rng.choice(candidates) if candidates else None
    booked = min(ctx.now, starts - datetime.timedelta(days=rng.randint(2, 14)))
    return row(
        Appointment,
        centre_id=case.centre_id,
        uid=uuid.UUID(int=rng.getrandbits(128), version=4),
        counsellor_id=case.counsellor_id,
        participant_id=case.pk,
        title=rng.choice(("Beratungsgespräch", "Folgetermin", "Gespräch zum Rückkehrfahrplan")),
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=minutes),
        place=rng.choice(PLACES),
        interpreter_id=interpreter_id,
        status=status,
        sequence=1 if status == AppointmentStatus.CANCELLED else 0,
        created_by_id=case.counsellor_id,
        created_at=booked,
        updated_at=min(ctx.now, starts - datetime.timedelta(hours=rng.randint(2, 48)))
        if status == AppointmentStatus.CANCELLED
        else booked,
    )


def _team_meetings(ctx: SyntheticContext, diary: Diary) -> None:
    """The weekly team meeting (Monday 9:00) of every counsellor, four weeks back and three ahead."""
    monday = ctx.today - datetime.timedelta(days=ctx.today.weekday())
    rows = []
    for centre in ctx.centres:
        staff = ctx.counsellors.get(centre.id, []) + ctx.coordinators.get(centre.id, [])
        for week in range(-4, 4):
            day = monday + datetime.timedelta(weeks=week)
            starts = ctx.aware(day, 9, 0)
            for user_id in staff:
                if not diary.taken.get((user_id, day), set()).isdisjoint({1, 2}):
                    continue
                rows.append(
                    row(
                        Appointment,
                        centre_id=centre.id,
                        uid=uuid.UUID(int=ctx.random.getrandbits(128), version=4),
                        counsellor_id=user_id,
                        title="Teamsitzung",
                        starts_at=starts,
                        ends_at=starts + datetime.timedelta(hours=1),
                        place="Besprechungsraum",
                        status=AppointmentStatus.DONE if day < ctx.today else AppointmentStatus.PLANNED,
                        created_by_id=user_id,
                        created_at=min(ctx.now, starts - datetime.timedelta(days=30)),
                        updated_at=min(ctx.now, starts - datetime.timedelta(days=30)),
                    )
                )
    bulk_insert(Appointment, rows)


def _weekday(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day
