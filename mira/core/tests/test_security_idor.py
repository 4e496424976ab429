"""IDOR: ids of another centre's objects, changed in URLs and in form fields, are refused.

The access matrix already sends the counsellor of another centre to every object URL. Here
every role of the first centre tries the objects of the second centre, one id at a time
(e.g. their own case with the other centre's task), on every URL of the project; and forms
on their own cases are posted with ids of the other centre in their fields."""

import datetime
import re

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mira.accounts.models import Role
from mira.core.testing.urls import url_patterns
from mira.core.testing.world import OUTSIDER, World
from mira.core.tests.test_access_matrix import ROUTES, URL_NAMES
from mira.network.models import Offer, Organisation
from mira.participants.tests.factories import HouseholdMemberFactory, UserFactory

# The order in which an allowed actor is picked to try a foreign id.
PREFERRED_ACTORS = ["counsellor", "coordinator", "finance", "psychologist", "data_protection", "trainer", "partner"]

# URL kwargs that name objects shared by every centre: another centre's value is not foreign.
SHARED_OBJECTS = {
    # The directory of partner organisations and offers is one for the whole installation.
    ("network:organisation_detail", "pk"),
    ("network:organisation_update", "pk"),
    ("network:offer_create", "organisation_pk"),
    ("network:offer_update", "pk"),
    ("network:offer_detail", "pk"),
    # The programme deadlines are the same for every centre.
    ("accompaniment:deadline_rule_edit", "pk"),
}


def mirror_of(world: World) -> World:
    """The same cast in the other centre: what route.kwargs builds from it belongs to centre B."""
    organisation = Organisation.objects.create(name="Yerevan Return Partners", country="AM", city="Yerevan")
    users = {}
    for role in Role:
        if role == Role.PARTNER:
            users[role.value] = UserFactory(
                username="partner-am", role=role, centre=None, partner_organisation=organisation
            )
        else:
            users[role.value] = UserFactory(username=f"{role.value}-ge", role=role, centre=world.other_centre)
    users[Role.COUNSELLOR.value] = world.users[OUTSIDER]
    return World(
        centre=world.other_centre,
        other_centre=world.centre,
        users=users,
        partner_organisation=organisation,
        participant=world.other_participant,
        other_participant=world.participant,
    )


def _id_parameters() -> dict[str, list[str]]:
    """URL name -> the integer parameters of its pattern."""
    return {name: re.findall(r"<int:(\w+)>", str(pattern.pattern)) for name, pattern in url_patterns() if name}


ID_PARAMETERS = _id_parameters()


def _routes_with_ids():
    """URLs that carry the id of a centre's own object and that one of the actors may open."""
    names = []
    for name in URL_NAMES:
        route = ROUTES.get(name)
        if route is None or not route.allowed & set(PREFERRED_ACTORS):
            continue
        if any((name, key) not in SHARED_OBJECTS for key in ID_PARAMETERS.get(name, [])):
            names.append(name)
    return names


def _kwargs_again(route, world: World) -> dict:
    """Builds the route's objects a second time, in the other centre. Some builders give the
    shared directory fixed unique references; the first set is renamed to make room."""
    try:
        with transaction.atomic():
            return route.kwargs(world)
    except IntegrityError:
        for model in (Organisation, Offer):
            model.objects.exclude(reference="").update(reference=Concat(F("reference"), Value("-first")))
        return route.kwargs(world)


def _request(client, route, url):
    return client.post(url, {}) if route.post_only else client.get(url)


@pytest.mark.django_db
@pytest.mark.parametrize("name", _routes_with_ids())
def test_foreign_id_in_url_is_refused(name):
    route = ROUTES[name]
    world = World.build()
    own = route.kwargs(world)
    ids = [key for key, value in own.items() if isinstance(value, int) and (name, key) not in SHARED_OBJECTS]
    assert ids, f"{name} has no centre-owned id in its kwargs"
    foreign = _kwargs_again(route, mirror_of(world))
    actor = next(actor for actor in PREFERRED_ACTORS if actor in route.allowed)
    client = Client()
    client.force_login(world.users[actor])
    query = f"?{route.query}" if route.query else ""
    for key in ids:
        if foreign[key] == own[key]:
            continue
        url = reverse(name, kwargs={**own, key: foreign[key]}) + query
        response = _request(client, route, url)
        assert response.status_code in (403, 404), f"{actor} opened {url} ({key} of the other centre)"


