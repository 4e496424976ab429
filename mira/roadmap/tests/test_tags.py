import datetime

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from mira.participants.tests.factories import ParticipantFactory
from mira.roadmap.models import GoalStatus
from mira.roadmap.tests.factories import (
    AgreedVersionFactory,
    GoalFactory,
    RoadmapFactory,
    RoadmapShareFactory,
    RoadmapVersionFactory,
)

pytestmark = pytest.mark.django_db


def _render(source: str, user, **context) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load roadmap_tags %}" + source).render(Context({"request": request, **context}))


def test_case_card_without_roadmap_offers_to_start_it(counsellor, centre):
    participant = ParticipantFactory(centre=centre)
    html = _render("{% case_roadmap participant %}", counsellor, participant=participant)
    assert "Noch kein Fahrplan." in html
    assert "Fahrplan beginnen" in html


def test_case_card_shows_version_progress_and_shares(counsellor, centre, georgian_partner):
    participant = ParticipantFactory(centre=centre)
    version = AgreedVersionFactory(roadmap=RoadmapFactory(participant=participant))
    GoalFactory(version=version, status=GoalStatus.REACHED)
    GoalFactory(version=version, due_on=timezone.localdate() - datetime.timedelta(days=1))
    RoadmapShareFactory(version=version, organisation=georgian_partner)
    RoadmapVersionFactory(roadmap=version.roadmap, number=2)
    html = _render("{% case_roadmap participant %}", counsellor, participant=participant)
    assert "Version 1 vereinbart" in html
    assert "Version 2 Entwurf" in html
    assert "1 von 2 Zielen erreicht" in html
    assert "1 überfällig" in html
    assert "Geteilt mit: Tbilisi Reintegration Centre" in html


def test_case_card_for_a_psychologist_has_no_start_button(psychologist, centre):
    html = _render("{% case_roadmap participant %}", psychologist, participant=ParticipantFactory(centre=centre))
    assert "Fahrplan beginnen" not in html


@pytest.mark.parametrize("count", [1, 12])
def test_goals_due_card_lists_the_goals_in_constant_queries(counsellor, centre, count, django_assert_max_num_queries):
    for number in range(count):
        participant = ParticipantFactory(centre=centre, assigned_counsellor=counsellor)
        version = AgreedVersionFactory(roadmap=RoadmapFactory(participant=participant))
        GoalFactory(version=version, title=f"Ziel {number}", due_on=timezone.localdate() + datetime.timedelta(days=3))
    # The goals with their number, in one query.
    with django_assert_max_num_queries(1):
        html = _render("{% roadmap_goals_due %}", counsellor)
    assert html.count('class="d-flex justify-content-between gap-2 py-1 border-bottom"') == min(count, 10)
    assert (reverse("roadmap:goals_due") in html) == (count > 10)
    if count > 10:
        assert "Alle 12 fälligen Ziele" in html
