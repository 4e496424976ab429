import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from mira.network.tests.factories import OfferFactory, OrganisationFactory
from mira.participants.models import CaseEvent, Stage
from mira.participants.tests.factories import ParticipantFactory
from mira.privacy.models import ConsentPurpose
from mira.roadmap import services
from mira.roadmap.models import (
    AgreementMethod,
    Goal,
    GoalOwner,
    GoalStatus,
    GoalStatusChange,
    Phase,
    RecipientKind,
    RoadmapShare,
    RoadmapVersion,
    VersionState,
)
from mira.roadmap.tests.factories import (
    AgreedVersionFactory,
    ConsentFactory,
    GoalFactory,
    sharing_consents,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _png_data_url() -> str:
    import base64

    buffer = io.BytesIO()
    Image.new("RGB", (60, 20), "white").save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def _pdf_upload() -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "unterschrift.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf"
    )


@pytest.fixture
def participant(counsellor, centre):
    return ParticipantFactory(centre=centre, assigned_counsellor=counsellor, stage=Stage.COUNSELLING)


@pytest.fixture
def draft(participant, counsellor):
    return services.roadmap_start(participant=participant, actor=counsellor)


def _goal(version, actor, **fields) -> Goal:
    values = {
        "phase": Phase.BEFORE_DEPARTURE,
        "title": "Reisepass beantragen",
        "measure": "Pass liegt vor",
        "owner": GoalOwner.PARTICIPANT,
        "due_on": TODAY() + datetime.timedelta(days=20),
        **fields,
    }
    return services.goal_save(goal=Goal(version=version, **values), actor=actor)


def _agree(version, actor, **overrides) -> RoadmapVersion:
    arguments = {
        "version": version,
        "agreed_on": TODAY(),
        "method": AgreementMethod.TABLET,
        "participant_signed": True,
        "counsellor_signed": True,
        "participant_signature": _png_data_url(),
        "counsellor_signature": _png_data_url(),
        "actor": actor,
        **overrides,
    }
    return services.roadmap_agree(**arguments)


# -- starting and the stage plan ----------------------------------------------------------------


def test_roadmap_start_creates_a_first_draft_with_the_destination_of_the_case(participant, counsellor):
    participant.return_region = "Kutaisi"
    participant.save()
    version = services.roadmap_start(participant=participant, actor=counsellor)
    assert (version.number, version.state, version.destination_country, version.destination_region) == (
        1,
        VersionState.DRAFT,
        "GE",
        "Kutaisi",
    )
    participant.refresh_from_db()
    assert participant.stage == Stage.ROADMAP_DEVELOPMENT
    assert list(CaseEvent.objects.filter(participant=participant).values_list("kind", flat=True)) == [
        "stage_changed",
        "roadmap_started",
    ]


def test_roadmap_start_moves_a_first_contact_case_stepwise(participant, counsellor):
    participant.stage = Stage.FIRST_CONTACT
    participant.save()
    services.roadmap_start(participant=participant, actor=counsellor)
    changes = CaseEvent.objects.filter(participant=participant, kind="stage_changed").order_by("at", "id")
    assert [(event.data["old"], event.data["new"]) for event in changes] == [
        ("first_contact", "counselling"),
        ("counselling", "roadmap_development"),
    ]


def test_roadmap_start_leaves_a_departed_case_in_its_stage(participant, counsellor):
    participant.stage = Stage.DEPARTED
    participant.save()
    services.roadmap_start(participant=participant, actor=counsellor)
    participant.refresh_from_db()
    assert participant.stage == Stage.DEPARTED


def test_roadmap_start_twice_is_refused(draft, participant, counsellor):
    with pytest.raises(ValidationError) as error:
        services.roadmap_start(participant=participant, actor=counsellor)
    assert error.value.messages == ["Dieser Fall hat bereits einen Fahrplan."]


def test_roadmap_start_on_a_closed_case_is_refused(participant, counsellor):
    participant.stage = Stage.WITHDRAWN
    participant.save()
    with pytest.raises(ValidationError):
        services.roadmap_start(participant=participant, actor=counsellor)
    assert not RoadmapVersion.objects.exists()


