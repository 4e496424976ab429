import datetime
import logging

import pytest
from django.urls import reverse
from django.utils import timezone

from mira.network.tests.factories import OrganisationFactory
from mira.participants.models import CaseEvent, Stage
from mira.participants.services import participant_set_stage
from mira.participants.tests.factories import ParticipantFactory
from mira.portal.views import SHARES_PER_PAGE
from mira.privacy.models import AccessLog, ConsentPurpose
from mira.privacy.tests.factories import ConsentFactory
from mira.roadmap.models import GoalOwner, GoalStatus, GoalStatusChange
from mira.roadmap.tests.factories import (
    AgreedVersionFactory,
    GoalFactory,
    RoadmapFactory,
    RoadmapShareFactory,
    RoadmapVersionFactory,
    sharing_consents,
)

pytestmark = pytest.mark.django_db


def _shared_with(organisation, *, centre, case_number, consents=True, **participant_fields):
    participant = ParticipantFactory(centre=centre, case_number=case_number, **participant_fields)
    if consents:
        sharing_consents(participant)
    version = AgreedVersionFactory(roadmap=RoadmapFactory(participant=participant))
    return RoadmapShareFactory(version=version, organisation=organisation)


@pytest.fixture
def share(georgian_partner, centre):
    share = _shared_with(georgian_partner, centre=centre, case_number="EF-2026-0101", first_name="Levan")
    GoalFactory(
        version=share.version,
        title="Arbeitsstelle in Kutaisi finden",
        owner=GoalOwner.PARTNER,
        owner_organisation=georgian_partner,
    )
    GoalFactory(version=share.version, title="Reisepass beantragen", owner=GoalOwner.PARTICIPANT)
    return share


@pytest.fixture
def logged_in(client, partner):
    client.force_login(partner)
    return client


def test_partner_sees_exactly_the_roadmaps_shared_with_its_organisation(
    logged_in, share, georgian_partner, centre, other_centre
):
    other_organisation = OrganisationFactory(name="Yerevan Return Desk", country="AM")
    _shared_with(other_organisation, centre=centre, case_number="EF-2026-0102")
    revoked = _shared_with(georgian_partner, centre=centre, case_number="EF-2026-0103")
    revoked.revoked_at = timezone.now()
    revoked.save()
    _shared_with(georgian_partner, centre=centre, case_number="EF-2026-0104", consents=False)
    _shared_with(georgian_partner, centre=other_centre, case_number="GE-2026-0105")
    unshared = AgreedVersionFactory(roadmap=RoadmapFactory(participant=ParticipantFactory(centre=centre)))
    GoalFactory(version=unshared)

    response = logged_in.get(reverse("portal:home"))
    assert [item.version.roadmap.participant.case_number for item in response.context["shares"]] == [
        "EF-2026-0101",
        "GE-2026-0105",
    ]


