import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mira.participants.models import CaseEvent, Stage
from mira.participants.services import ALLOWED_TRANSITIONS, participant_set_stage
from mira.participants.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def participant(centre, counsellor):
    return ParticipantFactory(
        centre=centre, assigned_counsellor=counsellor, opened_on=TODAY - datetime.timedelta(days=90)
    )


def in_stage(participant, stage):
    participant.stage = stage
    participant.save()
    return participant


def errors(excinfo):
    return excinfo.value.message_dict


def test_stage_moves_along_the_plan_and_is_logged(participant, counsellor):
    participant_set_stage(participant=participant, stage=Stage.COUNSELLING, actor=counsellor)
    participant.refresh_from_db()
    assert (participant.stage, participant.version, participant.closed_on) == (Stage.COUNSELLING, 2, None)
    event = CaseEvent.objects.get()
    assert (event.kind, event.actor, event.data) == (
        "stage_changed", counsellor, {"old": "first_contact", "new": "counselling"}
    )  # fmt: skip


def test_stage_cannot_jump_ahead(participant, counsellor):
    with pytest.raises(ValidationError) as excinfo:
        participant_set_stage(participant=participant, stage=Stage.GOALS_AGREED, actor=counsellor)
    assert errors(excinfo) == {
        "stage": ["Eine Fallakte in der Stufe „Erstkontakt“ kann nicht zu „Ziele vereinbart“ wechseln."]
    }
    participant.refresh_from_db()
    assert participant.stage == Stage.FIRST_CONTACT
    assert CaseEvent.objects.count() == 0


def test_stage_closed_is_final(participant, counsellor):
    in_stage(participant, Stage.CLOSED)
    assert ALLOWED_TRANSITIONS[Stage.CLOSED] == set()
    with pytest.raises(ValidationError):
        participant_set_stage(participant=participant, stage=Stage.COUNSELLING, actor=counsellor)


def test_stage_departed_needs_a_departure_date(participant, counsellor):
    in_stage(participant, Stage.ROADMAP_SHARED)
    with pytest.raises(ValidationError) as excinfo:
        participant_set_stage(participant=participant, stage=Stage.DEPARTED, actor=counsellor)
    assert errors(excinfo) == {
        "departure_date": ["Geben Sie das Ausreisedatum an, bevor Sie die Fallakte als ausgereist markieren."]
    }
    participant.refresh_from_db()
    assert participant.stage == Stage.ROADMAP_SHARED


def test_stage_departed_refuses_a_date_in_the_future(participant, counsellor):
    in_stage(participant, Stage.ROADMAP_SHARED)
    with pytest.raises(ValidationError) as excinfo:
        participant_set_stage(participant=participant, stage=Stage.DEPARTED, actor=counsellor,
                              departure_date=TODAY + datetime.timedelta(days=1))  # fmt: skip
    assert errors(excinfo) == {"departure_date": ["Das Ausreisedatum kann nicht in der Zukunft liegen."]}


def test_stage_departed_refuses_a_date_before_the_case_was_opened(participant, counsellor):
    in_stage(participant, Stage.ROADMAP_SHARED)
    with pytest.raises(ValidationError) as excinfo:
        participant_set_stage(participant=participant, stage=Stage.DEPARTED, actor=counsellor,
                              departure_date=TODAY - datetime.timedelta(days=100))  # fmt: skip
    opened = (TODAY - datetime.timedelta(days=90)).strftime("%d.%m.%Y")
    assert errors(excinfo) == {
        "departure_date": [f"Das Ausreisedatum kann nicht vor der Eröffnung der Fallakte ({opened}) liegen."]
    }


def test_stage_departed_records_the_departure_date(participant, counsellor):
    in_stage(participant, Stage.ROADMAP_SHARED)
    departed = TODAY - datetime.timedelta(days=2)
    participant_set_stage(participant=participant, stage=Stage.DEPARTED, actor=counsellor, departure_date=departed)
    participant.refresh_from_db()
    assert (participant.stage, participant.departure_date) == (Stage.DEPARTED, departed)
    assert CaseEvent.objects.get().data == {"old": "roadmap_shared", "new": "departed",
                                            "departure_date": departed.isoformat()}  # fmt: skip


