import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mira.accounts.models import Role
from mira.counselling.calendar_grid import build_grid, week_days
from mira.counselling.models import AppointmentStatus
from mira.counselling.tests.factories import AppointmentFactory, InterpreterFactory
from mira.participants.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 11, 23)


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _calendar(client, **query):
    return client.get(reverse("counselling:calendar"), query)


def test_calendar_week_shows_own_appointments_with_case_place_and_interpreter(client, counsellor, make_user):
    case = ParticipantFactory(
        centre=counsellor.centre, case_number="EF-2026-0042", first_name="Giorgi", last_name="Beridze"
    )
    interpreter = InterpreterFactory(centre=counsellor.centre, name="Nino Tsereteli")
    AppointmentFactory(
        centre=counsellor.centre,
        counsellor=counsellor,
        participant=case,
        interpreter=interpreter,
        title="Rückkehrplanung",
        starts_at=_at(MONDAY + datetime.timedelta(days=2), 10),
        ends_at=_at(MONDAY + datetime.timedelta(days=2), 11),
    )
    colleague = make_user(Role.COUNSELLOR, username="kollege")
    AppointmentFactory(
        centre=counsellor.centre,
        counsellor=colleague,
        title="Fremder Termin",
        starts_at=_at(MONDAY, 9),
        ends_at=_at(MONDAY, 10),
    )
    client.force_login(counsellor)
    response = _calendar(client, view="week", date="2026-11-25")
    assert response.status_code == 200
    assert [column.day for column in response.context["grid"].columns] == [
        MONDAY + datetime.timedelta(days=offset) for offset in range(5)
    ]
    wednesday = response.context["grid"].columns[2]
    assert [a.title for a in wednesday.appointments] == ["Rückkehrplanung"]
    assert wednesday.blocks[0].css == "mira-cal-r9 mira-cal-s4 mira-cal-c1 mira-cal-w1 mira-cal-p0"
    page = response.content.decode()
    assert "EF-2026-0042</span> Giorgi Beridze" in page
    assert "Nino Tsereteli" in page
    assert "Fremder Termin" not in page


def test_calendar_centre_view_shows_everyones_appointments_side_by_side(client, counsellor, make_user):
    colleague = make_user(Role.COUNSELLOR, username="kollege")
    for person in (counsellor, colleague):
        AppointmentFactory(
            centre=counsellor.centre, counsellor=person, starts_at=_at(MONDAY, 10), ends_at=_at(MONDAY, 11)
        )
    client.force_login(counsellor)
    response = _calendar(client, view="week", date="2026-11-23", who="all")
    monday = response.context["grid"].columns[0]
    assert sorted((block.lane, block.width) for block in monday.blocks) == [(1, 1), (2, 1)]


def test_calendar_day_view_of_the_centre_has_a_column_per_counsellor(client, counsellor, coordinator, make_user):
    make_user(Role.FINANCE, username="verwaltung")
    client.force_login(coordinator)
    response = _calendar(client, view="day", date="2026-11-23", who="all")
    assert [column.counsellor for column in response.context["grid"].columns] == [counsellor, coordinator]


def test_calendar_of_a_colleague_and_unknown_who_falls_back_to_me(client, counsellor, counsellor_other_centre):
    client.force_login(counsellor)
    response = _calendar(client, who=str(counsellor_other_centre.pk))
    assert (response.context["who"], response.context["chosen"]) == ("me", counsellor)


def test_calendar_navigation_links_move_by_a_week(client, counsellor):
    client.force_login(counsellor)
    response = _calendar(client, view="week", date="2026-11-25", who="me")
    assert response.context["previous_url"] == "/calendar/?view=week&date=2026-11-18&who=me"
    assert response.context["next_url"] == "/calendar/?view=week&date=2026-12-02&who=me"