# -- goals -----------------------------------------------------------------------------------------


def test_goal_without_owner_and_due_date_is_refused_with_field_messages(draft, counsellor):
    goal = Goal(version=draft, phase=Phase.TRAVEL, title="Flug buchen", measure="Ticket liegt vor")
    with pytest.raises(ValidationError) as error:
        services.goal_save(goal=goal, actor=counsellor)
    assert set(error.value.message_dict) == {"owner", "due_on"}
    assert Goal.objects.count() == 0


def test_new_goal_due_before_today_is_refused(draft, counsellor):
    with pytest.raises(ValidationError) as error:
        _goal(draft, counsellor, due_on=TODAY() - datetime.timedelta(days=1))
    assert error.value.message_dict == {"due_on": ["Das Fälligkeitsdatum darf nicht in der Vergangenheit liegen."]}


def test_goal_owned_by_a_partner_needs_the_organisation(draft, counsellor):
    with pytest.raises(ValidationError) as error:
        _goal(draft, counsellor, owner=GoalOwner.PARTNER)
    assert list(error.value.message_dict) == ["owner_organisation"]


def test_goal_of_another_owner_drops_the_organisation(draft, counsellor, georgian_partner):
    goal = _goal(draft, counsellor, owner=GoalOwner.COUNSELLOR, owner_organisation=georgian_partner)
    assert goal.owner_organisation is None


def test_goal_copied_into_a_new_draft_keeps_its_past_due_date_when_edited(participant, counsellor):
    agreed = AgreedVersionFactory(roadmap__participant=participant)
    GoalFactory(version=agreed, due_on=TODAY() - datetime.timedelta(days=3), title="Alt")
    draft = services.roadmap_revision_start(roadmap=agreed.roadmap, actor=counsellor)
    copy = draft.goals.get()
    copy.measure = "Neu formuliert"
    services.goal_save(goal=copy, actor=counsellor)
    copy.refresh_from_db()
    assert (copy.measure, copy.due_on) == ("Neu formuliert", TODAY() - datetime.timedelta(days=3))


# -- agreement and freezing --------------------------------------------------------------------


def test_agreeing_an_empty_roadmap_is_refused(draft, counsellor):
    with pytest.raises(ValidationError) as error:
        _agree(draft, counsellor)
    assert error.value.message_dict == {
        "__all__": [
            "Ein Fahrplan ohne Ziele kann nicht vereinbart werden. Legen Sie zuerst mindestens ein verbindliches Ziel an."
        ]
    }
    draft.refresh_from_db()
    assert draft.state == VersionState.DRAFT


def test_agreeing_needs_both_signatures_and_a_date(draft, counsellor):
    _goal(draft, counsellor)
    with pytest.raises(ValidationError) as error:
        _agree(
            draft,
            counsellor,
            participant_signed=False,
            counsellor_signed=False,
            participant_signature="",
            agreed_on=TODAY() + datetime.timedelta(days=1),
        )
    assert set(error.value.message_dict) == {
        "participant_signed",
        "counsellor_signed",
        "participant_signature",
        "agreed_on",
    }


def test_agreeing_on_paper_needs_the_scan(draft, counsellor):
    _goal(draft, counsellor)
    with pytest.raises(ValidationError) as error:
        _agree(draft, counsellor, method=AgreementMethod.PAPER)
    assert list(error.value.message_dict) == ["signed_file"]


def test_agreeing_on_paper_stores_the_scan_as_a_document(draft, counsellor):
    _goal(draft, counsellor)
    agreed = _agree(draft, counsellor, method=AgreementMethod.PAPER, signed_file=_pdf_upload())
    assert (agreed.signed_document.title, agreed.participant_signature) == ("Unterschriebener Fahrplan, Version 1", "")


def test_a_signature_that_is_no_png_is_refused(draft, counsellor):
    _goal(draft, counsellor)
    with pytest.raises(ValidationError) as error:
        _agree(draft, counsellor, participant_signature="data:image/png;base64,PHN2Zz4=")
    assert list(error.value.message_dict) == ["participant_signature"]


