"""Writes of counselling work. Each function runs in one transaction; what happens on a
case is written to its timeline."""

import datetime
import hashlib
import secrets
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from mira.accounts.models import Role, User
from mira.counselling.models import Appointment, AppointmentStatus, CalendarFeedToken, CounsellingSession, Interpreter
from mira.counselling.selectors import appointment_conflicts
from mira.participants.events import case_event_log
from mira.participants.models import HouseholdMember, Participant, Stage
from mira.participants.services import participant_set_stage

# A session may be logged a little ahead of the clock (the form is saved as the session ends).
SESSION_FUTURE_TOLERANCE = datetime.timedelta(minutes=15)


def participant_record_contact(*, participant: Participant, day: datetime.date) -> None:
    """Moves the case's last contact forward to day (never back: a session logged late keeps a later contact)."""
    Participant.objects.filter(pk=participant.pk).filter(
        Q(last_contact_on__isnull=True) | Q(last_contact_on__lt=day)
    ).update(last_contact_on=day)
    if participant.last_contact_on is None or participant.last_contact_on < day:
        participant.last_contact_on = day


# Sessions ---------------------------------------------------------------------------------


def _validate_session(session: CounsellingSession, attendees: list[HouseholdMember], *, previous=None) -> None:
    errors: dict[str, list[str]] = {}
    if session.started_at and session.started_at > timezone.now() + SESSION_FUTURE_TOLERANCE:
        errors.setdefault("started_at", []).append(
            _("A session is recorded once it has taken place; the start lies in the future.")
        )
    if session.interpreter_id and session.interpreter_other.strip():
        errors.setdefault("interpreter_other", []).append(
            _("Choose an interpreter from the list or name another one, not both.")
        )
    if session.interpreter_id:
        interpreter = session.interpreter
        unchanged = previous is not None and previous.interpreter_id == interpreter.pk
        if interpreter.centre_id != session.participant.centre_id or not (interpreter.is_active or unchanged):
            errors.setdefault("interpreter", []).append(_("This interpreter cannot be chosen."))
    if any(member.participant_id != session.participant_id for member in attendees):
        errors.setdefault("household_attendees", []).append(_("Only members of this household can be chosen."))
    if not session.participant_attended and not attendees:
        errors.setdefault("participant_attended", []).append(
            _("Tick who attended: the participant, a household member, or both.")
        )
    try:
        session.full_clean()
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _session_event_data(session: CounsellingSession) -> dict:
    return {
        "session_id": session.pk,
        "started_at": session.started_at.isoformat(),
        "mode": session.mode,
        "minutes": session.duration_minutes,
        "topics": session.topic_codes,
    }


def session_create(
    *, session: CounsellingSession, household_attendees: Iterable[HouseholdMember] = (), actor: User
) -> CounsellingSession:
    """Records a session held by actor.

    Side effects: the case's last contact moves to the session's day; a case in
    "first contact" moves to "counselling" (through participant_set_stage); a
    timeline entry is written.
    """
    attendees = list(household_attendees)
    session.counsellor = actor
    _validate_session(session, attendees)
    participant = session.participant
    with transaction.atomic():
        session._history_user = actor
        session.save()
        session.household_attendees.set(attendees)
        if participant.stage == Stage.FIRST_CONTACT:
            participant_set_stage(participant=participant, stage=Stage.COUNSELLING, actor=actor)
        participant_record_contact(participant=participant, day=timezone.localdate(session.started_at))
        case_event_log(participant=participant, kind="session_logged", actor=actor, **_session_event_data(session))
    return session


def session_update(
    *, session: CounsellingSession, household_attendees: Iterable[HouseholdMember] = (), actor: User
) -> CounsellingSession:
    """Saves the author's changes to a session; the history keeps every version."""
    if session.counsellor_id != actor.pk:
        raise PermissionDenied
    attendees = list(household_attendees)
    with transaction.atomic():
        previous = CounsellingSession.objects.select_for_update().get(pk=session.pk)
        _validate_session(session, attendees, previous=previous)
        session._history_user = actor
        session.save()
        if {m.pk for m in attendees} != set(previous.household_attendees.values_list("pk", flat=True)):
            session.household_attendees.set(attendees)
        participant_record_contact(participant=session.participant, day=timezone.localdate(session.started_at))
        case_event_log(
            participant=session.participant, kind="session_updated", actor=actor, **_session_event_data(session)
        )
    return session


# Appointments -----------------------------------------------------------------------------


def _when(appointment: Appointment) -> str:
    start = timezone.localtime(appointment.starts_at)
    end = timezone.localtime(appointment.ends_at)
    text = formats.date_format(start, "SHORT_DATETIME_FORMAT")
    if start.date() == end.date():
        return f"{text}–{formats.time_format(end, 'TIME_FORMAT')}"
    return f"{text} – {formats.date_format(end, 'SHORT_DATETIME_FORMAT')}"