def test_calendar_columns_carry_what_their_slot_links_are_made_of(client, counsellor, make_user):
    # mira.js makes a link per half hour from these attributes (tested in the browser).
    colleague = make_user(Role.COUNSELLOR, username="kollege")
    client.force_login(counsellor)
    own = _calendar(client, view="day", date="2026-11-23")
    assert own.context["grid"].columns[0].new_url == "/calendar/appointments/new/"
    assert (
        '<div class="mira-cal-slots" data-slots-day="2026-11-23" data-slots-from="8" data-slots-to="18" '
        'data-slots-minutes="30" data-slots-href="/calendar/appointments/new/" data-slots-title="Neuer Termin"></div>'
    ) in own.content.decode()
    # A colleague's calendar and the centre's day: the slots book for the column's counsellor.
    theirs = _calendar(client, view="week", date="2026-11-23", who=colleague.pk)
    assert {column.new_url for column in theirs.context["grid"].columns} == {
        f"/calendar/appointments/new/?counsellor={colleague.pk}"
    }
    centre = _calendar(client, view="day", date="2026-11-23", who="all")
    assert {column.counsellor.pk: column.new_url for column in centre.context["grid"].columns} == {
        person.pk: f"/calendar/appointments/new/?counsellor={person.pk}" for person in (counsellor, colleague)
    }


def test_calendar_hides_cancelled_appointments(client, counsellor):
    AppointmentFactory(
        centre=counsellor.centre,
        counsellor=counsellor,
        status=AppointmentStatus.CANCELLED,
        starts_at=_at(MONDAY, 10),
        ends_at=_at(MONDAY, 11),
    )
    client.force_login(counsellor)
    assert _calendar(client, date="2026-11-23").context["count"] == 0


def test_calendar_grid_extends_to_early_appointments():
    class Appointment:
        counsellor_id = 1
        starts_at = _at(MONDAY, 7, 15)
        ends_at = _at(MONDAY, 8, 0)

    grid = build_grid(days=[MONDAY], appointments=[Appointment()], today=MONDAY)
    assert (grid.first_hour, grid.last_hour) == (7, 18)
    assert grid.columns[0].blocks[0].css == "mira-cal-r2 mira-cal-s3 mira-cal-c1 mira-cal-w1 mira-cal-p0"


def test_calendar_week_includes_a_weekend_day_only_with_appointments():
    class Appointment:
        starts_at = _at(MONDAY + datetime.timedelta(days=5), 10)

    assert week_days(MONDAY, [Appointment()]) == [MONDAY + datetime.timedelta(days=d) for d in range(6)]
    assert week_days(MONDAY, []) == [MONDAY + datetime.timedelta(days=d) for d in range(5)]


def test_calendar_shows_holidays_of_thuringia(client, counsellor):
    client.force_login(counsellor)
    response = _calendar(client, view="day", date="2026-09-20", HTTP_ACCEPT_LANGUAGE="de")
    assert response.context["grid"].columns[0].holiday == "Weltkindertag"


@pytest.mark.parametrize("view,who", [("week", "me"), ("week", "all"), ("day", "all")])
def test_calendar_queries_stay_constant(client, counsellor, make_user, view, who, django_assert_max_num_queries):
    interpreter = InterpreterFactory(centre=counsellor.centre)
    colleague = make_user(Role.COUNSELLOR, username="kollege")
    AppointmentFactory(
        centre=counsellor.centre, counsellor=counsellor, starts_at=_at(MONDAY, 9), ends_at=_at(MONDAY, 10)
    )
    client.force_login(counsellor)
    with django_assert_max_num_queries(11):
        response = _calendar(client, view=view, date="2026-11-23", who=who)
    assert response.context["count"] == 1
    for offset in range(5):
        day = MONDAY + datetime.timedelta(days=offset)
        for hour in (9, 11, 14):
            for person in (counsellor, colleague):
                AppointmentFactory(
                    centre=counsellor.centre,
                    counsellor=person,
                    interpreter=interpreter if person == counsellor and hour == 14 else None,
                    participant=ParticipantFactory(centre=counsellor.centre),
                    starts_at=_at(day, hour, 30),
                    ends_at=_at(day, hour + 1, 30),
                )
    with django_assert_max_num_queries(11):
        response = _calendar(client, view=view, date="2026-11-23", who=who)
    assert response.context["count"] > 1


def test_calendar_with_a_date_far_out_shows_today(client, counsellor):
    client.force_login(counsellor)
    response = _calendar(client, date="9999-12-31")
    assert response.status_code == 200
    assert response.context["anchor"] == timezone.localdate()