def test_agreeing_freezes_the_version_and_moves_the_stage(draft, participant, counsellor):
    _goal(draft, counsellor)
    agreed = _agree(draft, counsellor)
    assert (agreed.state, agreed.agreed_on, agreed.agreed_by) == (VersionState.AGREED, TODAY(), counsellor)
    participant.refresh_from_db()
    assert participant.stage == Stage.GOALS_AGREED


def test_a_frozen_version_refuses_every_content_change(draft, counsellor):
    goal = _goal(draft, counsellor)
    offer = OfferFactory()
    agreed = _agree(draft, counsellor)
    with pytest.raises(services.FrozenVersionError):
        services.roadmap_content_update(version=agreed, data={"current_situation": "geändert"}, actor=counsellor)
    goal.title = "Geändert"
    with pytest.raises(services.FrozenVersionError):
        services.goal_save(goal=goal, actor=counsellor)
    with pytest.raises(services.FrozenVersionError):
        _goal(agreed, counsellor)
    with pytest.raises(services.FrozenVersionError):
        services.goal_delete(goal=goal, actor=counsellor)
    with pytest.raises(services.FrozenVersionError):
        services.roadmap_offer_add(version=agreed, offer=offer, actor=counsellor)
    with pytest.raises(services.FrozenVersionError):
        _agree(agreed, counsellor)
    goal.refresh_from_db()
    assert goal.title == "Reisepass beantragen"


def test_revision_deep_copies_the_agreed_version_and_leaves_it_unchanged(draft, counsellor):
    services.roadmap_content_update(version=draft, data={"professional_wishes": "Tischler"}, actor=counsellor)
    goal = _goal(draft, counsellor)
    offer = OfferFactory()
    services.roadmap_offer_add(version=draft, offer=offer, actor=counsellor)
    agreed = _agree(draft, counsellor)

    revision = services.roadmap_revision_start(roadmap=agreed.roadmap, actor=counsellor)
    services.roadmap_content_update(version=revision, data={"professional_wishes": "Schreiner"}, actor=counsellor)
    copy = revision.goals.get()
    copy.title = "Reisepass und Visum beantragen"
    services.goal_save(goal=copy, actor=counsellor)

    agreed.refresh_from_db()
    assert (revision.number, revision.based_on, revision.state) == (2, agreed, VersionState.DRAFT)
    assert (agreed.professional_wishes, agreed.goals.get().title) == ("Tischler", "Reisepass beantragen")
    assert (copy.key, copy.pk != goal.pk) == (goal.key, True)
    assert list(revision.offers.values_list("offer", flat=True)) == [offer.pk]


def test_revision_start_returns_the_existing_draft(draft, counsellor):
    _goal(draft, counsellor)
    agreed = _agree(draft, counsellor)
    first = services.roadmap_revision_start(roadmap=agreed.roadmap, actor=counsellor)
    second = services.roadmap_revision_start(roadmap=agreed.roadmap, actor=counsellor)
    assert first.pk == second.pk
    assert agreed.roadmap.versions.count() == 2


def test_agreeing_a_revision_supersedes_the_previous_version(draft, counsellor):
    _goal(draft, counsellor)
    first = _agree(draft, counsellor)
    revision = services.roadmap_revision_start(roadmap=first.roadmap, actor=counsellor)
    _agree(revision, counsellor)
    first.refresh_from_db()
    revision.refresh_from_db()
    assert (first.state, revision.state) == (VersionState.SUPERSEDED, VersionState.AGREED)


# -- sharing and consent ------------------------------------------------------------------------


@pytest.fixture
def agreed(draft, counsellor):
    _goal(draft, counsellor)
    return _agree(draft, counsellor)


def test_sharing_with_a_partner_without_consent_is_refused(agreed, georgian_partner, counsellor):
    with pytest.raises(ValidationError) as error:
        services.roadmap_share(
            version=agreed, recipient_kind=RecipientKind.PARTNER, organisation=georgian_partner, actor=counsellor
        )
    assert error.value.messages == [
        "Ohne gültige Einwilligung darf nicht geteilt werden: Weitergabe an Partnerorganisationen im Rückkehrland, "
        "Schweigepflichtentbindung (§ 203 StGB) fehlt oder wurde widerrufen."
    ]
    assert not RoadmapShare.objects.exists()