def test_stage_withdrawn_needs_a_reason(participant, counsellor):
    with pytest.raises(ValidationError) as excinfo:
        participant_set_stage(participant=participant, stage=Stage.WITHDRAWN, actor=counsellor, reason="   ")
    assert errors(excinfo) == {"reason": ["Geben Sie an, warum die teilnehmende Person ausgestiegen ist."]}


def test_stage_withdrawn_records_the_reason_and_closes_the_case(participant, counsellor):
    participant_set_stage(participant=participant, stage=Stage.WITHDRAWN, actor=counsellor,
                          reason="Aufenthaltserlaubnis erteilt.")  # fmt: skip
    participant.refresh_from_db()
    assert (participant.stage, participant.withdrawal_reason, participant.closed_on) == (
        Stage.WITHDRAWN, "Aufenthaltserlaubnis erteilt.", TODAY
    )  # fmt: skip


def test_stage_withdrawn_case_can_be_reopened(participant, counsellor):
    in_stage(participant, Stage.WITHDRAWN)
    participant.closed_on = TODAY
    participant.save()
    participant_set_stage(participant=participant, stage=Stage.COUNSELLING, actor=counsellor)
    participant.refresh_from_db()
    assert (participant.stage, participant.closed_on) == (Stage.COUNSELLING, None)


def test_stage_is_checked_against_the_saved_stage_not_a_stale_copy(participant, counsellor):
    stale = type(participant).objects.get(pk=participant.pk)
    participant_set_stage(participant=participant, stage=Stage.COUNSELLING, actor=counsellor)
    with pytest.raises(ValidationError):
        participant_set_stage(participant=stale, stage=Stage.COUNSELLING, actor=counsellor)
    assert CaseEvent.objects.count() == 1


def test_stage_change_does_not_overwrite_other_master_data(participant, counsellor):
    stale = type(participant).objects.get(pk=participant.pk)
    type(participant).objects.filter(pk=participant.pk).update(phone="+49 361 1")
    participant_set_stage(participant=stale, stage=Stage.COUNSELLING, actor=counsellor)
    participant.refresh_from_db()
    assert participant.phone == "+49 361 1"


def test_stage_view_changes_the_stage(client, counsellor, participant):
    client.force_login(counsellor)
    response = client.post(reverse("participants:stage", args=[participant.pk]), {"stage": "counselling"})
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.stage == Stage.COUNSELLING
    page = client.get(response["Location"])
    assert [str(m) for m in page.context["messages"]] == ["Die Fallakte ist jetzt in der Stufe „Beratung“."]


def test_stage_view_shows_a_missing_departure_date_clearly(client, counsellor, participant):
    in_stage(participant, Stage.ROADMAP_SHARED)
    client.force_login(counsellor)
    response = client.post(reverse("participants:stage", args=[participant.pk]), {"stage": "departed"})
    assert response.status_code == 200
    assert [str(e) for e in response.context["form"].errors["departure_date"]] == [
        "Geben Sie das Ausreisedatum an, bevor Sie die Fallakte als ausgereist markieren."
    ]
    assert "Die Stufe wurde nicht geändert." in response.content.decode()


def test_stage_view_keeps_the_typed_reason_on_an_error(client, counsellor, participant):
    in_stage(participant, Stage.CLOSED)
    client.force_login(counsellor)
    response = client.post(reverse("participants:stage", args=[participant.pk]),
                           {"stage": "withdrawn", "reason": "Umzug nach Sachsen"})  # fmt: skip
    assert response.context["form"]["reason"].value() == "Umzug nach Sachsen"
    assert [str(e) for e in response.context["form"].errors["stage"]] == [
        "Eine Fallakte in der Stufe „Abgeschlossen“ kann nicht zu „Ausgestiegen“ wechseln."
    ]


def test_stage_view_asks_for_the_departure_date(client, counsellor, participant):
    in_stage(participant, Stage.ROADMAP_SHARED)
    client.force_login(counsellor)
    response = client.get(reverse("participants:stage", args=[participant.pk]), {"to": "departed"})
    assert response.context["needs"] == "departure_date"
    assert 'name="departure_date"' in response.content.decode()
    assert 'name="reason"' not in response.content.decode()


def test_stage_view_is_refused_to_a_psychologist(client, psychologist, participant):
    client.force_login(psychologist)
    assert (
        client.post(reverse("participants:stage", args=[participant.pk]), {"stage": "counselling"}).status_code == 403
    )
    participant.refresh_from_db()
    assert participant.stage == Stage.FIRST_CONTACT
