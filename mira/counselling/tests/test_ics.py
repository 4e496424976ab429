import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from mira.counselling.models import AppointmentStatus, CalendarFeedToken
from mira.counselling.services import calendar_feed_token_create, calendar_feed_token_revoke
from mira.counselling.tests.factories import AppointmentFactory, InterpreterFactory
from mira.participants.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def _events(content: bytes) -> list:
    return Calendar.from_ical(content).walk("VEVENT")


@pytest.fixture
def appointment(counsellor):
    case = ParticipantFactory(
        centre=counsellor.centre, case_number="EF-2026-0042", first_name="Giorgi", last_name="Beridze"
    )
    start = timezone.make_aware(datetime.datetime(2026, 12, 1, 10, 30))
    return AppointmentFactory(
        centre=counsellor.centre,
        counsellor=counsellor,
        participant=case,
        title="Rückkehrplanung",
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=90),
        place="MIRA Erfurt, Raum 2",
        interpreter=InterpreterFactory(centre=counsellor.centre, name="Nino Tsereteli"),
        notes="Vertraulich: psychische Belastung",
    )


def test_appointment_ics_parses_with_the_right_times_and_no_names(client, counsellor, appointment):
    client.force_login(counsellor)
    response = client.get(reverse("counselling:appointment_ics", kwargs={"pk": appointment.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="mira-termin-2026-12-01-1030.ics"'
    calendar = Calendar.from_ical(response.content)
    assert (str(calendar["VERSION"]), str(calendar["PRODID"])) == ("2.0", "-//MIRA Thüringen//Beratungskalender//DE")
    [event] = _events(response.content)
    assert event.decoded("DTSTART") == datetime.datetime(2026, 12, 1, 9, 30, tzinfo=datetime.UTC)
    assert event.decoded("DTEND") == datetime.datetime(2026, 12, 1, 11, 0, tzinfo=datetime.UTC)
    assert str(event["UID"]) == f"{appointment.uid}@mira"
    assert str(event["SUMMARY"]) == "Rückkehrplanung · EF-2026-0042"
    assert str(event["LOCATION"]) == "MIRA Erfurt, Raum 2"
    assert str(event["DESCRIPTION"]) == "Dolmetschung: Nino Tsereteli"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event["SEQUENCE"] == 0
    assert "DTSTAMP" in event
    text = response.content.decode()
    assert "Beridze" not in text and "Giorgi" not in text and "Vertraulich" not in text


def test_ical_feed_lists_the_counsellors_appointments_and_marks_cancelled_ones(counsellor, make_user):
    now = timezone.now().replace(microsecond=0)
    kept = AppointmentFactory(
        centre=counsellor.centre,
        counsellor=counsellor,
        title="Beratung",
        starts_at=now + datetime.timedelta(days=2),
        ends_at=now + datetime.timedelta(days=2, hours=1),
    )
    cancelled = AppointmentFactory(
        centre=counsellor.centre,
        counsellor=counsellor,
        title="Abgesagt",
        status=AppointmentStatus.CANCELLED,
        sequence=1,
        starts_at=now + datetime.timedelta(days=3),
        ends_at=now + datetime.timedelta(days=3, hours=1),
    )
    AppointmentFactory(
        centre=counsellor.centre,
        counsellor=counsellor,
        title="Zu alt",
        starts_at=now - datetime.timedelta(days=31),
        ends_at=now - datetime.timedelta(days=31) + datetime.timedelta(hours=1),
    )
    AppointmentFactory(
        centre=counsellor.centre,
        counsellor=counsellor,
        title="Zu weit",
        starts_at=now + datetime.timedelta(days=91),
        ends_at=now + datetime.timedelta(days=91, hours=1),
    )
    AppointmentFactory(centre=counsellor.centre, title="Von jemand anderem")
    _token, secret = calendar_feed_token_create(user=counsellor)

    response = Client().get(reverse("counselling:ical_feed", kwargs={"token": secret}))

    assert response.status_code == 200
    events = {str(event["UID"]): event for event in _events(response.content)}
    assert sorted(events) == sorted([f"{kept.uid}@mira", f"{cancelled.uid}@mira"])
    assert str(events[f"{cancelled.uid}@mira"]["STATUS"]) == "CANCELLED"
    assert events[f"{cancelled.uid}@mira"]["SEQUENCE"] == 1
    assert events[f"{kept.uid}@mira"].decoded("DTSTART") == kept.starts_at
    assert CalendarFeedToken.objects.get().last_used_at is not None


def test_ical_feed_with_a_wrong_or_revoked_token_is_not_found(counsellor):
    _token, secret = calendar_feed_token_create(user=counsellor)
    client = Client()
    assert (
        client.get(
            reverse("counselling:ical_feed", kwargs={"token": secret[:-1] + ("A" if secret[-1] != "A" else "B")})
        ).status_code
        == 404
    )
    assert client.get(reverse("counselling:ical_feed", kwargs={"token": "kurz"})).status_code == 404
    calendar_feed_token_revoke(user=counsellor)
    assert client.get(reverse("counselling:ical_feed", kwargs={"token": secret})).status_code == 404


def test_ical_feed_token_is_stored_only_as_a_hash_and_a_new_one_replaces_the_old(counsellor):
    _first, first_secret = calendar_feed_token_create(user=counsellor)
    token, secret = calendar_feed_token_create(user=counsellor)
    assert secret not in token.token_hash and len(secret) == 43
    assert CalendarFeedToken.objects.filter(revoked_at__isnull=True).get() == token
    assert Client().get(reverse("counselling:ical_feed", kwargs={"token": first_secret})).status_code == 404
    assert Client().get(reverse("counselling:ical_feed", kwargs={"token": secret})).status_code == 200


def test_ical_feed_of_a_deactivated_user_is_not_found(counsellor):
    _token, secret = calendar_feed_token_create(user=counsellor)
    counsellor.is_active = False
    counsellor.save()
    assert Client().get(reverse("counselling:ical_feed", kwargs={"token": secret})).status_code == 404


def test_ical_feed_queries_stay_constant(counsellor, django_assert_max_num_queries):
    _token, secret = calendar_feed_token_create(user=counsellor)
    url = reverse("counselling:ical_feed", kwargs={"token": secret})
    AppointmentFactory(centre=counsellor.centre, counsellor=counsellor)
    with django_assert_max_num_queries(4):
        assert len(_events(Client().get(url).content)) == 1
    for day in range(1, 30):
        start = timezone.now() + datetime.timedelta(days=day)
        AppointmentFactory(
            centre=counsellor.centre,
            counsellor=counsellor,
            participant=ParticipantFactory(centre=counsellor.centre),
            interpreter=InterpreterFactory(centre=counsellor.centre),
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=1),
        )
    with django_assert_max_num_queries(4):
        assert len(_events(Client().get(url).content)) == 30


def test_feed_settings_show_the_address_once(client, counsellor):
    client.force_login(counsellor)
    response = client.post(reverse("counselling:feed_create"), follow=True)
    feed_url = response.context["feed_url"]
    assert feed_url.startswith("http://testserver/calendar/feed/") and feed_url.endswith(".ics")
    secret = feed_url.removeprefix("http://testserver/calendar/feed/").removesuffix(".ics")
    assert Client().get(reverse("counselling:ical_feed", kwargs={"token": secret})).status_code == 200
    assert client.get(reverse("counselling:feed_settings")).context["feed_url"] == ""
    client.post(reverse("counselling:feed_revoke"))
    assert Client().get(reverse("counselling:ical_feed", kwargs={"token": secret})).status_code == 404
