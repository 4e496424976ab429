"""Data minimisation for psychologists: a psychologist sees a case's file only when a
psychological referral of that case names them, and has no centre-wide case or
referral list (their clients are on psychology:my_cases)."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django_scopes import scope

from mira.accounts.models import Role
from mira.network.tests.factories import ReferralFactory
from mira.participants.tests.factories import ParticipantFactory
from mira.privacy.tests.factories import ConsentFactory
from mira.psychology.tests.factories import PsychologicalReferralFactory
from mira.roadmap.tests.factories import RoadmapFactory, RoadmapVersionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(centre, counsellor):
    participant = ParticipantFactory(centre=centre, assigned_counsellor=counsellor, case_number="EF-2026-0311")
    RoadmapVersionFactory(roadmap=RoadmapFactory(participant=participant))
    return participant


@pytest.fixture
def named(make_user, case):
    psychologist = make_user(Role.PSYCHOLOGIST, username="psy_named")
    PsychologicalReferralFactory(participant=case, psychologist=psychologist)
    return psychologist


@pytest.fixture
def unnamed(make_user, named):
    """A psychologist of the same centre; the case's referral names their colleague."""
    return make_user(Role.PSYCHOLOGIST, username="psy_unnamed")


def _case_urls(case) -> dict[str, str]:
    network_referral = ReferralFactory(participant=case)
    return {
        "case page": reverse("participants:detail", kwargs={"pk": case.pk}),
        "roadmap": reverse("roadmap:detail", kwargs={"participant_pk": case.pk}),
        "referral": reverse("network:referral_detail", kwargs={"pk": network_referral.pk}),
    }


def _consents_card(user, participant) -> str:
    request = RequestFactory().get("/")
    request.user = user
    with scope(centre=user.centre_id):
        return Template("{% load privacy_tags %}{% case_consents participant %}").render(
            Context({"request": request, "participant": participant})
        )


def test_named_psychologist_opens_the_case_page_roadmap_and_referral(client, named, case):
    urls = _case_urls(case)
    client.force_login(named)
    assert {what: client.get(url).status_code for what, url in urls.items()} == {
        "case page": 200,
        "roadmap": 200,
        "referral": 200,
    }


def test_named_psychologist_reads_the_consents_card(named, case):
    ConsentFactory(participant=case, purpose="secrecy_release")
    assert "Keine Einwilligung" in _consents_card(named, case)


def test_unnamed_psychologist_is_refused_the_case_page_roadmap_and_referral(client, unnamed, case):
    urls = _case_urls(case)
    client.force_login(unnamed)
    assert {what: client.get(url).status_code for what, url in urls.items()} == {
        "case page": 403,
        "roadmap": 403,
        "referral": 403,
    }


def test_unnamed_psychologist_sees_no_consents_card(unnamed, case):
    ConsentFactory(participant=case, purpose="secrecy_release")
    assert _consents_card(unnamed, case).strip() == ""


def test_psychologist_is_not_offered_the_case_list_or_referral_list(client, counsellor, named):
    menu_link = f'href="{reverse("participants:list")}"'
    client.force_login(counsellor)
    assert menu_link in client.get(reverse("core:home")).content.decode()
    client.force_login(named)
    assert menu_link not in client.get(reverse("core:home")).content.decode()
    assert client.get(reverse("participants:list")).status_code == 403
    assert client.get(reverse("network:referral_list")).status_code == 403
    assert client.get(reverse("psychology:my_cases")).status_code == 200


def test_case_workers_still_open_the_case_page_roadmap_and_referral(client, coordinator, case):
    urls = _case_urls(case)
    client.force_login(coordinator)
    assert {what: client.get(url).status_code for what, url in urls.items()} == {
        "case page": 200,
        "roadmap": 200,
        "referral": 200,
    }