# --- Form fields with ids of the other centre -------------------------------------------------


@pytest.fixture
def cast(world):
    return world, mirror_of(world)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_case_edit_with_a_counsellor_of_another_centre_is_refused(cast):
    from mira.participants.tests.factories import intake_data

    world, mirror = cast
    participant = world.participant
    data = intake_data(
        world.counsellor, assigned_counsellor=str(mirror.counsellor.pk), version=str(participant.version)
    )
    response = _client(world.counsellor).post(reverse("participants:update", kwargs={"pk": participant.pk}), data)
    assert response.status_code == 200
    assert "assigned_counsellor" in response.context["form"].errors
    participant.refresh_from_db()
    assert participant.assigned_counsellor == world.counsellor


def test_session_with_a_household_member_of_another_centre_is_refused(cast):
    from mira.counselling.models import CounsellingSession

    world, mirror = cast
    foreign_member = HouseholdMemberFactory(participant=mirror.participant)
    started = timezone.localtime() - datetime.timedelta(days=1)
    response = _client(world.counsellor).post(
        reverse("counselling:session_create", kwargs={"participant_pk": world.participant.pk}),
        {
            "started_at_0": started.date().isoformat(),
            "started_at_1": "10:00",
            "started_at": started.strftime("%Y-%m-%dT10:00"),
            "duration_minutes": "60",
            "mode": "in_person",
            "topics": ["documents"],
            "language": "de",
            "participant_attended": "on",
            "household_attendees": [str(foreign_member.pk)],
            "notes": "Gespräch",
        },
    )
    assert response.status_code == 200
    assert "household_attendees" in response.context["form"].errors
    assert CounsellingSession.objects.count() == 0


def test_task_for_a_responsible_of_another_centre_is_refused(cast):
    from mira.accompaniment.models import Task

    world, mirror = cast
    response = _client(world.counsellor).post(
        reverse("accompaniment:task_create", kwargs={"participant_pk": world.participant.pk}),
        {
            "title": "Pass beantragen",
            "responsible": str(mirror.counsellor.pk),
            "due_on": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
            "notes": "",
        },
    )
    assert response.status_code in (200, 400)
    assert "responsible" in response.context["form"].errors
    assert Task.objects.count() == 0


def test_psychological_referral_to_a_psychologist_of_another_centre_is_refused(cast):
    from mira.psychology.models import PsychologicalReferral

    world, mirror = cast
    response = _client(world.counsellor).post(
        reverse("psychology:referral_create", kwargs={"participant_pk": world.participant.pk}),
        {"psychologist": str(mirror.users["psychologist"].pk), "reason": "Schlafstörungen", "urgency": "routine"},
    )
    assert response.status_code in (200, 400)
    assert PsychologicalReferral.objects.count() == 0


def test_legal_hold_for_a_case_number_of_another_centre_is_refused(cast):
    from mira.privacy.models import LegalHold

    world, mirror = cast
    response = _client(world.users["data_protection"]).post(
        reverse("privacy:legal_hold_create"), {"case_number": mirror.participant.case_number, "reason": "Klage"}
    )
    assert response.context["form"].errors == {
        "case_number": ["In Ihrer Beratungsstelle gibt es keinen Fall mit dieser Nummer."]
    }
    assert LegalHold.objects.count() == 0


def test_data_subject_request_for_a_case_number_of_another_centre_is_refused(cast):
    from mira.privacy.models import DataSubjectRequest

    world, mirror = cast
    response = _client(world.users["data_protection"]).post(
        reverse("privacy:request_create"),
        {"case_number": mirror.participant.case_number, "kind": "access", "received_on": "2026-03-02"},
    )
    assert "case_number" in response.context["form"].errors
    assert DataSubjectRequest.objects.count() == 0
