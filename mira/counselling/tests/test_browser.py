"""The counsellor's main flow in a real browser: log a session, book an appointment,
see it in the week view, download it as .ics."""

import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from mira.accounts.models import Role
from mira.counselling.tests.factories import AppointmentFactory, CounsellingSessionFactory, InterpreterFactory
from mira.participants.models import Stage
from mira.participants.tests.factories import HouseholdMemberFactory, ParticipantFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _next_weekday(after: datetime.date) -> datetime.date:
    day = after + datetime.timedelta(days=1)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@pytest.fixture
def desk(counsellor, make_user):
    """A counsellor's working week: cases, an interpreter, a colleague, some appointments."""
    centre = counsellor.centre
    centre.street = "Magdeburger Allee 124"
    centre.save()
    case = ParticipantFactory(
        centre=centre,
        case_number="EF-2026-0042",
        first_name="Giorgi",
        last_name="Beridze",
        assigned_counsellor=counsellor,
        stage=Stage.COUNSELLING,
        needs_interpreter=True,
        interpreter_language="ka",
        last_contact_on=timezone.localdate() - datetime.timedelta(days=12),
    )
    HouseholdMemberFactory(participant=case, first_name="Nino", last_name="Beridze")
    interpreter = InterpreterFactory(centre=centre, name="Nino Tsereteli", languages="ka ru")
    colleague = make_user(Role.COUNSELLOR, username="beratung3", first_name="Tobias", last_name="Wagner")
    quiet = ParticipantFactory(
        centre=centre,
        case_number="EF-2026-0007",
        first_name="Zainab",
        last_name="Jaber",
        assigned_counsellor=counsellor,
        stage=Stage.ROADMAP_DEVELOPMENT,
        last_contact_on=timezone.localdate() - datetime.timedelta(days=41),
    )
    CounsellingSessionFactory(
        participant=case, counsellor=counsellor, started_at=_at(timezone.localdate() - datetime.timedelta(days=12), 10)
    )
    today = timezone.localdate()
    AppointmentFactory(centre=centre, counsellor=counsellor, participant=quiet, title="Folgeberatung",
                       starts_at=_at(today, 9), ends_at=_at(today, 10), interpreter=None)  # fmt: skip
    AppointmentFactory(centre=centre, counsellor=counsellor, participant=None, title="Teamsitzung",
                       starts_at=_at(today, 13), ends_at=_at(today, 14), place="Besprechungsraum")  # fmt: skip
    week_day = _next_weekday(today + datetime.timedelta(days=2))
    monday = week_day - datetime.timedelta(days=week_day.weekday())
    for offset, hour, person, title in [
        (0, 9, counsellor, "Teamsitzung"),
        # Never at 14:00: the test books the chosen day at 14:00, and that day may be this Tuesday.
        (1, 11, counsellor, "Dokumente besprechen"),
        (2, 10, colleague, "Beratung"),
        (2, 10, counsellor, "Rückkehrplanung"),
        (3, 11, colleague, "Folgeberatung"),
    ]:
        day = monday + datetime.timedelta(days=offset)
        if day <= today:
            continue
        AppointmentFactory(centre=centre, counsellor=person, title=title, participant=quiet if title != "Teamsitzung" else None,
                           starts_at=_at(day, hour), ends_at=_at(day, hour + 1))  # fmt: skip
    return {"case": case, "interpreter": interpreter, "colleague": colleague, "day": week_day}


