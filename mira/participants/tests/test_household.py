import datetime

import pytest
from django.urls import reverse

from mira.participants.models import CaseEvent, HouseholdMember
from mira.participants.tests.factories import HouseholdMemberFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def participant(centre, counsellor):
    return ParticipantFactory(centre=centre, assigned_counsellor=counsellor, last_name="Beridze")


MEMBER = {"first_name": "Nino", "last_name": "Beridze", "date_of_birth": "2016-09-01", "gender": "female",
          "relationship": "child", "nationality": "GE", "returns_along": "on"}  # fmt: skip


def test_household_member_is_added_and_logged(client, counsellor, participant):
    client.force_login(counsellor)
    response = client.post(reverse("participants:household_add", args=[participant.pk]), MEMBER)
    assert response.status_code == 302
    assert response["Location"] == reverse("participants:detail", args=[participant.pk]) + "#household"
    member = HouseholdMember.objects.get()
    assert (member.participant, member.first_name, member.date_of_birth) == (
        participant, "Nino", datetime.date(2016, 9, 1)
    )  # fmt: skip
    assert list(CaseEvent.objects.values_list("kind", "data")) == [("household_added", {"name": "Nino Beridze"})]


def test_household_add_form_suggests_the_family_name(client, counsellor, participant):
    client.force_login(counsellor)
    response = client.get(reverse("participants:household_add", args=[participant.pk]))
    assert response.context["form"]["last_name"].value() == "Beridze"


def test_household_member_older_than_110_is_refused(client, counsellor, participant):
    client.force_login(counsellor)
    response = client.post(reverse("participants:household_add", args=[participant.pk]),
                           {**MEMBER, "date_of_birth": "1901-05-01"})  # fmt: skip
    assert response.status_code == 200
    assert [str(e) for e in response.context["form"].errors["date_of_birth"]] == [
        "Ein Haushaltsmitglied älter als 110 Jahre ist nicht plausibel. Bitte prüfen Sie das Geburtsdatum."
    ]
    assert response.context["form"]["first_name"].value() == "Nino"
    assert HouseholdMember.objects.count() == 0


def test_household_member_is_edited(client, counsellor, participant):
    member = HouseholdMemberFactory(participant=participant)
    client.force_login(counsellor)
    url = reverse("participants:household_edit", args=[participant.pk, member.pk])
    client.post(url, {**MEMBER, "first_name": "Ninutsa", "returns_along": ""})
    member.refresh_from_db()
    assert (member.first_name, member.returns_along) == ("Ninutsa", False)
    assert list(CaseEvent.objects.values_list("kind", flat=True)) == ["household_updated"]


def test_household_member_is_removed_after_confirmation(client, counsellor, participant):
    member = HouseholdMemberFactory(participant=participant)
    client.force_login(counsellor)
    url = reverse("participants:household_delete", args=[participant.pk, member.pk])
    assert client.get(url).status_code == 200
    assert HouseholdMember.objects.count() == 1
    client.post(url)
    assert HouseholdMember.objects.count() == 0
    assert list(CaseEvent.objects.values_list("kind", "data")) == [("household_removed", {"name": "Nino Beridze"})]


def test_household_member_of_another_case_is_not_found(client, counsellor, participant, centre):
    other_case = ParticipantFactory(centre=centre)
    member = HouseholdMemberFactory(participant=other_case)
    client.force_login(counsellor)
    assert client.get(reverse("participants:household_edit", args=[participant.pk, member.pk])).status_code == 404


def test_household_of_another_centre_is_not_found(client, counsellor_other_centre, participant):
    member = HouseholdMemberFactory(participant=participant)
    client.force_login(counsellor_other_centre)
    assert client.post(reverse("participants:household_delete", args=[participant.pk, member.pk])).status_code == 404
    assert HouseholdMember.objects.count() == 1


def test_household_cannot_be_changed_by_a_psychologist(client, psychologist, participant):
    client.force_login(psychologist)
    assert client.post(reverse("participants:household_add", args=[participant.pk]), MEMBER).status_code == 403
    assert HouseholdMember.objects.count() == 0
