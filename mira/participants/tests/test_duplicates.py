import datetime

import pytest
from django.urls import reverse

from mira.participants.events import event_message
from mira.participants.models import CaseEvent, Participant
from mira.participants.names import name_keys
from mira.participants.selectors import participant_duplicates
from mira.participants.tests.factories import ParticipantFactory, intake_data

pytestmark = pytest.mark.django_db

URL = reverse("participants:create")
BORN = datetime.date(1990, 3, 1)


@pytest.fixture
def mohammed(centre, counsellor):
    return ParticipantFactory(
        centre=centre,
        case_number="EF-2026-0007",
        first_name="Mohammed",
        last_name="Al-Hassan",
        date_of_birth=BORN,
        nationalities="IQ",
        assigned_counsellor=counsellor,
        name_keys=name_keys("Mohammed", "Al-Hassan"),
    )


def iraqi_intake(counsellor, **names):
    fields = {
        "date_of_birth": BORN.isoformat(),
        "nationalities": ["IQ"],
        "first_name_original": "",
        "last_name_original": "",
        "languages": ["ar"],
        "interpreter_language": "ar",
        "return_country": "IQ",
    }
    return intake_data(counsellor, **{**fields, **names})


@pytest.mark.parametrize(
    ("first_name", "last_name"),
    [("Muhammad", "Hassan"), ("Mohamed", "El Hassan"), ("محمد", "الحسن"), ("Мухаммед", "Хасан")],
    ids=["latin", "latin-article", "arabic", "cyrillic"],
)
def test_intake_warns_of_a_similar_name_with_the_same_birth_date(client, counsellor, mohammed, first_name, last_name):
    client.force_login(counsellor)
    response = client.post(URL, iraqi_intake(counsellor, first_name=first_name, last_name=last_name))
    assert response.status_code == 200
    assert response.context["duplicates"] == [mohammed]
    html = response.content.decode()
    assert "Möglicherweise schon erfasst" in html
    assert reverse("participants:detail", args=[mohammed.pk]) in html
    assert "EF-2026-0007" in html
    assert "Es ist eine andere Person – trotzdem aufnehmen" in html
    assert Participant.objects.count() == 1


def test_intake_warns_when_the_original_script_matches(client, counsellor, mohammed):
    client.force_login(counsellor)
    data = iraqi_intake(counsellor, first_name="Abu", last_name="Ali", first_name_original="محمد",
                        last_name_original="الحسن")  # fmt: skip
    assert client.post(URL, data).context["duplicates"] == [mohammed]


def test_intake_enrols_anyway_once_confirmed(client, counsellor, mohammed):
    client.force_login(counsellor)
    data = iraqi_intake(counsellor, first_name="Muhammad", last_name="Hassan", confirm_not_duplicate="on")
    response = client.post(URL, data)
    assert response.status_code == 302
    assert Participant.objects.count() == 2
    new = Participant.objects.exclude(pk=mohammed.pk).get()
    event = CaseEvent.objects.get(participant=new, kind="duplicate_dismissed")
    assert (event.actor, event.data) == (counsellor, {"cases": ["EF-2026-0007"]})
    assert event_message(event) == (
        "Aufgenommen, obwohl ähnliche Fallakten angezeigt wurden – als andere Person als EF-2026-0007"
    )


def test_intake_does_not_warn_for_another_birth_date(client, counsellor, mohammed):
    client.force_login(counsellor)
    data = iraqi_intake(counsellor, first_name="Muhammad", last_name="Hassan", date_of_birth="1990-03-02")
    assert client.post(URL, data).status_code == 302


def test_intake_does_not_warn_for_a_different_name(client, counsellor, mohammed):
    client.force_login(counsellor)
    assert client.post(URL, iraqi_intake(counsellor, first_name="Ali", last_name="Kareem")).status_code == 302


def test_intake_does_not_warn_of_cases_of_another_centre(client, counsellor_other_centre, other_centre, mohammed):
    client.force_login(counsellor_other_centre)
    data = iraqi_intake(counsellor_other_centre, first_name="Muhammad", last_name="Hassan", postcode="07545",
                        city="Gera", district="Gera")  # fmt: skip
    assert client.post(URL, data).status_code == 302
    assert Participant.objects.filter(centre=other_centre).count() == 1


def test_participant_duplicates_leaves_out_the_case_itself(mohammed):
    found = participant_duplicates(
        centre_id=mohammed.centre_id, first_name="Mohammed", last_name="Al-Hassan", date_of_birth=BORN,
        exclude_id=mohammed.pk,
    )  # fmt: skip
    assert found == []
