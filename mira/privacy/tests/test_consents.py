import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from mira.documents.models import Document
from mira.documents.tests.factories import pdf_upload
from mira.participants.models import CaseEvent
from mira.participants.tests.factories import ParticipantFactory
from mira.privacy.models import Consent, ConsentPurpose
from mira.privacy.selectors import consent_is_valid, consent_overview
from mira.privacy.services import consent_record, consent_withdraw
from mira.privacy.tests.factories import ConsentFactory

SHARING = ConsentPurpose.PARTNER_SHARING
DAY = datetime.date(2026, 3, 10)


def days(offset: int) -> datetime.date:
    return DAY + datetime.timedelta(days=offset)


@pytest.fixture
def participant(centre, counsellor):
    return ParticipantFactory(centre=centre, assigned_counsellor=counsellor, case_number="EF-2026-0007")


def test_consent_is_valid_without_consent_is_false(participant):
    assert consent_is_valid(participant=participant, purpose=SHARING, on=DAY) is False


def test_consent_is_valid_from_the_day_it_was_given(participant):
    ConsentFactory(participant=participant, purpose=SHARING, given_on=DAY)
    assert consent_is_valid(participant=participant, purpose=SHARING, on=days(-1)) is False
    assert consent_is_valid(participant=participant, purpose=SHARING, on=DAY) is True
    assert consent_is_valid(participant=participant, purpose=SHARING, on=days(400)) is True


def test_consent_is_valid_ends_on_the_day_of_withdrawal(participant):
    ConsentFactory(participant=participant, purpose=SHARING, given_on=DAY, withdrawn_on=days(30))
    assert consent_is_valid(participant=participant, purpose=SHARING, on=days(29)) is True
    assert consent_is_valid(participant=participant, purpose=SHARING, on=days(30)) is False
    assert consent_is_valid(participant=participant, purpose=SHARING, on=days(31)) is False


def test_consent_is_valid_defaults_to_today(participant):
    today = timezone.localdate()
    ConsentFactory(participant=participant, purpose=SHARING, given_on=today)
    assert consent_is_valid(participant=participant, purpose=SHARING) is True


def test_consent_is_valid_counts_only_the_purpose_asked(participant):
    ConsentFactory(participant=participant, purpose=ConsentPurpose.COUNSELLING, given_on=DAY)
    assert consent_is_valid(participant=participant, purpose=SHARING, on=DAY) is False


def test_consent_is_valid_counts_only_the_participant_asked(participant, centre):
    other = ParticipantFactory(centre=centre)
    ConsentFactory(participant=other, purpose=SHARING, given_on=DAY)
    assert consent_is_valid(participant=participant, purpose=SHARING, on=DAY) is False


def test_consent_is_valid_with_several_consents_follows_the_gaps(participant):
    ConsentFactory(participant=participant, purpose=SHARING, given_on=DAY, withdrawn_on=days(10))
    ConsentFactory(participant=participant, purpose=SHARING, given_on=days(20))
    assert [consent_is_valid(participant=participant, purpose=SHARING, on=days(n)) for n in (-1, 0, 9, 10, 19, 20)] == [
        False,
        True,
        True,
        False,
        False,
        True,
    ]


def test_consent_record_saves_consent_and_timeline(participant, counsellor):
    consent = consent_record(
        participant=participant,
        purpose=SHARING,
        given_on=DAY,
        language="ru",
        notes=" Formular auf Russisch erklärt ",
        actor=counsellor,
    )
    consent.refresh_from_db()
    assert (consent.purpose, consent.given_on, consent.language, consent.notes, consent.recorded_by) == (
        "partner_sharing",
        DAY,
        "ru",
        "Formular auf Russisch erklärt",
        counsellor,
    )
    assert consent.signed_form is None
    event = CaseEvent.objects.get()
    assert (event.kind, event.actor, event.data) == (
        "consent_recorded",
        counsellor,
        {"purpose": "partner_sharing", "given_on": "2026-03-10"},
    )
    assert [(h.history_type, h.history_user) for h in consent.history.all()] == [("+", counsellor)]


def test_consent_record_with_signed_form_creates_a_consent_document(participant, counsellor):
    with translation.override("de"):
        consent = consent_record(
            participant=participant,
            purpose=ConsentPurpose.SECRECY_RELEASE,
            given_on=DAY,
            language="de",
            signed_form_file=pdf_upload("Entbindung.pdf"),
            actor=counsellor,
        )
    document = Document.objects.get()
    assert consent.signed_form == document
    assert (document.category, document.title, document.participant) == (
        "consent",
        "Einwilligungsformular: Schweigepflichtentbindung (§ 203 StGB)",
        participant,
    )
    assert list(CaseEvent.objects.order_by("id").values_list("kind", flat=True)) == [
        "document_uploaded",
        "consent_recorded",
    ]


def test_consent_record_in_the_future_is_refused(participant, counsellor):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        consent_record(participant=participant, purpose=SHARING, given_on=tomorrow, language="de", actor=counsellor)
    assert caught.value.message_dict == {"given_on": ["The date cannot lie in the future."]}
    assert Consent.objects.count() == 0


def test_consent_record_with_bad_signed_form_saves_nothing(participant, counsellor):
    fake = SimpleUploadedFile("Einwilligung.pdf", b"<html><script>alert(1)</script></html>")
    with pytest.raises(ValidationError) as caught:
        consent_record(
            participant=participant,
            purpose=SHARING,
            given_on=DAY,
            language="de",
            signed_form_file=fake,
            actor=counsellor,
        )
    assert list(caught.value.message_dict) == ["signed_form"]
    assert (Consent.objects.count(), Document.objects.count(), CaseEvent.objects.count()) == (0, 0, 0)


