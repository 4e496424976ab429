import datetime

from django.utils import timezone

from mira.core.testing.access import EVERYONE, OUTSIDER, STAFF_WITH_CASES, route


def _session(world):
    from mira.counselling.tests.factories import CounsellingSessionFactory

    return {"pk": CounsellingSessionFactory(participant=world.participant, counsellor=world.counsellor).pk}


def _appointment(world, *, started: bool = False):
    from mira.counselling.tests.factories import AppointmentFactory

    start = timezone.now() + datetime.timedelta(hours=-1 if started else 24)
    appointment = AppointmentFactory(
        centre=world.centre,
        counsellor=world.counsellor,
        created_by=world.counsellor,
        participant=world.participant,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
    )
    return {"pk": appointment.pk}


def _interpreter(world):
    from mira.counselling.tests.factories import InterpreterFactory

    return {"pk": InterpreterFactory(centre=world.centre).pk}


def _feed_token(world):
    from mira.counselling.services import calendar_feed_token_create

    return {"token": calendar_feed_token_create(user=world.counsellor)[1]}


def _case(world):
    return {"participant_pk": world.participant.pk}


# Lists without an object are open to the other centre's counsellor too (they see their own centre).
ROUTES = {
    "counselling:my_day": route(*STAFF_WITH_CASES, OUTSIDER),
    "counselling:session_list": route(*STAFF_WITH_CASES, kwargs=_case),
    "counselling:session_create": route(*STAFF_WITH_CASES, kwargs=_case),
    "counselling:session_detail": route(*STAFF_WITH_CASES, kwargs=_session),
    # Only the author edits a session (the coordinator reads it).
    "counselling:session_update": route("counsellor", kwargs=_session),
    "counselling:calendar": route(*STAFF_WITH_CASES, OUTSIDER),
    "counselling:appointment_create": route(*STAFF_WITH_CASES, OUTSIDER),
    "counselling:appointment_detail": route(*STAFF_WITH_CASES, kwargs=_appointment),
    "counselling:appointment_update": route(*STAFF_WITH_CASES, kwargs=_appointment),
    "counselling:appointment_cancel": route(*STAFF_WITH_CASES, kwargs=_appointment, post_only=True),
    "counselling:appointment_done": route(
        *STAFF_WITH_CASES, kwargs=lambda world: _appointment(world, started=True), post_only=True
    ),
    "counselling:appointment_ics": route(*STAFF_WITH_CASES, kwargs=_appointment),
    "counselling:feed_settings": route(*STAFF_WITH_CASES, OUTSIDER),
    "counselling:feed_create": route(*STAFF_WITH_CASES, OUTSIDER, post_only=True),
    "counselling:feed_revoke": route(*STAFF_WITH_CASES, OUTSIDER, post_only=True),
    # Calendar programs cannot log in: a valid secret opens the feed for anybody (a wrong one is 404).
    "counselling:ical_feed": route(*EVERYONE, kwargs=_feed_token),
    "counselling:interpreter_list": route(*STAFF_WITH_CASES, OUTSIDER),
    "counselling:interpreter_create": route(*STAFF_WITH_CASES, OUTSIDER),
    "counselling:interpreter_update": route(*STAFF_WITH_CASES, kwargs=_interpreter),
}
