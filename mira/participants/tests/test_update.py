import pytest
from django.urls import reverse

from mira.participants.models import CaseEvent, Participant
from mira.participants.services import participant_update
from mira.participants.tests.factories import ParticipantFactory, intake_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def participant(centre, counsellor):
    return ParticipantFactory(
        centre=centre, case_number="EF-2026-0042", first_name="Giorgi", last_name="Beridze",
        assigned_counsellor=counsellor, postcode="99086", city="Erfurt", district="Erfurt",
    )  # fmt: skip


def url(participant):
    return reverse("participants:update", kwargs={"pk": participant.pk})


def edit_data(counsellor, participant, **overrides):
    data = intake_data(counsellor, version=str(participant.version), last_name="Beridze", **overrides)
    return {name: value for name, value in data.items() if not name.startswith("household-")}


def test_update_form_shows_the_saved_values_and_version(client, counsellor, participant):
    client.force_login(counsellor)
    response = client.get(url(participant))
    form = response.context["form"]
    assert (form["first_name"].value(), form["nationalities"].value()) == ("Giorgi", ["GE"])
    assert '<input type="hidden" name="version" value="1">' in response.content.decode()
    assert "EF-2026-0042" in response.content.decode()


def test_update_saves_and_notes_the_changed_fields_on_the_timeline(client, counsellor, participant):
    client.force_login(counsellor)
    response = client.post(url(participant), edit_data(counsellor, participant, phone="+49 160 555", city="Erfurt"))
    assert response.status_code == 302
    participant.refresh_from_db()
    assert (participant.phone, participant.version) == ("+49 160 555", 2)
    event = CaseEvent.objects.get(kind="case_updated")
    assert "phone" in event.data["fields"]
    assert "version" not in event.data["fields"]


def test_planned_departure_is_set_by_departure_planning_not_by_the_form(client, counsellor, participant):
    # Departure planning also sets the deadline tasks; the master data form only links there.
    import datetime

    Participant.objects.filter(pk=participant.pk).update(planned_departure=datetime.date(2027, 3, 1))
    client.force_login(counsellor)
    html = client.get(url(participant)).content.decode()
    assert "Geplante Ausreise: 1. März 2027." in html
    assert reverse("accompaniment:departure", kwargs={"participant_pk": participant.pk}) in html
    assert 'name="planned_departure"' not in html
    client.post(url(participant), edit_data(counsellor, participant, planned_departure="2027-01-10"))
    participant.refresh_from_db()
    assert participant.planned_departure == datetime.date(2027, 3, 1)


def test_update_refuses_a_concurrent_edit_and_keeps_what_was_typed(client, counsellor, coordinator, participant):
    client.force_login(counsellor)
    opened = edit_data(counsellor, participant, phone="+49 160 111", notes="Termin am Montag")
    # Meanwhile the coordinator saves the case.
    other = Participant.objects.get(pk=participant.pk)
    other.phone = "+49 170 999"
    participant_update(participant=other, version=1, changed_fields=["phone"], actor=coordinator)

    response = client.post(url(participant), opened)
    assert response.status_code == 200
    participant.refresh_from_db()
    assert (participant.phone, participant.notes, participant.version) == ("+49 170 999", "", 2)
    html = response.content.decode()
    assert "Diese Fallakte wurde inzwischen von Jonas Richter" in html
    assert "Nichts wurde überschrieben" in html
    assert response.context["form"]["notes"].value() == "Termin am Montag"
    assert {row["label"]: (row["saved"], row["yours"]) for row in response.context["conflict"]["differences"]}[
        "Telefon"
    ] == ("+49 170 999", "+49 160 111")
    assert '<input type="hidden" name="version" value="2">' in html
    assert f'href="{reverse("participants:detail", args=[participant.pk])}" target="_blank"' in html

    # Saving again, with the differences seen, applies the entries.
    response = client.post(url(participant), {**opened, "version": "2"})
    assert response.status_code == 302
    participant.refresh_from_db()
    assert (participant.phone, participant.notes, participant.version) == ("+49 160 111", "Termin am Montag", 3)


def test_update_refuses_an_eu_nationality(client, counsellor, participant):
    client.force_login(counsellor)
    response = client.post(url(participant), edit_data(counsellor, participant, nationalities=["AT"]))
    assert response.status_code == 200
    participant.refresh_from_db()
    assert participant.nationalities == "GE"


def test_update_of_another_centres_case_is_not_found(client, counsellor_other_centre, participant):
    client.force_login(counsellor_other_centre)
    assert client.get(url(participant)).status_code == 404
    assert client.post(url(participant), {"first_name": "X"}).status_code == 404


def test_update_is_refused_to_a_psychologist(client, psychologist, counsellor, participant):
    client.force_login(psychologist)
    assert client.post(url(participant), edit_data(counsellor, participant, phone="1")).status_code == 403
    participant.refresh_from_db()
    assert participant.version == 1