def test_sharing_with_a_partner_needs_the_secrecy_release_too(agreed, participant, georgian_partner, counsellor):
    ConsentFactory(participant=participant, purpose=ConsentPurpose.PARTNER_SHARING)
    with pytest.raises(ValidationError):
        services.roadmap_share(
            version=agreed, recipient_kind=RecipientKind.PARTNER, organisation=georgian_partner, actor=counsellor
        )


def test_sharing_after_the_consent_was_withdrawn_is_refused(agreed, participant, georgian_partner, counsellor):
    sharing_consents(participant)
    participant.consents.filter(purpose=ConsentPurpose.PARTNER_SHARING).update(withdrawn_on=TODAY())
    with pytest.raises(ValidationError):
        services.roadmap_share(
            version=agreed, recipient_kind=RecipientKind.PARTNER, organisation=georgian_partner, actor=counsellor
        )


def test_sharing_with_an_inactive_partner_is_refused(agreed, participant, counsellor):
    sharing_consents(participant)
    organisation = OrganisationFactory(active=False)
    with pytest.raises(ValidationError) as error:
        services.roadmap_share(
            version=agreed, recipient_kind=RecipientKind.PARTNER, organisation=organisation, actor=counsellor
        )
    assert error.value.message_dict == {"organisation": ["Diese Partnerorganisation ist im Netzwerk nicht mehr aktiv."]}


def test_sharing_with_a_partner_records_it_and_moves_the_stage(agreed, participant, georgian_partner, counsellor):
    sharing_consents(participant)
    share = services.roadmap_share(
        version=agreed,
        recipient_kind=RecipientKind.PARTNER,
        organisation=georgian_partner,
        purpose="Coaching nach der Rückkehr",
        actor=counsellor,
    )
    assert (share.recipient_name, share.consent_purposes, share.shared_by) == (
        "Tbilisi Reintegration Centre",
        "partner_sharing secrecy_release",
        counsellor,
    )
    participant.refresh_from_db()
    assert participant.stage == Stage.ROADMAP_SHARED
    event = CaseEvent.objects.filter(participant=participant, kind="roadmap_shared").get()
    assert event.data["recipient"] == "Tbilisi Reintegration Centre"


def test_sharing_twice_with_the_same_partner_is_refused(agreed, participant, georgian_partner, counsellor):
    sharing_consents(participant)
    services.roadmap_share(
        version=agreed, recipient_kind=RecipientKind.PARTNER, organisation=georgian_partner, actor=counsellor
    )
    with pytest.raises(ValidationError) as error:
        services.roadmap_share(
            version=agreed, recipient_kind=RecipientKind.PARTNER, organisation=georgian_partner, actor=counsellor
        )
    assert list(error.value.message_dict) == ["organisation"]


def test_sharing_with_a_german_body_needs_only_the_secrecy_release(agreed, participant, counsellor):
    ConsentFactory(participant=participant, purpose=ConsentPurpose.SECRECY_RELEASE)
    share = services.roadmap_share(
        version=agreed,
        recipient_kind=RecipientKind.GERMAN_BODY,
        recipient_name="Ausländerbehörde Erfurt",
        pdf_handed_over=True,
        actor=counsellor,
    )
    assert (share.organisation, share.consent_purposes, share.pdf_handed_over) == (None, "secrecy_release", True)


def test_sharing_with_a_german_body_without_release_is_refused(agreed, counsellor):
    with pytest.raises(ValidationError):
        services.roadmap_share(
            version=agreed, recipient_kind=RecipientKind.GERMAN_BODY, recipient_name="Jobcenter", actor=counsellor
        )


def test_sharing_a_draft_is_refused(draft, participant, georgian_partner, counsellor):
    sharing_consents(participant)
    with pytest.raises(ValidationError) as error:
        services.roadmap_share(
            version=draft, recipient_kind=RecipientKind.PARTNER, organisation=georgian_partner, actor=counsellor
        )
    assert error.value.message_dict == {"__all__": ["Nur die vereinbarte Fassung eines Fahrplans kann geteilt werden."]}