def _describe(appointment: Appointment) -> str:
    if appointment.participant_id:
        return _("%(when)s “%(title)s” (%(case)s)") % {
            "when": _when(appointment),
            "title": appointment.title,
            "case": appointment.participant.case_number,
        }
    return _("%(when)s “%(title)s”") % {"when": _when(appointment), "title": appointment.title}


def _validate_appointment(appointment: Appointment, *, previous: Appointment | None = None) -> None:
    errors: dict[str, list[str]] = {}
    if appointment.starts_at and appointment.ends_at and appointment.ends_at <= appointment.starts_at:
        errors.setdefault("ends_at", []).append(_("The appointment must end after it starts."))
    counsellor = appointment.counsellor if appointment.counsellor_id else None
    if (
        counsellor is None
        or counsellor.centre_id != appointment.centre_id
        or counsellor.role not in (Role.COUNSELLOR, Role.COORDINATOR)
    ):
        errors.setdefault("counsellor", []).append(_("Choose a counsellor of this centre."))
    elif not counsellor.is_active:
        errors.setdefault("counsellor", []).append(_("This person no longer works with MIRA."))
    if appointment.participant_id and appointment.participant.centre_id != appointment.centre_id:
        errors.setdefault("participant", []).append(_("This case belongs to another centre."))
    if appointment.interpreter_id:
        interpreter = appointment.interpreter
        unchanged = previous is not None and previous.interpreter_id == interpreter.pk
        if interpreter.centre_id != appointment.centre_id or not (interpreter.is_active or unchanged):
            errors.setdefault("interpreter", []).append(_("This interpreter cannot be booked."))
    try:
        appointment.full_clean(validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _refuse_double_booking(appointment: Appointment) -> None:
    """Raises unless the counsellor and the interpreter are free in [starts_at, ends_at).

    The counsellor's and the interpreter's rows are locked first (always in this
    order), so two bookings for the same person at the same time are checked one
    after the other, never side by side.
    """
    User.objects.select_for_update().filter(pk=appointment.counsellor_id).first()
    if appointment.interpreter_id:
        Interpreter.objects.select_for_update().filter(pk=appointment.interpreter_id).first()
    errors: dict[str, list[str]] = {}
    conflicts = appointment_conflicts(
        starts_at=appointment.starts_at,
        ends_at=appointment.ends_at,
        counsellor=appointment.counsellor,
        interpreter=appointment.interpreter if appointment.interpreter_id else None,
        exclude_id=appointment.pk,
    )
    for other in conflicts:
        if other.counsellor_id == appointment.counsellor_id and "counsellor" not in errors:
            errors["counsellor"] = [
                _("%(name)s already has an appointment at this time: %(appointment)s.")
                % {"name": appointment.counsellor, "appointment": _describe(other)}
            ]
        if (
            appointment.interpreter_id
            and other.interpreter_id == appointment.interpreter_id
            and "interpreter" not in errors
        ):
            errors["interpreter"] = [
                _("The interpreter %(name)s is already booked at this time: %(appointment)s.")
                % {"name": appointment.interpreter, "appointment": _describe(other)}
            ]
    if errors:
        raise ValidationError(errors)


def _appointment_event_data(appointment: Appointment) -> dict:
    return {
        "appointment_id": appointment.pk,
        "starts_at": appointment.starts_at.isoformat(),
        "title": appointment.title,
    }


def appointment_create(*, appointment: Appointment, actor: User) -> Appointment:
    """Books an appointment in actor's centre; refused if the counsellor or the interpreter is taken."""
    appointment.centre_id = actor.centre_id
    appointment.created_by = actor
    appointment.status = AppointmentStatus.PLANNED
    appointment.sequence = 0
    _validate_appointment(appointment)
    with transaction.atomic():
        _refuse_double_booking(appointment)
        appointment._history_user = actor
        appointment.save()
        if appointment.participant_id:
            case_event_log(
                participant=appointment.participant,
                kind="appointment_booked",
                actor=actor,
                **_appointment_event_data(appointment),
            )
    return appointment


def appointment_update(*, appointment: Appointment, actor: User) -> Appointment:
    """Saves changes to a planned appointment, with the same double-booking rule.

    Side effects: calendar programs see a new version (sequence); a moved start
    sends the reminder again; the case's timeline notes a new time or title.
    """
    with transaction.atomic():
        previous = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if previous.status != AppointmentStatus.PLANNED:
            raise ValidationError(_("Only planned appointments can be changed."))
        _validate_appointment(appointment, previous=previous)
        _refuse_double_booking(appointment)
        if appointment.starts_at != previous.starts_at:
            appointment.reminder_sent_at = None
        appointment.sequence = previous.sequence + 1
        appointment.status = previous.status
        appointment._history_user = actor
        appointment.save()
        moved = (appointment.starts_at, appointment.ends_at, appointment.title) != (
            previous.starts_at,
            previous.ends_at,
            previous.title,
        )
        if appointment.participant_id and (moved or appointment.participant_id != previous.participant_id):
            case_event_log(
                participant=appointment.participant,
                kind="appointment_changed"
                if appointment.participant_id == previous.participant_id
                else "appointment_booked",
                actor=actor,
                **_appointment_event_data(appointment),
            )
    return appointment


ALLOWED_STATUS_CHANGES = {
    AppointmentStatus.PLANNED: {AppointmentStatus.DONE, AppointmentStatus.CANCELLED},
    AppointmentStatus.DONE: set(),
    AppointmentStatus.CANCELLED: set(),
}


def appointment_set_status(*, appointment: Appointment, status: str, actor: User) -> Appointment:
    """The single entry point for "held" and "cancelled".

    Side effects: a cancelled appointment gets a new sequence (calendar programs
    strike it); a held appointment with a case moves its last contact to that day;
    a timeline entry is written.
    """
    with transaction.atomic():
        current = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if status not in ALLOWED_STATUS_CHANGES[current.status]:
            raise ValidationError(
                _("An appointment that is “%(old)s” cannot become “%(new)s”.")
                % {"old": AppointmentStatus(current.status).label, "new": AppointmentStatus(status).label}
            )
        if status == AppointmentStatus.DONE and current.starts_at > timezone.now():
            raise ValidationError(_("An appointment can be marked as held once it has begun."))
        current.status = status
        current.sequence += 1
        current._history_user = actor
        current.save(update_fields=["status", "sequence", "updated_at"])
        appointment.status, appointment.sequence = current.status, current.sequence
        if appointment.participant_id:
            if status == AppointmentStatus.DONE:
                participant_record_contact(
                    participant=appointment.participant, day=timezone.localdate(appointment.starts_at)
                )
            case_event_log(
                participant=appointment.participant,
                kind="appointment_done" if status == AppointmentStatus.DONE else "appointment_cancelled",
                actor=actor,
                **_appointment_event_data(appointment),
            )
    return appointment


def appointment_reminders_send(*, today: datetime.date | None = None) -> int:
    """Emails each counsellor, once, about their planned appointments of the next day.

    Appointments are locked while their reminder is sent (skip_locked), so two
    workers never remind of the same appointment; the reminder is marked sent in
    the same transaction. Returns the number of emails sent.
    """
    from mira.core.dates import day_start
    from mira.counselling.notifications import reminder_email

    today = today or timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    start, end = day_start(tomorrow), day_start(tomorrow + datetime.timedelta(days=1))
    due = Appointment.objects.filter(
        starts_at__gte=start, starts_at__lt=end, status=AppointmentStatus.PLANNED, reminder_sent_at__isnull=True
    )
    sent = 0
    for counsellor_id in due.values_list("counsellor_id", flat=True).distinct().order_by("counsellor_id"):
        with transaction.atomic():
            appointments = list(
                due.filter(counsellor_id=counsellor_id)
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("participant", "interpreter", "counsellor")
                .order_by("starts_at", "id")
            )
            if not appointments:
                continue
            counsellor = appointments[0].counsellor
            if counsellor.email and counsellor.is_active:
                reminder_email(counsellor=counsellor, day=tomorrow, appointments=appointments).send()
                sent += 1
            Appointment.objects.filter(pk__in=[a.pk for a in appointments]).update(reminder_sent_at=timezone.now())
    return sent


# Interpreters -----------------------------------------------------------------------------


def interpreter_save(*, interpreter: Interpreter, actor: User) -> Interpreter:
    """Creates or changes an interpreter of actor's centre."""
    if interpreter.pk is None:
        interpreter.centre_id = actor.centre_id
    elif interpreter.centre_id != actor.centre_id:
        raise PermissionDenied
    interpreter.full_clean()
    with transaction.atomic():
        interpreter._history_user = actor
        interpreter.save()
    return interpreter


# Calendar feed ----------------------------------------------------------------------------


def calendar_feed_token_create(*, user: User) -> tuple[CalendarFeedToken, str]:
    """A new secret feed address for user; an earlier one stops working. Returns the token and its
    secret, which is shown once and never stored."""
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
        token = CalendarFeedToken.objects.create(
            user=user, selector=secret[:12], token_hash=hashlib.sha256(secret.encode()).hexdigest()
        )
    return token, secret


def calendar_feed_token_revoke(*, user: User) -> int:
    """Switches the user's feed address off. Returns how many tokens were revoked."""
    return CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def calendar_feed_token_mark_used(*, token: CalendarFeedToken) -> None:
    CalendarFeedToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
