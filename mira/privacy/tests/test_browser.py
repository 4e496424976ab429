"""The data protection officer's retention and request work in a real browser: a due case is put
on legal hold and released, a run is started, an erasure request is recorded and carried out,
and the protocol shows what happened."""

import datetime
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from mira.participants.models import Stage
from mira.participants.tests.factories import HouseholdMemberFactory, ParticipantFactory
from mira.privacy.models import DeletionRun
from mira.privacy.selectors import years_before
from mira.privacy.services import deletion_run_execute
from mira.privacy.tests.factories import DeletionRunFactory, close_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _closed(centre, counsellor, number, closed_on, **kwargs):
    participant = ParticipantFactory(centre=centre, assigned_counsellor=counsellor, case_number=number, **kwargs)
    return close_case(participant, closed_on=closed_on)


def test_retention_flow_hold_run_and_protocol(page, live_server, login_as, screenshot, centre, counsellor,
                                              data_protection):  # fmt: skip
    long_ago = years_before(timezone.localdate(), 3) - datetime.timedelta(days=40)
    _closed(centre, counsellor, "EF-2022-0014", long_ago)
    _closed(centre, counsellor, "EF-2022-0031", long_ago + datetime.timedelta(days=10))
    DeletionRunFactory(
        centre=centre, queued_at=timezone.now() - datetime.timedelta(days=1), erased_cases=["EF-2021-0002"]
    )

    login_as(page, "datenschutz")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Datenschutz").click()
    page.get_by_role("link", name="Aufbewahrung").click()
    expect(page.get_by_role("heading", name="Zur Löschung fällig")).to_be_visible()
    due = page.locator("section", has=page.get_by_role("heading", name="Zur Löschung fällig"))
    expect(due.locator("tbody tr")).to_have_count(2)
    screenshot(page, "privacy-retention")

    # Put the first case on hold: the case number comes along, a reason is required.
    due.get_by_role("link", name="Sperren EF-2022-0014").click()
    expect(page.get_by_label("Fallnummer")).to_have_value("EF-2022-0014")
    page.get_by_role("button", name="Löschsperre setzen").click()
    expect(page.get_by_text("Dieses Feld ist zwingend erforderlich.")).to_be_visible()
    expect(page.get_by_label("Fallnummer")).to_have_value("EF-2022-0014")
    page.get_by_label("Grund").fill("Klage vor dem Verwaltungsgericht Weimar, Az. 2 K 418/25 We")
    page.get_by_role("button", name="Löschsperre setzen").click()
    expect(page.get_by_text("Fall EF-2022-0014 steht unter Löschsperre")).to_be_visible()
    expect(due.locator("tbody tr")).to_have_count(1)
    holds = page.locator("section", has=page.get_by_role("heading", name="Unter Löschsperre"))
    expect(holds.get_by_text("Aufbewahrungsfrist abgelaufen")).to_be_visible()

    page.get_by_role("button", name="Jetzt ausführen").click()
    expect(page.get_by_text("Der Löschlauf ist eingereiht")).to_be_visible()
    expect(page.get_by_role("status").get_by_text("Wartet auf Ausführung")).to_be_visible()
    screenshot(page, "privacy-retention-hold-and-queued")

    # The worker runs it (here directly); the protocol lists the erased case.
    deletion_run_execute(run=DeletionRun.objects.get(status="queued"))
    page.get_by_role("link", name="Löschläufe").click()
    expect(page.locator("tbody tr")).to_have_count(2)
    screenshot(page, "privacy-runs")
    page.locator("tbody tr").first.get_by_role("link").click()
    expect(page.get_by_role("heading", name="Protokoll des Löschlaufs")).to_be_visible()
    expect(page.get_by_text("EF-2022-0031")).to_be_visible()
    expect(page.get_by_role("cell", name="Teilnehmende")).to_be_visible()
    screenshot(page, "privacy-run-detail")

    # Lifting the hold needs a reason too.
    page.goto("/privacy/retention/")
    page.get_by_role("link", name="Aufheben EF-2022-0014").click()
    page.get_by_label("Warum endet die Sperre?").fill("Verfahren rechtskräftig abgeschlossen")
    page.get_by_role("button", name="Sperre aufheben").click()
    expect(page.get_by_text("Die Löschsperre für Fall EF-2022-0014 ist aufgehoben.")).to_be_visible()
    expect(page.get_by_text("Kein Fall steht unter Löschsperre.")).to_be_visible()


