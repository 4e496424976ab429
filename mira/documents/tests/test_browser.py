"""The records flow in a real browser: a counsellor files a document and a consent on a case,
the data protection officer finds the download and the consent change in the audit."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from mira.documents.samples import tiny_pdf, tiny_png
from mira.participants.tests.factories import ParticipantFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _file(name: str, content: bytes, mime: str) -> dict:
    return {"name": name, "mimeType": mime, "buffer": content}


def test_records_flow_counsellor_and_data_protection_officer(
    page, live_server, login_as, screenshot, centre, counsellor, data_protection
):
    participant = ParticipantFactory(
        centre=centre,
        assigned_counsellor=counsellor,
        case_number="EF-2026-0042",
        first_name="Tamar",
        last_name="Lomidze",
    )
    case_page = reverse("participants:detail", kwargs={"pk": participant.pk})
    today = timezone.localdate()
    given_on = today - datetime.timedelta(days=20)
    withdrawn_on = today - datetime.timedelta(days=2)

    login_as(page, "beratung")
    page.goto(case_page)
    documents = page.locator("#documents")
    expect(documents.get_by_text("Noch keine Dokumente.")).to_be_visible()

    # A program renamed to .pdf is refused; the title and category stay as typed.
    documents.get_by_text("Dokument hochladen").click()
    documents.get_by_label("Titel").fill("Reisepass")
    documents.get_by_label("Kategorie").select_option("passport")
    documents.get_by_label("Datei").set_input_files(
        _file("Reisepass.pdf", b"MZ\x90\x00" + b"\x00" * 500, "application/pdf")
    )
    documents.get_by_role("button", name="Hochladen").click()
    expect(page.get_by_text("Der Inhalt dieser Datei ist nichts davon")).to_be_visible()
    expect(page.get_by_label("Titel")).to_have_value("Reisepass")
    expect(page.get_by_label("Kategorie")).to_have_value("passport")
    screenshot(page, "records-upload-error")

    page.get_by_label("Datei").set_input_files(_file("Reisepass Scan.pdf", tiny_pdf("Reisepass"), "application/pdf"))
    page.get_by_role("button", name="Hochladen").click()
    expect(page.get_by_text("Das Dokument „Reisepass“ wurde gespeichert.")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"{case_page}#documents$"))
    row = page.locator("#documents tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Reisepass oder Ausweisdokument")

    with page.expect_download() as download_info:
        row.get_by_role("link", name="„Reisepass“ herunterladen").click()
    download = download_info.value
    assert download.suggested_filename == "Reisepass Scan.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read() == tiny_pdf("Reisepass")

    # A second upload, deleted again after the confirmation question.
    documents.get_by_text("Dokument hochladen").click()
    documents.get_by_label("Titel").fill("Falsches Dokument")
    documents.get_by_label("Kategorie").select_option("other")
    documents.get_by_label("Datei").set_input_files(_file("Scan.png", tiny_png(), "image/png"))
    documents.get_by_role("button", name="Hochladen").click()
    expect(row).to_have_count(2)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="„Falsches Dokument“ löschen").click()
    expect(page.get_by_text("Das Dokument „Falsches Dokument“ wurde gelöscht.")).to_be_visible()
    expect(row).to_have_count(1)

    # Consent for sharing with the partner organisation: record, then withdraw.
    sharing = page.locator('#consents [data-purpose="partner_sharing"]')
    sharing.get_by_role("link", name="Einwilligung erfassen").click()
    page.get_by_label("Erteilt am").fill(given_on.isoformat())
    page.get_by_label("Sprache des Formulars").select_option("ru")
    page.get_by_label("Bemerkungen").fill("Formular mit Dolmetscherin besprochen")
    screenshot(page, "records-consent-record")
    page.get_by_role("button", name="Einwilligung erfassen").click()
    expect(
        page.get_by_text("Die Einwilligung „Weitergabe an Partnerorganisationen im Rückkehrland“ wurde erfasst.")
    ).to_be_visible()
    expect(sharing).to_contain_text(f"Gültig seit {given_on:%d.%m.%Y}")
    screenshot(page, "records-case-cards")

    sharing.get_by_role("link", name="Widerruf erfassen").click()
    page.get_by_label("Widerrufen am").fill((given_on - datetime.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Widerruf erfassen").click()
    expect(page.get_by_text("Der Widerruf kann nicht vor dem Tag der Einwilligung")).to_be_visible()
    screenshot(page, "records-consent-withdraw-error")
    page.get_by_label("Widerrufen am").fill(withdrawn_on.isoformat())
    page.get_by_role("button", name="Widerruf erfassen").click()
    expect(sharing).to_contain_text(f"Widerrufen am {withdrawn_on:%d.%m.%Y}")

    # The data protection officer finds the download and the withdrawal.
    page.context.clear_cookies()
    login_as(page, "datenschutz")
    page.goto(reverse("privacy:access_log"))
    page.get_by_label("Fallnummer").fill("EF-2026-0042")
    page.get_by_label("Art").select_option("document")
    page.get_by_role("button", name="Einträge anzeigen").click()
    log_rows = page.locator(".mira-access-log tbody tr")
    expect(log_rows).to_have_count(1)
    expect(log_rows).to_contain_text("Dokument heruntergeladen")
    expect(log_rows).to_contain_text(counsellor.get_full_name())
    screenshot(page, "records-access-log")

    page.get_by_role("link", name="Änderungsverlauf").click()
    page.get_by_label("Fallnummer").fill("EF-2026-0042")
    page.get_by_label("Daten").select_option("consent")
    page.get_by_role("button", name="Einträge anzeigen").click()
    changed = page.locator(".mira-audit-changed")
    expect(changed).to_have_count(1)
    expect(changed).to_contain_text("Einwilligung: Weitergabe an Partnerorganisationen im Rückkehrland")
    expect(changed.locator("tr", has_text="widerrufen am")).to_contain_text(f"{withdrawn_on:%d.%m.%Y}")
    screenshot(page, "records-audit")
