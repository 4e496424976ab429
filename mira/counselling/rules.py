"""Who may do what with sessions, appointments, interpreters and the calendar feed.

Sessions: every case worker of the centre reads them; only the author edits.
Appointments: every case worker of the centre sees the centre calendar and books;
the appointment's counsellor, whoever booked it, or a coordinator changes it.
"""

import rules

from mira.accounts.rules import is_case_worker, is_coordinator, same_centre


@rules.predicate
def is_session_author(user, session) -> bool:
    return session is not None and session.counsellor_id == user.pk


@rules.predicate
def is_open_case(user, participant) -> bool:
    return participant is not None and participant.is_open


@rules.predicate
def is_own_or_booked_appointment(user, appointment) -> bool:
    return appointment is not None and user.pk in (appointment.counsellor_id, appointment.created_by_id)


@rules.predicate
def is_planned_appointment(user, appointment) -> bool:
    return appointment is not None and appointment.is_planned


rules.add_perm("counselling.view_calendar", is_case_worker)
rules.add_perm("counselling.view_my_day", is_case_worker)
rules.add_perm("counselling.use_calendar_feed", is_case_worker)

# obj: a participant
rules.add_perm("counselling.list_sessions", is_case_worker & same_centre)
rules.add_perm("counselling.add_session", is_case_worker & same_centre & is_open_case)
# obj: a session
rules.add_perm("counselling.view_session", is_case_worker & same_centre)
rules.add_perm("counselling.change_session", is_case_worker & same_centre & is_session_author)

# without object: may book at all; obj: an appointment
rules.add_perm("counselling.add_appointment", is_case_worker)
rules.add_perm("counselling.view_appointment", is_case_worker & same_centre)
rules.add_perm(
    "counselling.change_appointment",
    is_case_worker & same_centre & is_planned_appointment & (is_own_or_booked_appointment | is_coordinator),
)

# without object: the list; obj: an interpreter
rules.add_perm("counselling.view_interpreters", is_case_worker)
rules.add_perm("counselling.add_interpreter", is_case_worker)
rules.add_perm("counselling.change_interpreter", is_case_worker & same_centre)
