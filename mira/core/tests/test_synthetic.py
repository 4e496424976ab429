"""The synthetic data generator (manage.py generate_synthetic_data) on a small scale, so it keeps
working as the models change: consistent records, and the pages a counsellor starts with render.
Not timed; the benchmark (make bench) measures the real scale."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from mira.accounts.models import Centre, Role, User
from mira.aid.models import AidRequest, Budget
from mira.core.synthetic import SYNTHETIC_CENTRE_PREFIX, generate
from mira.counselling.models import Appointment, CounsellingSession
from mira.documents.models import Document
from mira.network.models import Referral
from mira.participants.models import CaseEvent, HouseholdMember, Participant, Stage
from mira.privacy.models import AccessLog, Consent
from mira.roadmap.models import Roadmap, RoadmapShare, RoadmapVersion, VersionState

pytestmark = pytest.mark.django_db


@pytest.fixture
def synthetic():
    return generate(participants=50, centres=2)


def test_generator_spreads_the_cases_over_the_centres(synthetic):
    centres = Centre.objects.filter(name__startswith=SYNTHETIC_CENTRE_PREFIX).order_by("name")
    assert [centre.name for centre in centres] == ["Synthetic centre 01", "Synthetic centre 02"]
    assert [Participant.objects.filter(centre=centre).count() for centre in centres] == [25, 25]
    assert User.objects.filter(role=Role.COUNSELLOR, centre__in=centres).count() == 16
    assert User.objects.filter(role=Role.DATA_PROTECTION, centre__in=centres).count() == 2
    assert User.objects.filter(role=Role.PARTNER).exists()


def test_generator_writes_the_records_the_plans_call_for(synthetic):
    cases = synthetic.cases
    assert len(cases) == 50
    assert CounsellingSession.objects.count() == sum(len(case.contact_days) for case in cases)
    assert Roadmap.objects.count() == sum(case.reached(Stage.ROADMAP_DEVELOPMENT) for case in cases)
    agreed = RoadmapVersion.objects.filter(state=VersionState.AGREED).count()
    assert agreed == sum(case.reached(Stage.GOALS_AGREED) for case in cases)
    assert HouseholdMember.objects.count() == sum(case.household_size for case in cases)
    assert CaseEvent.objects.filter(kind="case_opened").count() == 50
    assert CaseEvent.objects.filter(kind="session_logged").count() == CounsellingSession.objects.count()
    assert Participant.history.filter(history_type="+").count() == 50
    assert AccessLog.objects.filter(what=AccessLog.What.CASE).count() >= CounsellingSession.objects.count()
    assert Consent.objects.exists()
    assert Document.objects.exists()
    assert Referral.objects.exists()
    assert Appointment.objects.filter(participant__isnull=True, title="Teamsitzung").exists()
    assert Budget.objects.count() == 2 * 2 * 5  # two centres, two funding sources, five years


def test_generator_keeps_stages_and_dates_consistent(synthetic):
    for case in synthetic.cases:
        participant = Participant.objects.get(pk=case.pk)
        assert participant.stage == case.stage
        assert participant.last_contact_on == (case.contact_days[-1] if case.contact_days else None)
        assert (participant.closed_on is not None) == (case.stage in (Stage.CLOSED, Stage.WITHDRAWN))
        assert (participant.departure_date is not None) == case.reached(Stage.DEPARTED)
    events = CaseEvent.objects.filter(kind="stage_changed")
    assert events.count() == sum(len(case.stage_dates) - 1 for case in synthetic.cases)


def test_generator_copies_the_case_s_centre_and_state_onto_its_records(synthetic):
    from django.db.models import F

    for model in (AidRequest, Consent, Document, HouseholdMember, Referral):
        assert model.objects.exists(), model
        assert not model.objects.exclude(centre=F("participant__centre")).exists(), model
    shares = RoadmapShare.objects.select_related("version__roadmap__participant")
    assert {share.case_open for share in shares} == {True, False}
    assert all(share.case_open == share.version.roadmap.participant.is_open for share in shares)


def test_generator_shares_roadmaps_only_with_the_consents_a_partner_needs(synthetic):
    for share in RoadmapShare.objects.filter(recipient_kind="partner").select_related("version__roadmap"):
        participant_id = share.version.roadmap.participant_id
        purposes = set(Consent.objects.filter(participant_id=participant_id).values_list("purpose", flat=True))
        assert {"partner_sharing", "secrecy_release"} <= purposes


def test_generator_keeps_aid_within_the_cap(synthetic):
    for participant_id in AidRequest.objects.values_list("participant_id", flat=True).distinct():
        committed = AidRequest.objects.filter(
            participant_id=participant_id, status__in=["approved", "ordered", "paid", "delivered", "closed"]
        )
        assert sum(request.total for request in committed) <= 1000


def test_synthetic_counsellor_opens_case_list_case_page_and_my_day(synthetic, client):
    centre = synthetic.centres[0]
    counsellor = User.objects.get(pk=synthetic.counsellors[centre.pk][0])
    case = Participant.objects.filter(centre=centre).order_by("-opened_on", "pk").first()
    client.force_login(counsellor)
    listed = client.get(reverse("participants:list"), {"status": "all"})
    assert listed.status_code == 200
    assert listed.context["page"].paginator.count == 25
    page = client.get(reverse("participants:detail", kwargs={"pk": case.pk}))
    assert page.status_code == 200
    lower_cards = client.get(page.context["more_url"])
    assert lower_cards.status_code == 200
    assert lower_cards.context["event_count"] == CaseEvent.objects.filter(participant=case).count()
    assert client.get(reverse("core:home")).status_code == 200
    assert client.get(reverse("counselling:calendar")).status_code == 200


def test_generate_command_refuses_a_second_run(synthetic):
    with pytest.raises(CommandError, match="already present"):
        call_command("generate_synthetic_data", participants=10, yes=True)
