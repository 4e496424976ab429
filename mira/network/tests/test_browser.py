import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import Workbook
from playwright.sync_api import expect

from mira.network.models import Referral, ReferralStatus
from mira.network.tests.factories import OfferFactory, OrganisationFactory, ReferralFactory, partner_sharing_consent
from mira.participants.tests.factories import ParticipantFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def participant(centre, counsellor):
    return ParticipantFactory(
        centre=centre, assigned_counsellor=counsellor, case_number="EF-2026-0042", first_name="Giorgi",
        last_name="Beridze", return_country="GE", return_region="Kutaisi",
        opened_on=timezone.localdate() - datetime.timedelta(days=40),
    )  # fmt: skip


@pytest.fixture
def georgian_network():
    hub = OrganisationFactory(
        name="Kutaisi Business Incubator", country="GE", region="Kutaisi", city="Kutaisi", coaches_after_return=True
    )
    OfferFactory(organisation=hub, title="IT-Gründungsprogramm Kutaisi", kind="business_start_up", sector="it",
                 region="Kutaisi", target_group="Rückkehrende mit IT-Kenntnissen")  # fmt: skip
    OfferFactory(organisation=hub, title="Onlineshop aufbauen", kind="business_start_up", sector="e_commerce")
    OfferFactory(organisation__name="Jobcenter Mittelthüringen", organisation__country="DE", country="DE",
                 title="Berufsbezogener Deutschkurs", kind="training", sector="other", region="")  # fmt: skip
    OfferFactory(organisation__name="Erbil Reintegration Centre", organisation__country="IQ", country="IQ",
                 title="Wohnungssuche Erbil")  # fmt: skip
    return hub


def test_refer_the_participant_to_a_georgian_partners_offer(page, login_as, screenshot, participant, georgian_network):
    partner_sharing_consent(participant)
    login_as(page, "beratung")
    page.goto(f"/cases/{participant.pk}/")
    expect(page.get_by_role("heading", name="Giorgi Beridze")).to_be_visible()

    page.goto(f"/network/cases/{participant.pk}/refer/")
    # The picker starts with the return country, offers of the return region first.
    picks = page.locator(".mira-network-pick")
    expect(picks).to_have_count(2)
    expect(picks.first).to_contain_text("IT-Gründungsprogramm Kutaisi")
    page.get_by_label("IT-Gründungsprogramm Kutaisi").check()
    page.get_by_label("Bemerkungen").fill("Interesse an Webentwicklung, Unterlagen folgen.")
    screenshot(page, "network-referral-create")
    page.get_by_role("button", name="Verweisung speichern").click()

    page.wait_for_url(f"**/cases/{participant.pk}/")
    expect(page.get_by_text("Die Verweisung wurde gespeichert.")).to_be_visible()
    expect(page.locator("#timeline")).to_contain_text(
        "Verwiesen an IT-Gründungsprogramm Kutaisi (Kutaisi Business Incubator)"
    )
    referral = Referral.objects.get()
    assert (referral.participant, referral.offer.title, referral.status, referral.notes) == (
        participant,
        "IT-Gründungsprogramm Kutaisi",
        ReferralStatus.SUGGESTED,
        "Interesse an Webentwicklung, Unterlagen folgen.",
    )


def test_refer_abroad_without_consent_shows_the_error(page, login_as, participant, georgian_network):
    login_as(page, "beratung")
    page.goto(f"/network/cases/{participant.pk}/refer/")
    expect(page.get_by_role("note")).to_contain_text("keine gültige Einwilligung")
    page.get_by_label("Onlineshop aufbauen").check()
    page.get_by_role("button", name="Verweisung speichern").click()
    expect(page.locator("#referral-errors")).to_contain_text("Einwilligung der Teilnehmenden")
    expect(page.get_by_label("Onlineshop aufbauen")).to_be_checked()
    assert Referral.objects.count() == 0


