"""Reads of counselling work. Everything here runs inside the centre scope."""

import datetime
import hashlib
import hmac
from dataclasses import dataclass, field

from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone

from mira.accounts.models import Role, User
from mira.core.dates import day_start
from mira.core.pagination import first_counted
from mira.counselling.models import Appointment, AppointmentStatus, CalendarFeedToken, CounsellingSession, Interpreter
from mira.participants.models import HouseholdMember, Participant, Stage

# A case without contact for this many days shows on the counsellor's start page.
NO_CONTACT_DAYS = 30


def sessions_of_case(*, participant: Participant) -> QuerySet[CounsellingSession]:
    return (
        CounsellingSession.objects.filter(participant=participant)
        .select_related("counsellor", "interpreter")
        .prefetch_related(Prefetch("household_attendees", queryset=HouseholdMember.objects.all()))
    )


def appointments_between(
    *, start: datetime.datetime, end: datetime.datetime, counsellor: User | None = None, include_cancelled: bool = False
) -> QuerySet[Appointment]:
    """Appointments that overlap [start, end), of one counsellor or of the whole centre."""
    appointments = Appointment.objects.filter(starts_at__lt=end, ends_at__gt=start).select_related(
        "participant", "interpreter", "counsellor"
    )
    if counsellor is not None:
        appointments = appointments.filter(counsellor=counsellor)
    if not include_cancelled:
        appointments = appointments.exclude(status=AppointmentStatus.CANCELLED)
    return appointments.order_by("starts_at", "counsellor__last_name", "id")


def appointment_conflicts(
    *,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    counsellor: User | None,
    interpreter: Interpreter | None,
    exclude_id: int | None = None,
) -> QuerySet[Appointment]:
    """Other appointments (not cancelled) of the counsellor or the interpreter that overlap [starts_at, ends_at)."""
    who = Q()
    if counsellor is not None:
        who |= Q(counsellor=counsellor)
    if interpreter is not None:
        who |= Q(interpreter=interpreter)
    if not who:
        return Appointment.objects.none()
    conflicts = (
        Appointment.objects.filter(who, starts_at__lt=ends_at, ends_at__gt=starts_at)
        .exclude(status=AppointmentStatus.CANCELLED)
        .select_related("participant", "counsellor", "interpreter")
        .order_by("starts_at", "id")
    )
    if exclude_id is not None:
        conflicts = conflicts.exclude(pk=exclude_id)
    return conflicts


def upcoming_appointments_of_case(*, participant: Participant, now: datetime.datetime | None = None, limit: int = 3):
    now = now or timezone.now()
    return list(
        Appointment.objects.filter(participant=participant, ends_at__gt=now, status=AppointmentStatus.PLANNED)
        .select_related("counsellor", "interpreter")
        .order_by("starts_at", "id")[:limit]
    )


def calendar_staff(*, centre_id: int) -> QuerySet[User]:
    """The people who have a calendar: active counsellors and coordinators of the centre."""
    return User.objects.filter(
        centre_id=centre_id, role__in=[Role.COUNSELLOR, Role.COORDINATOR], is_active=True
    ).order_by("last_name", "first_name", "username")


def interpreters_of_centre(*, centre_id: int, active_only: bool = False) -> QuerySet[Interpreter]:
    interpreters = Interpreter.objects.filter(centre_id=centre_id)
    if active_only:
        interpreters = interpreters.filter(is_active=True)
    return interpreters.order_by("name", "id")


@dataclass
class MyDay:
    today: datetime.date
    now: datetime.datetime = field(default_factory=timezone.now)
    appointments: list = field(default_factory=list)
    tasks: list = field(default_factory=list)
    tasks_total: int = 0
    cases_without_contact: list = field(default_factory=list)
    cases_without_contact_total: int = 0


# Stages in which the counsellor is the one who keeps in touch; after the departure the
# partner coaches abroad do (coaching after return), so those cases do not count as silent.
COUNSELLING_STAGES = [
    Stage.FIRST_CONTACT,
    Stage.COUNSELLING,
    Stage.ROADMAP_DEVELOPMENT,
    Stage.GOALS_AGREED,
    Stage.ROADMAP_SHARED,
]


def cases_without_contact(*, user: User, today: datetime.date, days: int = NO_CONTACT_DAYS) -> QuerySet[Participant]:
    """The user's cases in counselling (not yet departed, not closed) with no contact for `days` days
    or more, or none at all since they were opened that long ago; the longest silent first."""
    limit = today - datetime.timedelta(days=days)
    return (
        Participant.objects.filter(assigned_counsellor=user, stage__in=COUNSELLING_STAGES)
        .filter(Q(last_contact_on__lte=limit) | Q(last_contact_on__isnull=True, opened_on__lte=limit))
        .order_by(F("last_contact_on").asc(nulls_first=True), "opened_on", "id")
    )


def my_day(*, user: User, today: datetime.date, no_contact_limit: int = 10, tasks_limit: int = 12) -> MyDay:
    """What the counsellor's start page shows: today's own appointments, tasks due, cases gone quiet."""
    from mira.accompaniment.selectors import tasks_for_my_day

    start = day_start(today)
    end = day_start(today + datetime.timedelta(days=1))
    # Each list with its length in one query: they are one counsellor's, sorted in full anyway.
    quiet, quiet_total = first_counted(cases_without_contact(user=user, today=today), no_contact_limit)
    # The most urgent tasks; the rest are on My tasks (a counsellor back from leave may have dozens).
    tasks, tasks_total = first_counted(tasks_for_my_day(user=user, today=today), tasks_limit)
    return MyDay(
        today=today,
        appointments=list(appointments_between(start=start, end=end, counsellor=user)),
        tasks=tasks,
        tasks_total=tasks_total,
        cases_without_contact=[_with_silence(case, today) for case in quiet],
        cases_without_contact_total=quiet_total,
    )


def _with_silence(participant: Participant, today: datetime.date) -> Participant:
    participant.days_without_contact = (today - (participant.last_contact_on or participant.opened_on)).days
    return participant


def calendar_feed_token_lookup(token: str) -> CalendarFeedToken | None:
    """The active feed token matching the secret, if its owner may still use a feed.

    The selector (the first characters) finds the row; the hash is compared in constant time.
    """
    if len(token) < 20:
        return None
    candidate = (
        CalendarFeedToken.objects.filter(selector=token[:12], revoked_at__isnull=True).select_related("user").first()
    )
    if candidate is None:
        return None
    digest = hashlib.sha256(token.encode()).hexdigest()
    if not hmac.compare_digest(candidate.token_hash, digest):
        return None
    user = candidate.user
    if not (user.is_active and user.has_perm("counselling.use_calendar_feed")):
        return None
    return candidate


def calendar_feed_token_active(*, user: User) -> CalendarFeedToken | None:
    return CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).first()


def feed_appointments(*, user: User, now: datetime.datetime | None = None) -> QuerySet[Appointment]:
    """The appointments of a counsellor's feed: the last 30 days and the next 90, cancelled ones included
    (so calendar programs remove them)."""
    now = now or timezone.now()
    return appointments_between(
        start=now - datetime.timedelta(days=30),
        end=now + datetime.timedelta(days=90),
        counsellor=user,
        include_cancelled=True,
    )
