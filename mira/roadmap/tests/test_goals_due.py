"""The page of a counsellor's due goals: all of them, the start page shows the first ten."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mira.participants.tests.factories import ParticipantFactory
from mira.roadmap.models import GoalStatus
from mira.roadmap.tests.factories import AgreedVersionFactory, GoalFactory, RoadmapFactory
from mira.roadmap.views import GOALS_PER_PAGE

pytestmark = pytest.mark.django_db

URL = reverse("roadmap:goals_due")


def _goal(counsellor, centre, offset, **fields):
    participant = ParticipantFactory(centre=centre, assigned_counsellor=counsellor)
    version = AgreedVersionFactory(roadmap=RoadmapFactory(participant=participant))
    return GoalFactory(version=version, due_on=timezone.localdate() + datetime.timedelta(days=offset), **fields)


def test_page_lists_every_due_goal_of_the_own_cases_most_urgent_first(client, counsellor, coordinator, centre):
    soon = _goal(counsellor, centre, 3, title="Arbeitserlaubnis beantragen")
    overdue = _goal(counsellor, centre, -4, title="Werkzeug kaufen")
    _goal(counsellor, centre, 12, title="Später")
    _goal(counsellor, centre, 1, title="Erreicht", status=GoalStatus.REACHED)
    _goal(coordinator, centre, 1, title="Fall der Kollegin")
    client.force_login(counsellor)
    response = client.get(URL)
    assert list(response.context["page"].object_list) == [overdue, soon]
    html = response.content.decode()
    assert html.count('class="mira-deadline-missed"') == 1
    assert "überfällig" in html and "2 Ziele" in html
    version_url = reverse("roadmap:version", args=[overdue.version.roadmap.participant_id, overdue.version.number])
    assert f'href="{version_url}#goal-{overdue.pk}"' in html


def test_page_says_when_nothing_is_due(client, counsellor):
    client.force_login(counsellor)
    assert "In den nächsten Tagen sind keine Ziele fällig." in client.get(URL).content.decode()


@pytest.mark.parametrize("count", [1, GOALS_PER_PAGE + 3])
def test_page_needs_the_same_queries_for_few_and_many_goals(
    client, counsellor, centre, count, django_assert_max_num_queries
):
    for number in range(count):
        _goal(counsellor, centre, number % 7, title=f"Ziel {number}")
    client.force_login(counsellor)
    client.get(URL)  # warms the session
    # session, user, count, page, session save (3), menu permissions
    with django_assert_max_num_queries(10):
        response = client.get(URL, {"page": 2 if count > GOALS_PER_PAGE else 1})
    assert len(response.context["page"].object_list) == (3 if count > GOALS_PER_PAGE else 1)
