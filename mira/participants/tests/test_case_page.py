import datetime
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from mira.participants.events import case_event_log
from mira.participants.models import CaseEvent, Stage
from mira.participants.tests.factories import HouseholdMemberFactory, ParticipantFactory
from mira.privacy.models import AccessLog
from mira.psychology.tests.factories import PsychologicalReferralFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def participant(centre, counsellor):
    return ParticipantFactory(
        centre=centre, case_number="EF-2026-0042", first_name="Giorgi", last_name="Beridze",
        first_name_original="გიორგი", last_name_original="ბერიძე", assigned_counsellor=counsellor,
        date_of_birth=timezone.localdate().replace(year=timezone.localdate().year - 38) - datetime.timedelta(days=1),
    )  # fmt: skip


def url(participant):
    return reverse("participants:detail", kwargs={"pk": participant.pk})


def lower_cards(client, participant):
    """The case page and then its lower cards, as the browser loads them (htmx)."""
    page = client.get(url(participant))
    more_url = page.context["more_url"]
    assert f'hx-get="{more_url}" hx-trigger="load"' in page.content.decode()
    return client.get(more_url)


def test_case_page_shows_number_names_age_and_stage(client, counsellor, participant):
    client.force_login(counsellor)
    html = client.get(url(participant)).content.decode()
    assert '<div class="mira-case-number fs-5">EF-2026-0042</div>' in html
    assert "Giorgi Beridze" in html
    assert "გიორგი ბერიძე" in html
    assert "38 Jahre" in html
    assert '<span class="mira-stage-badge mira-stage-first_contact">Erstkontakt</span>' in html


def test_case_absolute_url_is_the_case_page(participant):
    assert participant.get_absolute_url() == f"/cases/{participant.pk}/"


def test_case_page_records_the_read_in_the_access_log(client, counsellor, participant):
    client.force_login(counsellor)
    client.get(url(participant))
    entry = AccessLog.objects.get()
    assert (entry.user, entry.participant, entry.case_number, entry.what) == (
        counsellor, participant, "EF-2026-0042", "case"
    )  # fmt: skip


def test_case_page_of_another_centre_is_not_found(client, counsellor_other_centre, participant):
    client.force_login(counsellor_other_centre)
    assert client.get(url(participant)).status_code == 404
    assert AccessLog.objects.count() == 0


def test_case_page_shows_the_stage_plan_with_the_allowed_next_steps(client, counsellor, participant):
    participant.stage = Stage.ROADMAP_SHARED
    participant.save()
    client.force_login(counsellor)
    response = client.get(url(participant))
    plan = [(step["value"], step["state"]) for step in response.context["stage_plan"]]
    assert plan[:6] == [("first_contact", "done"), ("counselling", "done"), ("roadmap_development", "done"),
                        ("goals_agreed", "done"), ("roadmap_shared", "current"), ("departed", "")]  # fmt: skip
    steps = [(step["value"], step["needs"], step["kind"]) for step in response.context["next_stages"]]
    assert steps == [
        ("roadmap_development", "", "back"),
        ("departed", "departure_date", "forward"),
        ("withdrawn", "reason", "withdraw"),
    ]


def test_case_page_shows_a_withdrawn_case_off_the_path(client, counsellor, participant):
    participant.stage = Stage.WITHDRAWN
    participant.save()
    client.force_login(counsellor)
    plan = client.get(url(participant)).context["stage_plan"]
    assert plan[-1] == {"value": "withdrawn", "label": Stage.WITHDRAWN.label, "state": "off current"}


def test_case_page_lists_the_household_with_ages(client, counsellor, participant):
    HouseholdMemberFactory(participant=participant, first_name="Nino", date_of_birth=datetime.date(2016, 9, 1))
    client.force_login(counsellor)
    html = client.get(url(participant)).content.decode()
    age = HouseholdMemberFactory.build(date_of_birth=datetime.date(2016, 9, 1)).age
    assert "Nino Beridze" in html
    assert f"{age} Jahre (01.09.2016)" in html


def test_case_page_shows_the_timeline_newest_first_with_actor(client, counsellor, participant):
    first = case_event_log(participant=participant, kind="case_opened", actor=counsellor)
    second = case_event_log(participant=participant, kind="stage_changed", actor=counsellor, old="first_contact",
                            new="counselling")  # fmt: skip
    CaseEvent.objects.filter(pk=first.pk).update(at=timezone.now() - datetime.timedelta(days=2))
    client.force_login(counsellor)
    response = lower_cards(client, participant)
    assert [(event.pk, message) for event, message, _icon in response.context["timeline"]] == [
        (second.pk, "Stufe geändert von „Erstkontakt“ zu „Beratung“"),
        (first.pk, "Fallakte durch Aufnahme angelegt"),
    ]
    assert "Anna Keller" in response.content.decode()