def test_revoking_a_share_needs_a_reason_and_is_recorded(agreed, participant, georgian_partner, counsellor):
    sharing_consents(participant)
    share = services.roadmap_share(
        version=agreed, recipient_kind=RecipientKind.PARTNER, organisation=georgian_partner, actor=counsellor
    )
    with pytest.raises(ValidationError):
        services.roadmap_share_revoke(share=share, reason="  ", actor=counsellor)
    services.roadmap_share_revoke(share=share, reason="Teilnehmer kehrt nicht zurück", actor=counsellor)
    share.refresh_from_db()
    assert (share.is_active, share.revoked_by, share.revocation_reason) == (
        False,
        counsellor,
        "Teilnehmer kehrt nicht zurück",
    )
    with pytest.raises(ValidationError):
        services.roadmap_share_revoke(share=share, reason="noch einmal", actor=counsellor)


def test_agreeing_a_revision_renews_partner_shares_for_the_new_version(
    agreed, participant, georgian_partner, counsellor
):
    sharing_consents(participant)
    old_share = services.roadmap_share(
        version=agreed, recipient_kind=RecipientKind.PARTNER, organisation=georgian_partner, actor=counsellor
    )
    revision = services.roadmap_revision_start(roadmap=agreed.roadmap, actor=counsellor)
    second = _agree(revision, counsellor)
    old_share.refresh_from_db()
    new_share = second.shares.get()
    assert (old_share.is_active, old_share.revocation_reason) == (False, "Ersetzt durch Version 2")
    assert (new_share.organisation, new_share.is_active) == (georgian_partner, True)
    kinds = list(
        CaseEvent.objects.filter(participant=participant, kind__startswith="roadmap_share")
        .order_by("at", "id")
        .values_list("kind", "data__number")
    )
    assert kinds == [("roadmap_shared", 1), ("roadmap_share_revoked", 1), ("roadmap_shared", 2)]


def test_agreeing_a_revision_without_carrying_ends_the_partner_shares(
    agreed, participant, georgian_partner, counsellor
):
    sharing_consents(participant)
    services.roadmap_share(
        version=agreed, recipient_kind=RecipientKind.PARTNER, organisation=georgian_partner, actor=counsellor
    )
    revision = services.roadmap_revision_start(roadmap=agreed.roadmap, actor=counsellor)
    second = _agree(revision, counsellor, carry_shares=False)
    assert second.shares.count() == 0
    assert RoadmapShare.objects.filter(revoked_at__isnull=True).count() == 0


# -- progress on goals --------------------------------------------------------------------------


def test_goal_status_on_the_agreed_version_is_audited_and_on_the_timeline(agreed, participant, counsellor):
    goal = agreed.goals.get()
    services.goal_status_set(
        goal=goal, status=GoalStatus.IN_PROGRESS, comment="Termin beim Konsulat am Montag", actor=counsellor
    )
    change = GoalStatusChange.objects.get()
    assert (change.old_status, change.new_status, change.comment, change.by) == (
        GoalStatus.OPEN,
        GoalStatus.IN_PROGRESS,
        "Termin beim Konsulat am Montag",
        counsellor,
    )
    event = CaseEvent.objects.filter(participant=participant, kind="roadmap_goal_status").get()
    from mira.participants.events import event_message

    assert event_message(event) == "Ziel „Reisepass beantragen“: Offen → In Arbeit: Termin beim Konsulat am Montag"


def test_goal_missed_without_reason_is_refused(agreed, counsellor):
    goal = agreed.goals.get()
    with pytest.raises(ValidationError) as error:
        services.goal_status_set(goal=goal, status=GoalStatus.MISSED, actor=counsellor)
    assert list(error.value.message_dict) == ["status_reason"]
    goal.refresh_from_db()
    assert goal.status == GoalStatus.OPEN


