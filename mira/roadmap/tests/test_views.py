import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mira.network.tests.factories import OfferFactory
from mira.participants.models import Stage
from mira.participants.tests.factories import ParticipantFactory
from mira.privacy.models import AccessLog
from mira.psychology.tests.factories import PsychologicalReferralFactory
from mira.roadmap.models import Goal, GoalOwner, GoalStatus, RecipientKind, RoadmapShare, VersionState
from mira.roadmap.tests.factories import (
    AgreedVersionFactory,
    GoalFactory,
    RoadmapFactory,
    RoadmapShareFactory,
    RoadmapVersionFactory,
    sharing_consents,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def participant(counsellor, centre):
    return ParticipantFactory(centre=centre, assigned_counsellor=counsellor, stage=Stage.ROADMAP_DEVELOPMENT)


@pytest.fixture
def draft(participant):
    return RoadmapVersionFactory(roadmap=RoadmapFactory(participant=participant))


@pytest.fixture
def logged_in(client, counsellor):
    client.force_login(counsellor)
    return client


def _url(name, participant, **kwargs):
    return reverse(f"roadmap:{name}", kwargs={"participant_pk": participant.pk, **kwargs})


def _goal_data(**overrides):
    return {
        "phase": "before_departure",
        "title": "Führerschein umschreiben lassen",
        "title_translated": "",
        "measure": "Georgischer Führerschein liegt vor",
        "owner": GoalOwner.PARTICIPANT,
        "owner_organisation": "",
        "due_on": (timezone.localdate() + datetime.timedelta(days=40)).isoformat(),
        **overrides,
    }


def test_detail_without_roadmap_offers_to_start_it(logged_in, participant):
    response = logged_in.get(_url("detail", participant))
    assert response.status_code == 200
    assert "Fahrplan beginnen" in response.content.decode()


def test_start_creates_the_draft_and_opens_the_editor(logged_in, participant):
    response = logged_in.post(_url("start", participant))
    assert response.status_code == 302
    response = logged_in.get(_url("detail", participant))
    assert response.context["editing"] is True
    assert response.context["version"].state == VersionState.DRAFT


def test_detail_records_the_read_access(logged_in, participant, draft, counsellor):
    logged_in.get(_url("detail", participant))
    entry = AccessLog.objects.get()
    assert (entry.user, entry.case_number, entry.what, entry.object_id) == (
        counsellor,
        participant.case_number,
        AccessLog.What.OTHER,
        str(draft.pk),
    )


def test_goal_added_with_htmx_returns_the_goals_section(logged_in, participant, draft):
    response = logged_in.post(_url("goal_add", participant), _goal_data(), **HTMX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#roadmap-goals"
    assert Goal.objects.get().title == "Führerschein umschreiben lassen"
    assert "Führerschein umschreiben lassen" in response.content.decode()


def test_goal_without_owner_and_due_date_keeps_what_was_typed(logged_in, participant, draft):
    response = logged_in.post(_url("goal_add", participant), _goal_data(owner="", due_on=""), **HTMX)
    assert response.status_code == 200
    assert "HX-Retarget" not in response
    form = response.context["form"]
    assert form.errors == {
        "owner": ["Wählen Sie, wer für dieses Ziel verantwortlich ist."],
        "due_on": ["Geben Sie das Datum an, bis zu dem das Ziel erreicht sein soll."],
    }
    content = response.content.decode()
    assert 'value="Führerschein umschreiben lassen"' in content
    assert "Georgischer Führerschein liegt vor" in content
    assert Goal.objects.count() == 0


def test_goal_due_yesterday_gets_a_message_next_to_the_date(logged_in, participant, draft):
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = logged_in.post(_url("goal_add", participant), _goal_data(due_on=yesterday))
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "due_on": ["Das Fälligkeitsdatum darf nicht in der Vergangenheit liegen."]
    }
    assert 'aria-describedby="id_due_on_error"' in response.content.decode()


def test_goal_edit_saves_the_changes(logged_in, participant, draft):
    goal = GoalFactory(version=draft)
    response = logged_in.post(
        _url("goal_edit", participant, goal_pk=goal.pk), _goal_data(title="Reisepass abholen"), **HTMX
    )
    assert response.status_code == 200
    goal.refresh_from_db()
    assert goal.title == "Reisepass abholen"


def test_goal_of_an_agreed_version_cannot_be_edited(logged_in, participant):
    version = AgreedVersionFactory(roadmap=RoadmapFactory(participant=participant))
    goal = GoalFactory(version=version, title="Fest")
    response = logged_in.post(_url("goal_edit", participant, goal_pk=goal.pk), _goal_data(title="Neu"))
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.title == "Fest"


def test_goal_of_another_case_is_not_found(logged_in, participant, draft, centre, counsellor):
    other = RoadmapVersionFactory(roadmap=RoadmapFactory(participant=ParticipantFactory(centre=centre)))
    goal = GoalFactory(version=other)
    response = logged_in.get(_url("goal_edit", participant, goal_pk=goal.pk))
    assert response.status_code == 404


def test_goal_delete_removes_it(logged_in, participant, draft):
    goal = GoalFactory(version=draft)
    response = logged_in.post(_url("goal_delete", participant, goal_pk=goal.pk), **HTMX)
    assert response.status_code == 200
    assert Goal.objects.count() == 0


def test_content_saved_with_htmx_says_saved(logged_in, participant, draft):
    data = {
        "current_situation": "Wohnt allein in Erfurt.",
        "professional_wishes": "Werkstatt eröffnen",
        "personal_wishes": "",
        "family_situation": "",
        "qualifications": "Kfz-Mechaniker",
        "wished_sectors": ["crafts", "trade"],
        "destination_country": "GE",
        "destination_region": "Imereti",
        "destination_city": "Kutaisi",
    }
    response = logged_in.post(_url("content", participant), data, **HTMX)
    assert response.status_code == 200
    assert "Gespeichert" in response.content.decode()
    draft.refresh_from_db()
    assert (draft.current_situation, draft.wished_sectors, draft.destination_city) == (
        "Wohnt allein in Erfurt.",
        "crafts trade",
        "Kutaisi",
    )


def test_offer_added_from_the_suggestions(logged_in, participant, draft):
    offer = OfferFactory(organisation__country="GE", country="GE", title="Werkstattgründung")
    response = logged_in.get(_url("detail", participant))
    assert [suggestion.pk for suggestion in response.context["suggestions"]] == [offer.pk]
    response = logged_in.post(_url("offer_add", participant), {"offer": offer.pk}, **HTMX)
    assert response.status_code == 200
    assert list(draft.offers.values_list("title", flat=True)) == ["Werkstattgründung"]
    assert response.context["suggestions"] == []


def test_agree_page_refuses_an_empty_roadmap_and_keeps_the_input(logged_in, participant, draft):
    response = logged_in.post(
        _url("agree", participant),
        {
            "agreed_on": timezone.localdate().isoformat(),
            "method": "tablet",
            "participant_signed": "on",
            "counsellor_signed": "on",
            "participant_signature": "",
            "counsellor_signature": "",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["__all__"] == [
        "Ein Fahrplan ohne Ziele kann nicht vereinbart werden. Legen Sie zuerst mindestens ein verbindliches Ziel an."
    ]
    assert 'value="tablet" class="form-check-input" id="id_method_1" required checked' in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == VersionState.DRAFT


def test_share_page_refuses_without_consent_with_a_clear_message(logged_in, participant, georgian_partner):
    version = AgreedVersionFactory(roadmap=RoadmapFactory(participant=participant))
    GoalFactory(version=version)
    response = logged_in.post(
        _url("share", participant),
        {"recipient_kind": RecipientKind.PARTNER, "organisation": georgian_partner.pk, "purpose": "Coaching"},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Ohne gültige Einwilligung darf nicht geteilt werden: Weitergabe an Partnerorganisationen im Rückkehrland, "
        "Schweigepflichtentbindung (§ 203 StGB) fehlt oder wurde widerrufen."
    ]
    assert 'value="Coaching"' in response.content.decode()
    assert RoadmapShare.objects.count() == 0


def test_share_with_consent_redirects_and_lists_the_share(logged_in, participant, georgian_partner):
    version = AgreedVersionFactory(roadmap=RoadmapFactory(participant=participant))
    GoalFactory(version=version)
    sharing_consents(participant)
    response = logged_in.post(
        _url("share", participant), {"recipient_kind": RecipientKind.PARTNER, "organisation": georgian_partner.pk}
    )
    assert response.status_code == 302
    response = logged_in.get(_url("share", participant))
    assert [share.recipient_name for share in response.context["shares"]] == ["Tbilisi Reintegration Centre"]


def test_share_revoke_without_reason_keeps_the_share(logged_in, participant, georgian_partner):
    sharing_consents(participant)
    share = RoadmapShareFactory(
        version=AgreedVersionFactory(roadmap=RoadmapFactory(participant=participant)), organisation=georgian_partner
    )
    response = logged_in.post(_url("share_revoke", participant, share_pk=share.pk), {"reason": ""})
    assert response.context["form"].errors == {"reason": ["Geben Sie den Grund für den Widerruf an."]}
    share.refresh_from_db()
    assert share.is_active is True


def test_goal_progress_with_htmx_returns_the_updated_row(logged_in, participant):
    version = AgreedVersionFactory(roadmap=RoadmapFactory(participant=participant))
    goal = GoalFactory(version=version)
    response = logged_in.post(
        _url("goal_status", participant, goal_pk=goal.pk),
        {"status": GoalStatus.REACHED, "status_reason": "", "evidence_note": "Pass gesehen", "comment": ""},
        **HTMX,
    )
    assert response.status_code == 200
    assert f'id="goal-{goal.pk}"' in response.content.decode()
    goal.refresh_from_db()
    assert (goal.status, goal.evidence_note) == (GoalStatus.REACHED, "Pass gesehen")


def test_pdf_of_a_draft_only_roadmap_is_refused(logged_in, participant, draft):
    response = logged_in.get(_url("pdf", participant))
    assert response.status_code == 302


def test_pdf_download_is_logged_as_export(logged_in, participant, counsellor):
    version = AgreedVersionFactory(roadmap=RoadmapFactory(participant=participant))
    GoalFactory(version=version)
    response = logged_in.get(_url("pdf", participant))
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert (
        response["Content-Disposition"] == f'attachment; filename="fahrplan-{participant.case_number.lower()}-v1.pdf"'
    )
    assert list(AccessLog.objects.values_list("what", flat=True)) == [AccessLog.What.EXPORT]


def test_compare_marks_the_changed_words(logged_in, participant, counsellor):
    roadmap = RoadmapFactory(participant=participant)
    first = AgreedVersionFactory(roadmap=roadmap, professional_wishes="Als Koch arbeiten")
    RoadmapVersionFactory(roadmap=roadmap, number=2, based_on=first, professional_wishes="Als Bäcker arbeiten")
    response = logged_in.get(_url("compare", participant))
    wishes = next(change for change in response.context["comparison"].fields if change.label == "berufliche Wünsche")
    assert (str(wishes.old_html), str(wishes.new_html)) == (
        'Als <del class="mira-diff-del">Koch</del> arbeiten',
        'Als <ins class="mira-diff-ins">Bäcker</ins> arbeiten',
    )


def test_psychologist_reads_the_roadmap_without_editing(client, psychologist, participant, draft):
    PsychologicalReferralFactory(participant=participant, psychologist=psychologist)
    client.force_login(psychologist)
    response = client.get(_url("detail", participant))
    assert (response.status_code, response.context["editing"]) == (200, False)
    assert client.post(_url("goal_add", participant), _goal_data()).status_code == 403


def test_counsellor_of_another_centre_gets_not_found(client, counsellor_other_centre, participant, draft):
    client.force_login(counsellor_other_centre)
    assert client.get(_url("detail", participant)).status_code == 404


def _roadmap_with_goals(participant, count):
    version = RoadmapVersionFactory(roadmap=RoadmapFactory(participant=participant))
    for _ in range(count):
        GoalFactory(version=version)
        offer = OfferFactory(organisation__country="GE", country="GE")
        version.offers.create(offer=offer, title=offer.title, organisation_name=offer.organisation.name)
    return version


@pytest.mark.parametrize("count", [1, 12])
def test_detail_queries_do_not_grow_with_goals(logged_in, participant, count, django_assert_max_num_queries):
    _roadmap_with_goals(participant, count)
    with django_assert_max_num_queries(26):
        response = logged_in.get(_url("detail", participant))
    assert len(response.context["offers"]) == count


@pytest.mark.parametrize("count", [1, 10])
def test_share_page_queries_do_not_grow_with_shares(logged_in, participant, count, django_assert_max_num_queries):
    from mira.network.tests.factories import OrganisationFactory

    version = AgreedVersionFactory(roadmap=RoadmapFactory(participant=participant))
    for _ in range(count):
        RoadmapShareFactory(version=version, organisation=OrganisationFactory())
    with django_assert_max_num_queries(16):
        response = logged_in.get(_url("share", participant))
    assert len(response.context["shares"]) == count
