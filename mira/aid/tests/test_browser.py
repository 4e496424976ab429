"""The main flow in Chromium: counsellor requests, coordinator approves, finance pays and
uploads the receipt; a second request over the remaining cap is refused with the amount left."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from mira.aid.models import AidRequest, AidStatus
from mira.aid.tests.factories import BudgetFactory, FundingSourceFactory
from mira.participants.tests.factories import ParticipantFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture
def participant(centre, counsellor):
    return ParticipantFactory(
        centre=centre, assigned_counsellor=counsellor, case_number="EF-2026-0042", first_name="Nino",
        last_name="Kapanadze",
    )  # fmt: skip


@pytest.fixture
def budgets(centre, coordinator):
    amif = FundingSourceFactory(code="amif", name="AMIF")
    land = FundingSourceFactory(code="land-thueringen", name="Land Thüringen")
    BudgetFactory(funding_source=amif, centre=centre, amount=Decimal("60000.00"), updated_by=coordinator)
    BudgetFactory(funding_source=land, centre=centre, amount=Decimal("25000.00"), updated_by=coordinator)
    return amif, land


def switch_user(page, login_as, username):
    page.context.clear_cookies()
    login_as(page, username)


def fill_item(page, number, category, description, amount, supplier):
    item = page.locator("fieldset.aid-item").nth(number)
    item.get_by_label("Kategorie").select_option(label=category)
    item.get_by_label("Beschreibung").fill(description)
    item.get_by_label("Betrag (EUR)").fill(amount)
    item.get_by_label("Lieferant").fill(supplier)


def test_request_approve_pay_receipt_and_cap(
    page, login_as, screenshot, tmp_path, participant, counsellor, coordinator, finance, budgets
):
    # The counsellor asks for 400 EUR of tools.
    login_as(page, "beratung")
    page.goto(f"/cases/{participant.pk}/aid/")
    page.get_by_role("link", name="Neuer Antrag auf Hilfe").first.click()
    expect(page.locator("[data-aid-remaining]")).to_have_text("1.000,00\u00a0€")
    fill_item(page, 0, "Werkzeug und Ausstattung", "Bohrmaschine und Werkzeugkoffer", "250", "Baumarkt Erfurt")
    page.get_by_role("button", name="Weitere Position hinzufügen").click()
    expect(page.locator("fieldset.aid-item")).to_have_count(2)
    expect(page.locator("fieldset.aid-item").first.get_by_label("Beschreibung")).to_have_value(
        "Bohrmaschine und Werkzeugkoffer"
    )
    fill_item(page, 1, "Werkzeug und Ausstattung", "Kreissäge", "150,00", "Baumarkt Erfurt")
    page.get_by_label("Begründung").fill("Eröffnung einer kleinen Tischlerei in Kutaissi (Ziel 2 des Fahrplans).")
    expect(page.locator("[data-aid-total]")).to_have_text("400,00\u00a0€")
    screenshot(page, "aid-request-form")
    page.get_by_role("button", name="Speichern und zur Bewilligung einreichen").click()
    expect(page.get_by_text("wurde zur Bewilligung eingereicht")).to_be_visible()
    expect(page.locator(".mira-page-header .aid-status")).to_have_text("Eingereicht")
    request = AidRequest.objects.get()

    # The coordinator approves it, booked on AMIF.
    switch_user(page, login_as, "leitung")
    page.get_by_role("link", name="MIRA-Hilfe").first.click()
    page.get_by_role("link", name="Bewilligungen").click()
    screenshot(page, "aid-approval-queue")
    page.get_by_role("link", name="Entscheiden").click()
    page.get_by_label("Buchen auf Förderquelle").select_option(label="AMIF")
    screenshot(page, "aid-approve")
    page.get_by_role("button", name="Bewilligen").click()
    expect(page.locator(".mira-page-header .aid-status")).to_have_text("Bewilligt")

    # Finance records the payment and uploads the receipt.
    switch_user(page, login_as, "verwaltung")
    page.goto("/aid/payments/")
    screenshot(page, "aid-open-payments")
    page.get_by_role("link", name="Zahlung erfassen").click()
    page.get_by_label("Buchungsnummer").fill("BU-2026-0815")
    page.get_by_role("button", name="Zahlung erfassen").click()
    expect(page.locator(".mira-page-header .aid-status")).to_have_text("Bezahlt")
    page.get_by_role("link", name="Nachweis hinzufügen").click()
    receipt = tmp_path / "quittung.pdf"
    receipt.write_bytes(PDF)
    page.get_by_label("Belegnummer").fill("RE-2026-117")
    page.get_by_label("Datei (PDF, JPEG oder PNG)").set_input_files(str(receipt))
    screenshot(page, "aid-proof")
    page.get_by_role("button", name="Hochladen").click()
    expect(page.get_by_text(f"Der Nachweis wurde zu {request.number} hinzugefügt.")).to_be_visible()
    expect(page.get_by_role("link", name="Quittung oder Rechnung: RE-2026-117")).to_be_visible()
    screenshot(page, "aid-request-detail")
    page.goto("/aid/budgets/")
    screenshot(page, "aid-budgets")
    request.refresh_from_db()
    assert (request.status, request.payment_reference, request.paid_by) == (AidStatus.PAID, "BU-2026-0815", finance)

    # A second request of 700 EUR does not fit: 600 EUR remain.
    switch_user(page, login_as, "beratung")
    page.goto(f"/cases/{participant.pk}/aid/new/")
    expect(page.locator("[data-aid-remaining]")).to_have_text("600,00\u00a0€")
    fill_item(page, 0, "Warenbestand für ein Gewerbe", "Holzvorrat", "700", "Holzhandel Gotha")
    page.get_by_label("Begründung").fill("Material für die ersten Aufträge.")
    expect(page.locator(".aid-remaining.alert-danger")).to_be_visible()
    page.get_by_role("button", name="Speichern und zur Bewilligung einreichen").click()
    expect(page.locator("#aid-form-errors")).to_contain_text("600,00\u00a0€ verbleiben")
    expect(page.locator("fieldset.aid-item").first.get_by_label("Betrag (EUR)")).to_have_value("700")
    screenshot(page, "aid-over-cap")
    assert AidRequest.objects.count() == 1


def test_finance_lists_and_export_page_look_right(page, login_as, screenshot, participant, coordinator, finance,
                                                  budgets):  # fmt: skip
    from mira.aid.tests.factories import advance, make_request

    amif, _land = budgets
    advance(make_request(participant, amounts=["320.00"], submit=True), AidStatus.PAID, coordinator=coordinator,
            finance=finance, source=amif)  # fmt: skip
    login_as(page, "verwaltung")
    page.goto("/aid/missing-proofs/")
    expect(page.get_by_role("link", name="Nachweis hinzufügen")).to_be_visible()
    screenshot(page, "aid-missing-proofs")
    page.goto("/aid/export/")
    screenshot(page, "aid-export")
    with page.expect_download() as download:
        page.get_by_role("button", name="XLSX herunterladen").click()
    assert download.value.suggested_filename.startswith("mira-hilfe-alle-")