def test_goal_status_unchanged_without_evidence_is_refused(agreed, counsellor):
    with pytest.raises(ValidationError) as error:
        services.goal_status_set(goal=agreed.goals.get(), status=GoalStatus.OPEN, actor=counsellor)
    assert list(error.value.message_dict) == ["status"]


def test_goal_status_is_not_recorded_on_a_draft(draft, counsellor):
    goal = _goal(draft, counsellor)
    with pytest.raises(ValidationError):
        services.goal_status_set(goal=goal, status=GoalStatus.REACHED, actor=counsellor)


def test_goal_status_on_the_agreed_version_reaches_the_open_draft(agreed, counsellor):
    revision = services.roadmap_revision_start(roadmap=agreed.roadmap, actor=counsellor)
    services.goal_status_set(
        goal=agreed.goals.get(), status=GoalStatus.REACHED, evidence_note="Pass gesehen", actor=counsellor
    )
    copy = revision.goals.get()
    assert (copy.status, copy.evidence_note) == (GoalStatus.REACHED, "Pass gesehen")


def test_goal_status_with_an_evidence_file_stores_a_document(agreed, counsellor):
    goal = services.goal_status_set(
        goal=agreed.goals.get(), status=GoalStatus.REACHED, evidence_file=_pdf_upload(), actor=counsellor
    )
    assert goal.evidence_document.title == "Nachweis: Reisepass beantragen"


def test_goal_status_of_a_superseded_version_is_refused(agreed, counsellor):
    revision = services.roadmap_revision_start(roadmap=agreed.roadmap, actor=counsellor)
    _agree(revision, counsellor)
    with pytest.raises(ValidationError):
        services.goal_status_set(goal=agreed.goals.get(), status=GoalStatus.REACHED, actor=counsellor)


# -- offers ----------------------------------------------------------------------------------


def test_an_offer_is_copied_into_the_draft_once(draft, counsellor):
    offer = OfferFactory(title="Schweißkurs")
    chosen = services.roadmap_offer_add(version=draft, offer=offer, note="ab März", actor=counsellor)
    assert (chosen.title, chosen.organisation_name, chosen.note) == ("Schweißkurs", offer.organisation.name, "ab März")
    with pytest.raises(ValidationError):
        services.roadmap_offer_add(version=draft, offer=offer, actor=counsellor)


def test_an_expired_offer_is_refused(draft, counsellor):
    offer = OfferFactory(valid_until=TODAY() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        services.roadmap_offer_add(version=draft, offer=offer, actor=counsellor)


def test_agreeing_with_a_file_that_is_no_pdf_or_image_reports_it_on_the_field(draft, counsellor):
    _goal(draft, counsellor)
    text_file = SimpleUploadedFile("unterschrift.txt", b"nur Text", "text/plain")
    with pytest.raises(ValidationError) as error:
        _agree(draft, counsellor, method=AgreementMethod.PAPER, signed_file=text_file)
    assert list(error.value.message_dict) == ["signed_file"]
    draft.refresh_from_db()
    assert draft.state == VersionState.DRAFT


def test_deleting_a_case_deletes_its_roadmap_with_shares_and_signed_scan(
    agreed, participant, georgian_partner, counsellor
):
    sharing_consents(participant)
    services.roadmap_share(
        version=agreed, recipient_kind=RecipientKind.PARTNER, organisation=georgian_partner, actor=counsellor
    )
    services.goal_status_set(goal=agreed.goals.get(), status=GoalStatus.REACHED, actor=counsellor)
    revision = services.roadmap_revision_start(roadmap=agreed.roadmap, actor=counsellor)
    _agree(revision, counsellor, method=AgreementMethod.PAPER, signed_file=_pdf_upload())
    participant.delete()
    assert (RoadmapVersion.objects.count(), RoadmapShare.objects.count(), GoalStatusChange.objects.count()) == (0, 0, 0)


def test_the_draft_of_a_closed_case_can_no_longer_change(draft, participant, counsellor):
    participant.stage = Stage.WITHDRAWN
    participant.save()
    with pytest.raises(ValidationError) as error:
        _goal(draft, counsellor)
    assert error.value.messages == ["Der Fall ist abgeschlossen; sein Fahrplan kann nicht mehr geändert werden."]