def test_case_page_shows_the_newest_20_timeline_entries_with_a_link_to_all(client, counsellor, participant):
    CaseEvent.objects.bulk_create(
        [CaseEvent(participant=participant, kind="case_updated", actor=counsellor, data={"fields": ["phone"]})
         for _ in range(25)]
    )  # fmt: skip
    client.force_login(counsellor)
    capped = lower_cards(client, participant)
    assert (len(capped.context["timeline"]), capped.context["event_count"]) == (20, 25)
    assert '<a href="?timeline=all#timeline">Alle 25 Einträge anzeigen</a>' in capped.content.decode()
    everything = client.get(url(participant), {"timeline": "all"})
    assert len(everything.context["timeline"]) == 25
    assert "more_url" not in everything.context
    assert 'id="timeline"' in everything.content.decode()


@pytest.mark.parametrize("events", [20, 21])
def test_case_page_counts_the_timeline_only_when_it_is_longer_than_shown(client, counsellor, participant, events):
    """20 entries fit on the case page; from 21 on a link leads to all of them, with their number."""
    CaseEvent.objects.bulk_create(
        [CaseEvent(participant=participant, kind="case_updated", actor=counsellor, data={"fields": ["phone"]})
         for _ in range(events)]
    )  # fmt: skip
    total = CaseEvent.objects.filter(participant=participant).count()
    client.force_login(counsellor)
    response = lower_cards(client, participant)
    assert (len(response.context["timeline"]), response.context["event_count"]) == (min(total, 20), total)
    assert (f"Alle {total} Einträge anzeigen" in response.content.decode()) is (total > 20)


def test_case_page_shows_no_edit_actions_to_a_psychologist(client, psychologist, participant):
    PsychologicalReferralFactory(participant=participant, psychologist=psychologist)
    client.force_login(psychologist)
    response = client.get(url(participant))
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("participants:update", args=[participant.pk]) not in html
    assert reverse("participants:stage", args=[participant.pk]) not in html
    assert reverse("participants:household_add", args=[participant.pk]) not in html


def test_case_page_needs_a_bounded_number_of_queries(client, counsellor, participant,
                                                     django_assert_max_num_queries):  # fmt: skip
    HouseholdMemberFactory.create_batch(4, participant=participant)
    for _ in range(30):
        case_event_log(participant=participant, kind="case_opened", actor=counsellor)
    client.force_login(counsellor)
    more_url = client.get(url(participant)).context["more_url"]
    with django_assert_max_num_queries(12):
        assert client.get(url(participant)).status_code == 200
    # The consents and documents cards of other apps add a few of their own.
    with django_assert_max_num_queries(12):
        assert client.get(more_url).status_code == 200


def test_lower_cards_come_in_one_request_and_the_read_is_logged_once(client, counsellor, participant):
    client.force_login(counsellor)
    response = lower_cards(client, participant)
    html = response.content.decode()
    assert html.index('id="case-more-left"') < html.index('id="referrals"') < html.index('id="documents"')
    assert '<div id="case-more-right" class="mira-case-more" data-scroll-to-hash hx-swap-oob="true">' in html
    assert 'id="timeline"' in html
    assert AccessLog.objects.filter(participant=participant, what="case").count() == 1


@pytest.mark.parametrize("token", ["", "forged", "someone else's"])
def test_lower_cards_without_the_page_s_token_are_logged_as_a_read(client, counsellor, participant, make_user, token):
    from django.core import signing

    from mira.participants.views import MORE_SALT

    if token == "someone else's":
        token = signing.dumps([make_user().pk, participant.pk], salt=MORE_SALT, compress=True)
    client.force_login(counsellor)
    more_url = reverse("participants:detail_more", kwargs={"pk": participant.pk})
    assert client.get(more_url, {"t": token}).status_code == 200
    entry = AccessLog.objects.get()
    assert (entry.user, entry.participant, entry.what, entry.path) == (counsellor, participant, "case", more_url)


def test_lower_cards_token_expires(client, counsellor, participant):
    client.force_login(counsellor)
    more_url = client.get(url(participant)).context["more_url"]
    later = timezone.now() + datetime.timedelta(minutes=11)
    with mock.patch("django.core.signing.time.time", return_value=later.timestamp()):
        client.get(more_url)
    assert AccessLog.objects.filter(participant=participant).count() == 2
