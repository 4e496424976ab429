import pytest
from playwright.sync_api import expect

from mira.participants.models import CaseEvent
from mira.psychology.models import PsychologicalReferral, ReferralStatus, SupportNote
from mira.psychology.tests.conftest import days
from mira.psychology.tests.factories import PsychologicalReferralFactory, SupportNoteFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = (
    "Frau Kapanadze berichtet von Albträumen und Panikattacken, seit die Ausreise konkret wird. "
    "Sie wünscht sich Gespräche, möglichst mit einer Dolmetscherin für Georgisch."
)
NOTE = "Erstgespräch mit Dolmetscherin. Stabilisierung vereinbart: Atemübungen, feste Tagesstruktur."


def test_counsellor_refers_psychologist_writes_a_note_coordinator_is_refused(
    page, login_as, screenshot, participant, counsellor, psychologist, coordinator
):
    psychologist.first_name, psychologist.last_name = "Miriam", "Lange"
    psychologist.save()
    case_psychology = f"/cases/{participant.pk}/psychology/"

    # The assigned counsellor refers the case.
    login_as(page, "beratung")
    page.goto(case_psychology)
    expect(page.get_by_text("Diese Person wurde nicht in psychologische Unterstützung vermittelt.")).to_be_visible()
    page.get_by_role("link", name="In psychologische Unterstützung vermitteln").click()
    page.get_by_role("button", name="Vermittlung absenden").click()
    expect(page.get_by_text("Bitte beschreiben Sie kurz, warum Sie die Person vermitteln.")).to_be_visible()
    expect(page.get_by_label("Psychologische Fachkraft")).to_have_value(str(psychologist.pk))
    page.get_by_label("Dringlichkeit").select_option(label="Zeitnah")
    page.get_by_label("Anlass der Vermittlung").fill(REASON)
    screenshot(page, "psychology-refer")
    page.get_by_role("button", name="Vermittlung absenden").click()
    expect(page.get_by_text("Die Person wurde an Miriam Lange vermittelt.")).to_be_visible()
    expect(page.locator(".mira-psych-status")).to_have_text("Angefragt")
    assert PsychologicalReferral.objects.get().status == ReferralStatus.REQUESTED

    # The psychologist finds the case on her start page, accepts it and writes a note.
    page.context.clear_cookies()
    login_as(page, "psychologie")
    expect(page.get_by_role("heading", name="Meine Klient:innen")).to_be_visible()
    expect(page.get_by_text("1 neue Vermittlung")).to_be_visible()
    screenshot(page, "psychology-my-clients")
    page.get_by_role("link", name="EF-2026-0042").click()
    expect(page.get_by_text("Frau Kapanadze berichtet von Albträumen")).to_be_visible()
    page.get_by_role("button", name="Vermittlung annehmen").click()
    expect(page.get_by_text("Die Vermittlung ist jetzt „Angenommen“.")).to_be_visible()
    page.get_by_role("link", name="Neue Notiz").click()
    page.get_by_label("Art").select_option(label="Erstgespräch")
    page.get_by_label("Notiz").fill(NOTE)
    screenshot(page, "psychology-note-form")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Die Notiz wurde gespeichert.")).to_be_visible()
    expect(page.locator(".mira-psych-note")).to_have_count(1)
    expect(page.locator(".mira-psych-note")).to_contain_text(NOTE)
    screenshot(page, "psychology-case-psychologist")
    note = SupportNote.objects.get()
    assert (note.author, note.kind, note.shared_with_counsellor, note.session_date) == (
        psychologist, "first_interview", False, days(0),
    )  # fmt: skip

    # The coordinator sees every case of the centre, but not this page.
    page.context.clear_cookies()
    login_as(page, "leitung")
    response = page.goto(case_psychology)
    assert response.status == 403
    expect(page.get_by_text(NOTE)).to_have_count(0)
    assert [event.kind for event in CaseEvent.objects.filter(participant=participant)] == ["restricted_entry"] * 2


def test_counsellor_sees_the_status_and_only_the_shared_notes(page, login_as, screenshot, referral, counsellor):
    SupportNoteFactory(
        referral=referral, text="Nur für die Fachkraft: Details zur Vorgeschichte.", session_date=days(-20)
    )
    SupportNoteFactory(
        referral=referral,
        text="Für die Beratung: Termine bitte vormittags, Dolmetscherin weiblich.",
        session_date=days(-5),
        shared_with_counsellor=True,
    )
    PsychologicalReferralFactory(
        participant=referral.participant, psychologist=referral.psychologist, status=ReferralStatus.DECLINED,
        decline_reason="Kapazität erschöpft; bitte an das Psychosoziale Zentrum Erfurt wenden.", requested_on=days(-80),
    )  # fmt: skip
    login_as(page, "beratung")
    page.goto(f"/cases/{referral.participant_id}/psychology/")
    expect(page.locator(".mira-psych-note")).to_have_count(1)
    expect(page.get_by_text("Termine bitte vormittags")).to_be_visible()
    expect(page.get_by_text("Nur für die Fachkraft")).to_have_count(0)
    expect(page.get_by_text("Kapazität erschöpft")).to_be_visible()
    expect(page.get_by_role("link", name="In psychologische Unterstützung vermitteln")).to_have_count(0)
    screenshot(page, "psychology-case-counsellor")