def test_consent_record_unknown_language_is_refused(participant, counsellor):
    with pytest.raises(ValidationError) as caught:
        consent_record(participant=participant, purpose=SHARING, given_on=DAY, language="xx", actor=counsellor)
    assert list(caught.value.message_dict) == ["language"]


def test_consent_record_while_one_is_in_force_is_refused(participant, counsellor):
    ConsentFactory(participant=participant, purpose=SHARING, given_on=DAY)
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        consent_record(participant=participant, purpose=SHARING, given_on=days(5), language="de", actor=counsellor)
    assert caught.value.message_dict == {
        "given_on": [
            "A consent for this purpose has been in force since 03/10/2026. "
            "Record its withdrawal first if it is to be replaced."
        ]
    }
    assert Consent.objects.count() == 1


def test_consent_record_before_the_earlier_withdrawal_is_refused(participant, counsellor):
    ConsentFactory(participant=participant, purpose=SHARING, given_on=DAY, withdrawn_on=days(10))
    with translation.override("de"), pytest.raises(ValidationError) as caught:
        consent_record(participant=participant, purpose=SHARING, given_on=days(9), language="de", actor=counsellor)
    assert caught.value.message_dict == {
        "given_on": [
            "Die frühere Einwilligung für diesen Zweck wurde am 20.03.2026 widerrufen; "
            "eine neue kann nicht vor diesem Tag beginnen."
        ]
    }


def test_consent_record_after_the_earlier_withdrawal_is_saved(participant, counsellor):
    ConsentFactory(participant=participant, purpose=SHARING, given_on=DAY, withdrawn_on=days(10))
    consent_record(participant=participant, purpose=SHARING, given_on=days(10), language="de", actor=counsellor)
    assert consent_is_valid(participant=participant, purpose=SHARING, on=days(10)) is True


def test_consent_record_for_another_purpose_is_independent(participant, counsellor):
    ConsentFactory(participant=participant, purpose=ConsentPurpose.COUNSELLING, given_on=DAY)
    consent_record(participant=participant, purpose=SHARING, given_on=DAY, language="de", actor=counsellor)
    assert Consent.objects.count() == 2


def test_consent_withdraw_records_date_notes_history_and_timeline(participant, counsellor):
    consent = ConsentFactory(participant=participant, purpose=SHARING, given_on=DAY)
    consent_withdraw(consent=consent, withdrawn_on=days(3), notes="Telefonisch widerrufen", actor=counsellor)
    consent.refresh_from_db()
    assert (consent.withdrawn_on, consent.withdrawal_notes) == (days(3), "Telefonisch widerrufen")
    assert [h.history_type for h in consent.history.all()] == ["~", "+"]
    assert consent.history.first().history_user == counsellor
    event = CaseEvent.objects.get()
    assert (event.kind, event.data) == (
        "consent_withdrawn",
        {"purpose": "partner_sharing", "withdrawn_on": "2026-03-13"},
    )


def test_consent_withdraw_on_the_day_given_is_allowed(participant, counsellor):
    consent = ConsentFactory(participant=participant, purpose=SHARING, given_on=DAY)
    consent_withdraw(consent=consent, withdrawn_on=DAY, actor=counsellor)
    assert consent_is_valid(participant=participant, purpose=SHARING, on=DAY) is False


def test_consent_withdraw_before_given_is_refused(participant, counsellor):
    consent = ConsentFactory(participant=participant, purpose=SHARING, given_on=DAY)
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        consent_withdraw(consent=consent, withdrawn_on=days(-1), actor=counsellor)
    assert caught.value.message_dict == {
        "withdrawn_on": ["The withdrawal cannot lie before the consent was given (03/10/2026)."]
    }
    consent.refresh_from_db()
    assert consent.withdrawn_on is None
    assert CaseEvent.objects.count() == 0


def test_consent_withdraw_in_the_future_is_refused(participant, counsellor):
    consent = ConsentFactory(participant=participant, purpose=SHARING, given_on=DAY)
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        consent_withdraw(
            consent=consent, withdrawn_on=timezone.localdate() + datetime.timedelta(days=1), actor=counsellor
        )
    assert caught.value.message_dict == {"withdrawn_on": ["The date cannot lie in the future."]}


def test_consent_withdraw_twice_is_refused(participant, counsellor):
    consent = ConsentFactory(participant=participant, purpose=SHARING, given_on=DAY, withdrawn_on=days(2))
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        consent_withdraw(consent=consent, withdrawn_on=days(5), actor=counsellor)
    assert caught.value.message_dict == {"withdrawn_on": ["This consent was already withdrawn on 03/12/2026."]}
    consent.refresh_from_db()
    assert consent.withdrawn_on == days(2)


def test_consent_overview_lists_every_purpose_with_its_state(participant):
    today = timezone.localdate()
    ConsentFactory(participant=participant, purpose=ConsentPurpose.COUNSELLING, given_on=today)
    ConsentFactory(participant=participant, purpose=SHARING, given_on=DAY, withdrawn_on=days(1))
    overview = {state.purpose: state for state in consent_overview(participant=participant)}
    assert list(overview) == list(ConsentPurpose.values)
    assert [(purpose, state.state) for purpose, state in overview.items()] == [
        ("counselling", "valid"),
        ("partner_sharing", "withdrawn"),
        ("secrecy_release", "none"),
        ("contact_after_return", "none"),
        ("photos", "none"),
    ]
    assert overview["partner_sharing"].latest.withdrawn_on == days(1)
