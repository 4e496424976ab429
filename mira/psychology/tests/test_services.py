import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import override

from mira.accounts.models import Role
from mira.participants.events import event_message
from mira.participants.models import CaseEvent, Stage
from mira.participants.tests.factories import ParticipantFactory
from mira.psychology import services
from mira.psychology.models import NoteKind, PsychologicalReferral, ReferralStatus, SupportNote
from mira.psychology.selectors import restricted_models
from mira.psychology.tests.conftest import days
from mira.psychology.tests.factories import PsychologicalReferralFactory, SupportNoteFactory

pytestmark = pytest.mark.django_db

REASON = "Wirkt seit Wochen sehr niedergeschlagen, spricht von Schlaflosigkeit."


def _refer(participant, actor, psychologist, **overrides):
    arguments = {"reason": REASON, "urgency": "soon", **overrides}
    return services.psych_referral_create(participant=participant, psychologist=psychologist, actor=actor, **arguments)


def test_referral_create_by_the_assigned_counsellor(participant, counsellor, psychologist):
    referral = _refer(participant, counsellor, psychologist)
    referral.refresh_from_db()
    assert (referral.status, referral.referred_by, referral.psychologist, referral.reason, referral.urgency) == (
        ReferralStatus.REQUESTED, counsellor, psychologist, REASON, "soon",
    )  # fmt: skip
    assert referral.requested_on == timezone.localdate()
    assert referral.history.count() == 1


def test_referral_create_by_another_counsellor_is_refused(participant, colleague, psychologist):
    with pytest.raises(ValidationError):
        _refer(participant, colleague, psychologist)
    assert PsychologicalReferral.objects.count() == 0


def test_referral_create_by_a_coordinator_not_assigned_is_refused(participant, coordinator, psychologist):
    with pytest.raises(ValidationError):
        _refer(participant, coordinator, psychologist)
    assert PsychologicalReferral.objects.count() == 0


def test_referral_create_to_a_psychologist_of_another_centre_is_refused(
    participant, counsellor, make_user, other_centre
):
    foreign = make_user(Role.PSYCHOLOGIST, centre=other_centre, username="psychologie-ge")
    with pytest.raises(ValidationError) as raised:
        _refer(participant, counsellor, foreign)
    assert list(raised.value.error_dict) == ["psychologist"]


def test_referral_create_to_a_counsellor_is_refused(participant, counsellor, colleague):
    with pytest.raises(ValidationError) as raised:
        _refer(participant, counsellor, colleague)
    assert list(raised.value.error_dict) == ["psychologist"]


def test_referral_create_while_one_is_open_is_refused(participant, counsellor, psychologist):
    _refer(participant, counsellor, psychologist)
    with pytest.raises(ValidationError):
        _refer(participant, counsellor, psychologist)
    assert PsychologicalReferral.objects.count() == 1


def test_referral_create_after_the_last_one_is_completed(participant, counsellor, psychologist):
    PsychologicalReferralFactory(participant=participant, psychologist=psychologist, status=ReferralStatus.COMPLETED)
    _refer(participant, counsellor, psychologist)
    assert PsychologicalReferral.objects.filter(participant=participant).count() == 2


def test_referral_create_on_a_closed_case_is_refused(centre, counsellor, psychologist):
    closed = ParticipantFactory(centre=centre, assigned_counsellor=counsellor, stage=Stage.CLOSED)
    with pytest.raises(ValidationError):
        _refer(closed, counsellor, psychologist)


def test_referral_create_with_an_empty_reason_is_refused(participant, counsellor, psychologist):
    with pytest.raises(ValidationError) as raised:
        _refer(participant, counsellor, psychologist, reason="   ")
    assert list(raised.value.error_dict) == ["reason"]
    assert PsychologicalReferral.objects.count() == 0


def test_status_accept_then_support_then_complete(referral, psychologist):
    referral.status = ReferralStatus.REQUESTED
    referral.save()
    services.psych_referral_set_status(referral=referral, status=ReferralStatus.ACCEPTED, actor=psychologist)
    services.psych_referral_set_status(referral=referral, status=ReferralStatus.IN_SUPPORT, actor=psychologist)
    services.psych_referral_set_status(referral=referral, status=ReferralStatus.COMPLETED, actor=psychologist)
    referral.refresh_from_db()
    assert (referral.status, referral.accepted_on, referral.closed_on) == (
        ReferralStatus.COMPLETED, timezone.localdate(), timezone.localdate(),
    )  # fmt: skip


def test_status_resume_a_completed_support_clears_the_end(referral, psychologist):
    services.psych_referral_set_status(referral=referral, status=ReferralStatus.COMPLETED, actor=psychologist)
    services.psych_referral_set_status(referral=referral, status=ReferralStatus.IN_SUPPORT, actor=psychologist)
    referral.refresh_from_db()
    assert (referral.status, referral.closed_on) == (ReferralStatus.IN_SUPPORT, None)


def test_status_decline_needs_a_reason(referral, psychologist):
    referral.status = ReferralStatus.REQUESTED
    referral.save()
    with pytest.raises(ValidationError) as raised:
        services.psych_referral_set_status(referral=referral, status=ReferralStatus.DECLINED, actor=psychologist)
    assert list(raised.value.error_dict) == ["decline_reason"]
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REQUESTED


def test_status_decline_keeps_the_reason_for_the_counsellor(referral, psychologist):
    referral.status = ReferralStatus.REQUESTED
    referral.save()
    services.psych_referral_set_status(
        referral=referral, status=ReferralStatus.DECLINED, actor=psychologist, decline_reason="Bitte an das PSZ."
    )
    referral.refresh_from_db()
    assert (referral.status, referral.decline_reason, referral.closed_on) == (
        ReferralStatus.DECLINED, "Bitte an das PSZ.", timezone.localdate(),
    )  # fmt: skip


