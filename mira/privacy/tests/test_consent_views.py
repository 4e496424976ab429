import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from mira.documents.models import Document
from mira.documents.tests.factories import pdf_upload
from mira.participants.tests.factories import ParticipantFactory
from mira.privacy.models import Consent, ConsentPurpose
from mira.privacy.tests.factories import ConsentFactory
from mira.psychology.tests.factories import PsychologicalReferralFactory

DAY = datetime.date(2026, 3, 10)


@pytest.fixture
def participant(centre, counsellor):
    return ParticipantFactory(
        centre=centre, assigned_counsellor=counsellor, case_number="EF-2026-0007", preferred_language="ru"
    )


def _record_url(participant, purpose="partner_sharing"):
    return reverse("privacy:consent_record", kwargs={"participant_id": participant.pk, "purpose": purpose})


def test_consent_record_page_proposes_the_participants_language(client, counsellor, participant):
    client.force_login(counsellor)
    response = client.get(_record_url(participant))
    assert response.status_code == 200
    assert response.context["form"]["language"].value() == "ru"
    assert "Weitergabe an Partnerorganisationen im Rückkehrland" in response.content.decode()


def test_consent_record_unknown_purpose_is_not_found(client, counsellor, participant):
    client.force_login(counsellor)
    assert client.get(_record_url(participant, "marketing")).status_code == 404


def test_consent_record_post_saves_with_signed_form(client, counsellor, participant):
    client.force_login(counsellor)
    response = client.post(
        _record_url(participant),
        {"given_on": "2026-03-10", "language": "ru", "notes": "Mit Dolmetscherin", "signed_form": pdf_upload()},
    )
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert (consent.purpose, consent.given_on, consent.language, consent.notes) == (
        "partner_sharing",
        DAY,
        "ru",
        "Mit Dolmetscherin",
    )
    assert consent.signed_form.category == "consent"


def test_consent_record_future_date_keeps_input(client, counsellor, participant):
    client.force_login(counsellor)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        _record_url(participant), {"given_on": tomorrow.isoformat(), "language": "ar", "notes": "Bitte prüfen"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].errors == {"given_on": ["Das Datum darf nicht in der Zukunft liegen."]}
    assert f'value="{tomorrow.isoformat()}"' in html
    assert '<option value="ar" selected>' in html
    assert "Bitte prüfen</textarea>" in html
    assert Consent.objects.count() == 0


def test_consent_record_bad_signed_form_saves_nothing(client, counsellor, participant):
    client.force_login(counsellor)
    fake = SimpleUploadedFile("Formular.png", b"MZ\x90\x00" + b"\x00" * 64)
    response = client.post(_record_url(participant), {"given_on": "2026-03-10", "language": "de", "signed_form": fake})
    assert list(response.context["form"].errors) == ["signed_form"]
    assert (Consent.objects.count(), Document.objects.count()) == (0, 0)


def test_consent_record_missing_date_is_refused(client, counsellor, participant):
    client.force_login(counsellor)
    response = client.post(_record_url(participant), {"given_on": "", "language": "de"})
    assert response.context["form"].errors == {"given_on": ["Dieses Feld ist zwingend erforderlich."]}


def test_consent_record_by_psychologist_is_forbidden(client, psychologist, participant):
    client.force_login(psychologist)
    response = client.post(_record_url(participant), {"given_on": "2026-03-10", "language": "de"})
    assert response.status_code == 403
    assert Consent.objects.count() == 0


def test_consent_withdraw_post_records_the_withdrawal(client, coordinator, participant):
    consent = ConsentFactory(participant=participant, purpose="partner_sharing", given_on=DAY)
    client.force_login(coordinator)
    response = client.post(
        reverse("privacy:consent_withdraw", kwargs={"pk": consent.pk}),
        {"withdrawn_on": "2026-03-12", "notes": "Schriftlich widerrufen"},
    )
    assert response.status_code == 302
    consent.refresh_from_db()
    assert (consent.withdrawn_on, consent.withdrawal_notes) == (datetime.date(2026, 3, 12), "Schriftlich widerrufen")


def test_consent_withdraw_before_given_keeps_input(client, counsellor, participant):
    consent = ConsentFactory(participant=participant, purpose="partner_sharing", given_on=DAY)
    client.force_login(counsellor)
    response = client.post(
        reverse("privacy:consent_withdraw", kwargs={"pk": consent.pk}),
        {"withdrawn_on": "2026-03-01", "notes": "Anruf"},
    )
    assert response.context["form"].errors == {
        "withdrawn_on": ["Der Widerruf kann nicht vor dem Tag der Einwilligung (10.03.2026) liegen."]
    }
    assert 'value="2026-03-01"' in response.content.decode()
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_consent_withdraw_by_outsider_is_not_found(client, counsellor_other_centre, participant):
    consent = ConsentFactory(participant=participant, given_on=DAY)
    client.force_login(counsellor_other_centre)
    response = client.post(
        reverse("privacy:consent_withdraw", kwargs={"pk": consent.pk}), {"withdrawn_on": "2026-03-12"}
    )
    assert response.status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def _render_card(user, participant) -> str:
    request = RequestFactory().get("/")
    request.user = user
    with scope(centre=user.centre_id):
        return Template("{% load privacy_tags %}{% case_consents participant %}").render(
            Context({"request": request, "participant": participant})
        )


def test_case_consents_card_shows_state_and_actions(counsellor, participant):
    valid = ConsentFactory(participant=participant, purpose="counselling", given_on=DAY)
    ConsentFactory(
        participant=participant, purpose="partner_sharing", given_on=DAY, withdrawn_on=datetime.date(2026, 4, 1)
    )
    html = _render_card(counsellor, participant)
    assert "Gültig seit 10.03.2026" in html
    assert "Widerrufen am 01.04.2026" in html
    assert html.count("Keine Einwilligung") == 3
    assert reverse("privacy:consent_withdraw", kwargs={"pk": valid.pk}) in html
    assert _record_url(participant, "partner_sharing") in html


def test_case_consents_card_is_read_only_for_psychologist(psychologist, participant):
    PsychologicalReferralFactory(participant=participant, psychologist=psychologist)
    ConsentFactory(participant=participant, purpose="secrecy_release", given_on=DAY)
    html = _render_card(psychologist, participant)
    assert "Gültig seit 10.03.2026" in html
    assert "Einwilligung erfassen" not in html
    assert "Widerruf erfassen" not in html


def test_case_consents_card_is_empty_for_a_psychologist_not_named_on_a_referral(psychologist, participant):
    PsychologicalReferralFactory(participant=participant)
    ConsentFactory(participant=participant, purpose="secrecy_release", given_on=DAY)
    assert _render_card(psychologist, participant).strip() == ""


def test_case_consents_card_is_empty_for_finance(finance, participant):
    assert _render_card(finance, participant).strip() == ""


@pytest.mark.parametrize("count", [1, 5])
def test_case_consents_card_queries_do_not_grow(counsellor, participant, count, django_assert_max_num_queries):
    purposes = list(ConsentPurpose.values)[:count]
    for purpose in purposes:
        ConsentFactory(participant=participant, purpose=purpose, given_on=DAY)
    with django_assert_max_num_queries(1):
        html = _render_card(counsellor, participant)
    assert html.count("Gültig seit") == count
