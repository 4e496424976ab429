"""The foundation end to end, as the issue names it: a counsellor registers a participant with a
child, finds them in the list, opens the case page and uploads a document; the counsellor of
another centre cannot open that case."""

import re

import pytest
from playwright.sync_api import expect

from mira.documents.models import Document
from mira.documents.samples import tiny_pdf
from mira.participants.models import Participant
from mira.participants.tests.test_browser import fill_person, label

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_counsellor_registers_finds_opens_and_uploads_and_other_centre_is_refused(
    page, browser, live_server, login_as, counsellor, counsellor_other_centre
):
    login_as(page, "beratung")
    page.goto("/cases/new/")
    fill_person(page, "Mohammed", "Al-Hassan", "99086")
    expect(page.get_by_label("Landkreis / kreisfreie Stadt")).to_have_value("Erfurt")
    page.get_by_role("button", name="Haushaltsmitglied hinzufügen").click()
    child = page.locator("[data-formset-row]").first
    child.get_by_label("Vorname").fill("Zainab")
    child.get_by_label("Nachname").fill("Al-Hassan")
    child.get_by_label("Geburtsdatum").fill("2018-05-10")
    child.get_by_label("Verwandtschaft").select_option("child")
    page.get_by_role("button", name="Berechtigung prüfen und aufnehmen").click()
    participant = Participant.objects.get()
    assert re.fullmatch(r"EF-\d{4}-\d{4}", participant.case_number)
    expect(page.locator(".mira-case-number").first).to_have_text(participant.case_number)

    page.goto("/cases/")
    page.get_by_label("Suche", exact=True).fill("Muhammad")
    expect(page.locator("#case-results")).to_contain_text(participant.case_number)
    page.locator("#case-results").get_by_role("link", name=participant.case_number).click()
    expect(page.locator("#household")).to_contain_text("Zainab")

    documents = page.locator("#documents")
    documents.get_by_text("Dokument hochladen").click()
    documents.get_by_label(label("Titel")).fill("Reisepass")
    documents.get_by_label(label("Kategorie")).select_option("passport")
    documents.get_by_label(label("Datei")).set_input_files(
        {"name": "Reisepass.pdf", "mimeType": "application/pdf", "buffer": tiny_pdf("Reisepass")}
    )
    documents.get_by_role("button", name="Hochladen").click()
    expect(page.get_by_text("Das Dokument „Reisepass“ wurde gespeichert.")).to_be_visible()
    assert list(Document.objects.values_list("participant__case_number", "title")) == [
        (participant.case_number, "Reisepass")
    ]

    other = browser.new_context(base_url=live_server.url, locale="de-DE")
    other_page = other.new_page()
    login_as(other_page, "beratung2")
    response = other_page.goto(f"/cases/{participant.pk}/")
    assert response.status == 404
    expect(other_page.get_by_text(participant.full_name)).to_have_count(0)
    other.close()