def test_status_step_that_is_not_allowed_is_refused(referral, psychologist):
    with pytest.raises(ValidationError) as raised:
        services.psych_referral_set_status(referral=referral, status=ReferralStatus.ACCEPTED, actor=psychologist)
    assert list(raised.value.error_dict) == ["status"]


def test_status_change_by_the_counsellor_is_refused(referral, counsellor):
    with pytest.raises(ValidationError):
        services.psych_referral_set_status(referral=referral, status=ReferralStatus.COMPLETED, actor=counsellor)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.IN_SUPPORT


def test_note_create_by_the_named_psychologist(referral, psychologist):
    note = services.support_note_create(
        referral=referral, session_date=days(-1), kind=NoteKind.CRISIS_INTERVENTION, text=" Krisengespräch. ",
        actor=psychologist,
    )  # fmt: skip
    note.refresh_from_db()
    assert (note.author, note.text, note.kind, note.shared_with_counsellor) == (
        psychologist, "Krisengespräch.", NoteKind.CRISIS_INTERVENTION, False,
    )  # fmt: skip
    assert note.history.count() == 1


def test_note_create_by_another_psychologist_is_refused(referral, other_psychologist):
    with pytest.raises(ValidationError):
        services.support_note_create(
            referral=referral, session_date=days(-1), kind=NoteKind.SUPPORT_SESSION, text="x", actor=other_psychologist
        )
    assert SupportNote.objects.count() == 0


def test_note_create_in_the_future_is_refused(referral, psychologist):
    with pytest.raises(ValidationError) as raised:
        services.support_note_create(
            referral=referral, session_date=days(1), kind=NoteKind.SUPPORT_SESSION, text="x", actor=psychologist
        )
    assert list(raised.value.error_dict) == ["session_date"]


def test_note_create_before_the_referral_is_refused(referral, psychologist):
    with pytest.raises(ValidationError) as raised:
        services.support_note_create(
            referral=referral, session_date=days(-31), kind=NoteKind.SUPPORT_SESSION, text="x", actor=psychologist
        )
    assert list(raised.value.error_dict) == ["session_date"]


def test_note_create_on_a_declined_referral_is_refused(referral, psychologist):
    referral.status = ReferralStatus.DECLINED
    referral.save()
    with pytest.raises(ValidationError):
        services.support_note_create(
            referral=referral, session_date=days(-1), kind=NoteKind.SUPPORT_SESSION, text="x", actor=psychologist
        )


def test_note_update_by_its_author_keeps_the_old_version_in_the_history(private_note, psychologist):
    private_note.text = "Ergänzt: Schlaf deutlich besser."
    services.support_note_update(note=private_note, actor=psychologist, changed_fields=["text"])
    private_note.refresh_from_db()
    assert private_note.text == "Ergänzt: Schlaf deutlich besser."
    assert [record.text for record in private_note.history.order_by("history_id")] == [
        "Erstgespräch: Hinweise auf PTBS, Stabilisierung vereinbart.",
        "Ergänzt: Schlaf deutlich besser.",
    ]


def test_note_update_by_someone_else_is_refused(private_note, counsellor):
    private_note.text = "Überschrieben"
    with pytest.raises(ValidationError):
        services.support_note_update(note=private_note, actor=counsellor, changed_fields=["text"])
    private_note.refresh_from_db()
    assert private_note.text == "Erstgespräch: Hinweise auf PTBS, Stabilisierung vereinbart."


def test_timeline_gets_only_neutral_entries(participant, counsellor, psychologist):
    referral = _refer(participant, counsellor, psychologist)
    services.psych_referral_set_status(referral=referral, status=ReferralStatus.ACCEPTED, actor=psychologist)
    services.support_note_create(
        referral=referral, session_date=days(0), kind=NoteKind.FIRST_INTERVIEW, text="Erstgespräch", actor=psychologist
    )
    events = list(CaseEvent.objects.filter(participant=participant).order_by("id"))
    assert [(event.kind, event.actor, event.data) for event in events] == [
        ("restricted_entry", counsellor, {}),
        ("restricted_entry", psychologist, {}),
    ]
    with override("de"):
        assert event_message(events[0]) == "Vertraulicher Eintrag (nur für die Beteiligten sichtbar)"
    with override("en"):
        assert event_message(events[0]) == "Restricted entry (visible only to the persons involved)"


def test_restricted_models_name_referrals_notes_and_their_history():
    assert restricted_models() == (
        PsychologicalReferral,
        PsychologicalReferral.history.model,
        SupportNote,
        SupportNote.history.model,
    )


def test_note_factory_writes_on_a_referral_of_the_same_centre(db):
    note = SupportNoteFactory()
    assert note.referral.psychologist.centre == note.referral.participant.centre


def test_records_erase_removes_referrals_notes_and_their_history_of_that_case_only(
    participant, psychologist, referral, private_note, centre
):
    private_note.text = "Zweite Fassung"
    services.support_note_update(note=private_note, actor=psychologist, changed_fields=["text"])
    other = SupportNoteFactory(referral__participant__centre=centre)
    assert services.psych_records_erase(participant=participant) == 1
    assert list(PsychologicalReferral.objects.all()) == [other.referral]
    assert list(SupportNote.objects.all()) == [other]
    assert list(SupportNote.history.model.objects.values_list("id", flat=True)) == [other.pk]
    assert list(PsychologicalReferral.history.model.objects.values_list("id", flat=True)) == [other.referral.pk]