def test_request_flow_record_export_and_erase(page, live_server, login_as, screenshot, centre, counsellor,
                                              data_protection):  # fmt: skip
    participant = ParticipantFactory(
        centre=centre,
        assigned_counsellor=counsellor,
        case_number="EF-2025-0107",
        first_name="Mariam",
        last_name="Sargsyan",
        preferred_language="ru",
    )
    HouseholdMemberFactory(participant=participant, first_name="Anush", last_name="Sargsyan")
    close_case(participant, closed_on=timezone.localdate() - datetime.timedelta(days=12), stage=Stage.WITHDRAWN)

    login_as(page, "datenschutz")
    page.goto("/privacy/requests/")
    page.get_by_role("link", name="Anfrage erfassen").click()
    page.get_by_label("Fallnummer").fill("EF-2025-0999")
    page.get_by_label("Löschung (Art. 17)").check()
    page.get_by_label("Bemerkungen").fill("Schriftlich per Brief, Ausweis im Büro geprüft.")
    page.get_by_role("button", name="Anfrage erfassen").click()
    expect(page.get_by_text("In Ihrer Beratungsstelle gibt es keinen Fall mit dieser Nummer.")).to_be_visible()
    expect(page.get_by_label("Löschung (Art. 17)")).to_be_checked()
    screenshot(page, "privacy-request-form-error")
    page.get_by_label("Fallnummer").fill("EF-2025-0107")
    page.get_by_role("button", name="Anfrage erfassen").click()
    expect(page.get_by_text("Die Anfrage ist erfasst.")).to_be_visible()

    # The copy of the data before the erasure, in the person's language: the worker makes the PDF
    # while the page waits for it, then it is downloaded once.
    page.get_by_role("button", name="PDF auf Russisch erstellen").click()
    expect(page.get_by_text("Das PDF wird erstellt.")).to_be_visible()
    exports = page.locator("#request-exports")
    expect(exports.get_by_text("Wartet auf den Hintergrunddienst")).to_be_visible()
    screenshot(page, "privacy-request-export-waiting")
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    download_button = exports.get_by_role("button", name=re.compile(r"^Herunterladen \(\d+[,.]?\d* KB\)$"))
    expect(download_button).to_be_visible(timeout=10_000)
    screenshot(page, "privacy-request-detail")
    with page.expect_download() as download:
        download_button.click()
    assert download.value.suggested_filename == "MIRA-EF-2025-0107-Auskunft-ru.pdf"
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    # The list follows: the file is gone from MIRA, the page says who fetched it.
    expect(exports.get_by_text("Heruntergeladen am")).to_be_visible(timeout=10_000)
    expect(download_button).to_have_count(0)
    screenshot(page, "privacy-request-export-fetched")

    page.get_by_role("link", name="Fall löschen …").click()
    expect(page.get_by_role("heading", name="Fall löschen")).to_be_visible()
    screenshot(page, "privacy-request-erase")
    page.get_by_role("button", name="Fall EF-2025-0107 jetzt löschen").click()
    expect(page.get_by_text("Die personenbezogenen Daten des Falls EF-2025-0107 sind gelöscht.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/privacy/retention/runs/\d+/$"))
    expect(page.get_by_text("Löschung auf Antrag")).to_be_visible()

    page.get_by_role("link", name="Löschung (Art. 17)").click()
    expect(page.get_by_text("Personenbezogene Daten gelöscht.")).to_be_visible()
    expect(page.get_by_text("personenbezogene Daten gelöscht", exact=True)).to_be_visible()
    participant.refresh_from_db()
    assert (participant.first_name, participant.last_name, participant.household_members.count()) == (
        "",
        "Anonymisiert",
        0,
    )


def test_change_history_loads_the_fields_of_a_long_entry_when_it_is_opened(page, live_server, login_as, screenshot,
                                                                           centre, counsellor, data_protection):  # fmt: skip
    participant = ParticipantFactory(centre=centre, assigned_counsellor=counsellor, case_number="EF-2026-0031",
                                     first_name="Giorgi", last_name="Beridze", city="Erfurt")  # fmt: skip
    participant.city = "Weimar"
    participant._history_user = counsellor
    participant.save()
    login_as(page, "datenschutz")
    page.goto("/privacy/audit/")
    change, creation = page.locator(".mira-audit-entry").all()
    # A change shows its fields at once; the creation lists every field and shows them when opened.
    expect(change.locator(".mira-diff")).to_contain_text("Weimar")
    expect(creation.locator(".mira-diff")).to_have_count(0)
    creation.locator("summary").click()
    expect(creation.locator(".mira-diff")).to_contain_text("Erfurt")
    expect(creation.locator("[aria-busy]")).to_have_count(0)
    screenshot(page, "privacy-audit")
    # Without the part, the entry says so and links to a page of its own.
    page.route("**/privacy/audit/participant/**", lambda route: route.fulfill(status=500, body="Serverfehler"))
    page.reload()
    creation = page.locator(".mira-audit-entry").nth(1)
    creation.locator("summary").click()
    expect(creation.get_by_role("alert")).to_contain_text("Die Felder konnten nicht geladen werden.")
    page.unroute("**/privacy/audit/participant/**")
    creation.get_by_role("link", name="Den Eintrag auf eigener Seite öffnen").click()
    expect(page.locator(".mira-diff")).to_contain_text("Beridze")
    screenshot(page, "privacy-audit-entry")