def test_partner_roadmap_shows_only_the_shared_content(logged_in, share):
    participant = share.version.roadmap.participant
    participant.notes = "Vertrauliche Beratungsnotiz"
    participant.save()
    response = logged_in.get(reverse("portal:roadmap", args=[share.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Arbeitsstelle in Kutaisi finden" in content
    assert "Levan" in content
    assert participant.last_name not in content
    assert "Vertrauliche Beratungsnotiz" not in content
    assert share.version.current_situation not in content
    assert participant.date_of_birth.strftime("%d.%m.%Y") not in content


def test_partner_read_is_in_the_access_log(logged_in, share, partner):
    logged_in.get(reverse("portal:roadmap", args=[share.pk]))
    entry = AccessLog.objects.get()
    assert (entry.user, entry.case_number, entry.what) == (partner, "EF-2026-0101", AccessLog.What.OTHER)


def test_another_organisations_roadmap_is_not_found_and_logged(logged_in, centre, caplog):
    other = _shared_with(OrganisationFactory(), centre=centre, case_number="EF-2026-0110")
    with caplog.at_level(logging.WARNING, logger="mira.security"):
        response = logged_in.get(reverse("portal:roadmap", args=[other.pk]))
    assert response.status_code == 404
    assert [record.getMessage().split(":")[0] for record in caplog.records if record.name == "mira.security"] == [
        "Portal object not found or not shared"
    ]


def test_withdrawn_consent_ends_the_partner_access_at_once(logged_in, share):
    participant = share.version.roadmap.participant
    participant.consents.filter(purpose=ConsentPurpose.SECRECY_RELEASE).update(withdrawn_on=timezone.localdate())
    assert logged_in.get(reverse("portal:roadmap", args=[share.pk])).status_code == 404
    assert logged_in.get(reverse("portal:home")).context["shares"] == []


def test_renewed_consent_shows_the_share_once_again(logged_in, share):
    participant = share.version.roadmap.participant
    today = timezone.localdate()
    participant.consents.filter(purpose=ConsentPurpose.PARTNER_SHARING).update(withdrawn_on=today)
    assert logged_in.get(reverse("portal:home")).context["shares"] == []
    ConsentFactory(participant=participant, purpose=ConsentPurpose.PARTNER_SHARING, given_on=today)
    assert logged_in.get(reverse("portal:home")).context["shares"] == [share]
    assert logged_in.get(reverse("portal:roadmap", args=[share.pk])).status_code == 200


def test_consent_given_for_a_later_day_does_not_open_the_share_yet(logged_in, share):
    participant = share.version.roadmap.participant
    participant.consents.filter(purpose=ConsentPurpose.SECRECY_RELEASE).update(
        given_on=timezone.localdate() + datetime.timedelta(days=1)
    )
    assert logged_in.get(reverse("portal:home")).context["shares"] == []
    assert logged_in.get(reverse("portal:roadmap", args=[share.pk])).status_code == 404


def test_revoked_share_is_not_found(logged_in, share):
    share.revoked_at = timezone.now()
    share.save()
    assert logged_in.get(reverse("portal:roadmap", args=[share.pk])).status_code == 404


def test_inactive_organisation_sees_nothing(logged_in, share, georgian_partner):
    georgian_partner.active = False
    georgian_partner.save()
    assert logged_in.get(reverse("portal:home")).context["shares"] == []


def test_closed_case_is_no_longer_shown(logged_in, share):
    participant = share.version.roadmap.participant
    participant.stage = Stage.CLOSED
    participant.save()
    assert logged_in.get(reverse("portal:roadmap", args=[share.pk])).status_code == 404


def test_withdrawal_and_return_through_the_stage_plan_hide_and_show_the_share(logged_in, share, counsellor):
    participant = share.version.roadmap.participant
    other_case_share = _shared_with(share.organisation, centre=participant.centre, case_number="EF-2026-0105")

    participant_set_stage(participant=participant, stage=Stage.WITHDRAWN, actor=counsellor, reason="Bleibt in Erfurt")
    share.refresh_from_db()
    other_case_share.refresh_from_db()
    assert (share.case_open, other_case_share.case_open) == (False, True)
    assert logged_in.get(reverse("portal:home")).context["shares"] == [other_case_share]

    participant_set_stage(participant=participant, stage=Stage.COUNSELLING, actor=counsellor)
    share.refresh_from_db()
    assert share.case_open is True
    assert {s.pk for s in logged_in.get(reverse("portal:home")).context["shares"]} == {share.pk, other_case_share.pk}


def test_share_of_a_closed_case_starts_as_closed(georgian_partner, centre):
    share = _shared_with(georgian_partner, centre=centre, case_number="EF-2026-0106", stage=Stage.CLOSED)
    share.refresh_from_db()
    assert share.case_open is False


def test_partner_marks_its_goal_reached_with_a_comment(logged_in, share, partner, georgian_partner):
    goal = share.version.goals.get(owner=GoalOwner.PARTNER)
    response = logged_in.post(
        reverse("portal:goal_status", args=[share.pk, goal.pk]),
        {
            "status": GoalStatus.REACHED,
            "status_reason": "",
            "evidence_note": "Arbeitsvertrag gesehen",
            "comment": "Startet am 1.",
        },
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.status, goal.evidence_note) == (GoalStatus.REACHED, "Arbeitsvertrag gesehen")
    change = GoalStatusChange.objects.get()
    assert (change.by, change.organisation, change.comment) == (partner, georgian_partner, "Startet am 1.")
    event = CaseEvent.objects.get(kind="roadmap_goal_status")
    assert (event.actor, event.data["organisation"]) == (partner, "Tbilisi Reintegration Centre")


def test_partner_cannot_update_a_goal_of_someone_else(logged_in, share):
    goal = share.version.goals.get(owner=GoalOwner.PARTICIPANT)
    response = logged_in.post(reverse("portal:goal_status", args=[share.pk, goal.pk]), {"status": GoalStatus.REACHED})
    assert response.status_code == 404
    goal.refresh_from_db()
    assert goal.status == GoalStatus.OPEN


def test_partner_goal_missed_without_reason_keeps_the_comment(logged_in, share):
    goal = share.version.goals.get(owner=GoalOwner.PARTNER)
    response = logged_in.post(
        reverse("portal:goal_status", args=[share.pk, goal.pk]),
        {"status": GoalStatus.MISSED, "status_reason": "", "evidence_note": "", "comment": "Firma hat abgesagt"},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["status_reason"]
    assert "Firma hat abgesagt" in response.content.decode()


def test_staff_cannot_open_the_portal(client, counsellor, share):
    client.force_login(counsellor)
    assert client.get(reverse("portal:roadmap", args=[share.pk])).status_code == 403


def test_partner_cannot_open_the_staff_roadmap_pages(logged_in, share):
    participant = share.version.roadmap.participant
    # Partners have no centre: the case lies outside their (empty) scope.
    assert logged_in.get(reverse("roadmap:detail", args=[participant.pk])).status_code == 404


def test_start_page_of_a_partner_is_the_portal(logged_in, share):
    response = logged_in.get(reverse("core:home"))
    assert [item.pk for item in response.context["shares"]] == [share.pk]


@pytest.mark.parametrize("count", [1, 15])
def test_portal_list_queries_do_not_grow(logged_in, georgian_partner, centre, count, django_assert_max_num_queries):
    for number in range(count):
        share = _shared_with(georgian_partner, centre=centre, case_number=f"EF-2026-{number + 200:04d}")
        GoalFactory(version=share.version, owner=GoalOwner.PARTNER, owner_organisation=georgian_partner)
    # The session and the user; the ids of a page of visible shares with their number (consents
    # checked in the same query); the page's shares; their goal counts.
    with django_assert_max_num_queries(5):
        response = logged_in.get(reverse("portal:home"))
    assert len(response.context["shares"]) == count


@pytest.mark.parametrize("count", [1, 10])
def test_portal_roadmap_queries_do_not_grow(logged_in, share, georgian_partner, count, django_assert_max_num_queries):
    for _ in range(count):
        GoalFactory(version=share.version, owner=GoalOwner.PARTNER, owner_organisation=georgian_partner)
        share.version.offers.create(title="Kurs", organisation_name="Partner")
    # The session and the user; the share with its consents checked; its goals and offers; the
    # access log entry.
    with django_assert_max_num_queries(6):
        response = logged_in.get(reverse("portal:roadmap", args=[share.pk]))
    assert response.status_code == 200


def test_draft_of_a_shared_roadmap_stays_invisible(logged_in, share):
    RoadmapVersionFactory(roadmap=share.version.roadmap, number=2, current_situation="Geheimer Entwurf")
    content = logged_in.get(reverse("portal:roadmap", args=[share.pk])).content.decode()
    assert "Geheimer Entwurf" not in content


def test_portal_list_shows_a_page_of_roadmaps_at_a_time(logged_in, georgian_partner, centre):
    for number in range(SHARES_PER_PAGE + 1):
        share = _shared_with(georgian_partner, centre=centre, case_number=f"EF-2026-{number + 300:04d}")
        GoalFactory(version=share.version, owner=GoalOwner.PARTNER, owner_organisation=georgian_partner)
    first = logged_in.get(reverse("portal:home"))
    second = logged_in.get(reverse("portal:home"), {"page": 2})
    assert len(first.context["shares"]) == SHARES_PER_PAGE
    assert [share.goal_count for share in first.context["shares"][:1]] == [1]
    assert [share.own_open_goals for share in first.context["shares"][:1]] == [1]
    assert [share.version.roadmap.participant.case_number for share in second.context["shares"]] == [
        f"EF-2026-{SHARES_PER_PAGE + 300:04d}"
    ]
    past_the_end = logged_in.get(reverse("portal:home"), {"page": 99})
    assert past_the_end.context["shares"] == second.context["shares"]
    assert "Seite 2 von 2 (26 Fahrpläne)" in past_the_end.content.decode()