def test_case_card_shows_withdrawal_and_changes_status(page, login_as, screenshot, settings, participant):
    settings.ROOT_URLCONF = "mira.network.tests.preview_urls"
    consent = partner_sharing_consent(participant)
    abroad = ReferralFactory(
        participant=participant, offer=OfferFactory(organisation__country="GE", title="IT-Gründungsprogramm Tbilisi"),
        suggested_on=timezone.localdate() - datetime.timedelta(days=10),
    )  # fmt: skip
    ReferralFactory(participant=participant, offer__title="Berufsbezogener Deutschkurs", status=ReferralStatus.COMPLETED,
                    completed_on=timezone.localdate() - datetime.timedelta(days=3))  # fmt: skip
    consent.withdrawn_on = timezone.localdate()
    consent.save()
    login_as(page, "beratung")
    page.goto(f"/network-card-preview/{participant.pk}/")
    card = page.locator(".mira-network-case-referrals")
    expect(card.locator(".mira-network-consent-warning")).to_have_count(1)
    expect(card.locator("li", has_text="IT-Gründungsprogramm Tbilisi")).to_contain_text("Einwilligung widerrufen")
    screenshot(page, "network-case-card")

    row = card.locator("li", has_text="IT-Gründungsprogramm Tbilisi")
    row.get_by_label("Neuer Status").select_option(label="Abgelehnt")
    row.get_by_role("button", name="Status ändern").click()
    expect(page.get_by_text("Der Status der Verweisung wurde geändert.")).to_be_visible()
    expect(card.locator(".mira-network-consent-warning")).to_have_count(0)
    abroad.refresh_from_db()
    assert abroad.status == ReferralStatus.DECLINED

    page.goto("/network/referrals/")
    expect(page.locator("tbody tr")).to_have_count(2)
    screenshot(page, "network-referrals")
    page.get_by_role("link", name="IT-Gründungsprogramm Tbilisi").click()
    expect(page.get_by_role("heading", name="Verweisung: IT-Gründungsprogramm Tbilisi")).to_be_visible()
    screenshot(page, "network-referral")


def test_import_with_an_invalid_file_shows_the_report(page, login_as, screenshot, coordinator, tmp_path):
    OrganisationFactory(reference="tbilisi-hub", name="Tbilisi Hub")
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "organisations"
    sheet.append(["reference", "name", "type", "country"])
    sheet.append(["tbilisi-hub", "Tbilisi Hub (neu)", "ngo", "GE"])
    sheet.append(["erbil-centre", "Erbil Centre", "ngo", "IRQ"])
    sheet.append(["tbilisi-hub", "Tbilisi Hub", "ngo", "GE"])
    path = tmp_path / "netzwerk.xlsx"
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(buffer.getvalue())

    login_as(page, "leitung")
    page.goto("/network/import/")
    page.get_by_label("Datei (XLSX oder CSV)").set_input_files(str(path))
    page.get_by_role("button", name="Prüfen und importieren").click()
    expect(page.get_by_role("alert").first).to_contain_text("Es wurde nichts importiert")
    rows = page.locator(".mira-network-report tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(1)).to_contain_text("„IRQ“ ist kein ISO-3166-Ländercode")
    expect(rows.nth(2)).to_contain_text("Doppelte Zeile")
    screenshot(page, "network-import-report")
    from mira.network.models import Organisation

    assert list(Organisation.objects.values_list("name", flat=True)) == ["Tbilisi Hub"]


def test_directory_pages_look_right(page, login_as, screenshot, counsellor, georgian_network):
    login_as(page, "beratung")
    page.goto("/network/")
    expect(page.get_by_role("link", name="Kutaisi Business Incubator")).to_be_visible()
    screenshot(page, "network-organisations")
    page.get_by_role("link", name="Kutaisi Business Incubator").click()
    expect(page.get_by_role("heading", name="Kutaisi Business Incubator")).to_be_visible()
    screenshot(page, "network-organisation")
    page.get_by_role("link", name="Angebote", exact=True).click()
    page.get_by_label("Art").select_option(label="Existenzgründung")
    page.get_by_role("button", name="Suche").click()
    expect(page.locator("tbody tr")).to_have_count(2)
    screenshot(page, "network-offers")
    page.goto("/network/organisations/new/")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator("#id_name_error")).to_be_visible()
    screenshot(page, "network-organisation-form")