def test_counsellor_logs_a_session_books_an_appointment_and_finds_it_in_the_week(page, login_as, screenshot, desk):
    case, day = desk["case"], desk["day"]
    login_as(page, "beratung")

    # My day is the start page.
    page.wait_for_selector("text=Heutige Termine")
    assert page.locator(".mira-my-day-appointments li").count() == 2
    assert page.locator(".mira-my-day-quiet").inner_text().count("EF-2026-0007") == 1
    screenshot(page, "counselling-my-day")

    # Record a session on the case.
    page.goto(f"/cases/{case.pk}/sessions/new/")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    page.get_by_label("Datum").fill(yesterday.isoformat())
    page.get_by_label("Beginn").fill("10:30")
    page.get_by_label("Dauer (Minuten)").fill("75")
    page.get_by_label("Rückkehroptionen").check()
    page.get_by_label("Existenzgründung").check()
    page.get_by_label("Dolmetschung", exact=True).select_option(label="Nino Tsereteli (Georgisch, Russisch)")
    page.get_by_label(re.compile(r"^Nino Beridze")).check()
    page.get_by_label("Notizen").fill("TN möchte in Kutaissi eine kleine Autowerkstatt eröffnen. REAG/GARP erläutert.")
    page.get_by_label("Vereinbarte nächste Schritte").fill("Kostenvoranschläge für Werkzeug einholen.")
    screenshot(page, "counselling-session-form")
    page.get_by_role("button", name="Gespräch erfassen").click()
    page.wait_for_selector("text=Das Gespräch wurde erfasst.")
    assert "Existenzgründung" in page.locator("main").inner_text()
    assert "Nino Beridze (Kind)" in page.locator("main").inner_text()
    screenshot(page, "counselling-session-detail")

    page.goto(f"/cases/{case.pk}/sessions/")
    assert page.locator(".mira-session").count() == 2
    screenshot(page, "counselling-session-list")

    # Book an appointment for the case, with the interpreter.
    page.get_by_role("link", name="Termin vereinbaren").first.click()
    page.wait_for_url(re.compile(r"/calendar/appointments/new/"))
    assert page.get_by_label("Fall", exact=True).input_value() == "EF-2026-0042"
    page.get_by_label("Titel").fill("Businessplan besprechen")
    page.get_by_label("Datum").fill(day.isoformat())
    page.get_by_label("Von").fill("14:00")
    page.get_by_label("Bis").fill("15:30")
    page.get_by_label("Dolmetschung").select_option(label="Nino Tsereteli (Georgisch, Russisch)")
    page.get_by_role("button", name="Termin vereinbaren").click()
    page.wait_for_selector("text=Der Termin wurde vereinbart.")

    # The week view shows it as a block with time, case and interpreter.
    block = page.locator(".mira-cal .mira-cal-event", has_text="Businessplan besprechen")
    expect(block).to_be_visible()
    text = block.inner_text()
    assert "14:00–15:30" in text and "EF-2026-0042" in text and "Nino Tsereteli" in text
    screenshot(page, "counselling-calendar-week")

    # The same slot again is refused, with the reason next to the field.
    page.goto(f"/calendar/appointments/new/?participant={case.pk}&start={day.isoformat()}T14:30")
    page.get_by_role("button", name="Termin vereinbaren").click()
    error = page.locator("#id_counsellor_error")
    assert "Anna Keller hat zu dieser Zeit bereits einen Termin" in error.inner_text()
    assert "„Businessplan besprechen“ (EF-2026-0042)" in error.inner_text()
    screenshot(page, "counselling-appointment-conflict")

    # Open it and download it as .ics.
    page.goto(f"/calendar/?view=week&date={day.isoformat()}")
    page.locator(".mira-cal .mira-cal-event", has_text="Businessplan besprechen").click()
    page.wait_for_selector("h1:has-text('Businessplan besprechen')")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=".ics herunterladen").click()
    content = Path(download_info.value.path()).read_bytes()
    [event] = Calendar.from_ical(content).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Businessplan besprechen · EF-2026-0042"
    assert event.decoded("DTSTART") == _at(day, 14)
    assert event.decoded("DTEND") == _at(day, 15, 30)

    # Day view of the whole centre, and the subscription page.
    page.goto(f"/calendar/?view=day&date={day.isoformat()}&who=all")
    assert page.locator(".mira-cal .mira-cal-colhead").count() == 2
    screenshot(page, "counselling-calendar-day-centre")
    page.goto(f"/calendar/?view=week&date={day.isoformat()}&who=all")
    screenshot(page, "counselling-calendar-week-centre")
    page.goto("/calendar/subscription/")
    page.get_by_role("button", name="Kalenderadresse erstellen").click()
    feed_url = page.locator("#feed-url").input_value()
    assert re.fullmatch(r"http://[^/]+/calendar/feed/[A-Za-z0-9_-]{43}\.ics", feed_url)
    screenshot(page, "counselling-feed")


def test_an_empty_slot_of_the_calendar_opens_a_new_appointment_at_its_time(page, login_as, desk):
    login_as(page, "beratung")
    # The last Sunday of October: summer time ends at 3:00, the slots still follow the wall clock.
    page.goto("/calendar/?view=day&date=2026-10-25")
    slots = page.locator(".mira-cal .mira-cal-slot")
    expect(slots).to_have_count(20)
    assert [slots.nth(index).get_attribute("data-slot") for index in (0, 1, 19)] == [
        "2026-10-25T08:00",
        "2026-10-25T08:30",
        "2026-10-25T17:30",
    ]
    assert slots.nth(3).get_attribute("title") == "Neuer Termin 09:30"
    assert page.locator(".mira-cal .mira-cal-slot.is-hour").count() == 10
    slots.nth(3).click()
    page.wait_for_url(re.compile(r"/calendar/appointments/new/\?start=2026-10-25T09%3A30$"))
    assert page.get_by_label("Datum").input_value() == "2026-10-25"
    assert page.get_by_label("Von").input_value() == "09:30"
    # In the centre's day, a colleague's column books for the colleague.
    page.goto("/calendar/?view=day&date=2026-10-26&who=all")
    column = page.locator(".mira-cal").get_by_role("group", name="Tobias Wagner")
    expect(column.locator(".mira-cal-slot")).to_have_count(20)
    column.locator(".mira-cal-slot").nth(2).click()
    page.wait_for_url(re.compile(r"start=2026-10-26T09%3A00"))
    assert page.locator("#id_counsellor option:checked").inner_text() == "Tobias Wagner"


def test_counsellor_sees_the_calendar_as_a_list_at_tablet_width(page, login_as, desk):
    page.set_viewport_size({"width": 800, "height": 900})
    login_as(page, "beratung")
    page.goto(f"/calendar/?view=week&date={desk['day'].isoformat()}")
    expect(page.locator(".mira-cal")).to_be_hidden()
    expect(page.locator(".mira-cal-list")).to_be_visible()
    assert page.locator(".mira-cal-list section").count() == 5
