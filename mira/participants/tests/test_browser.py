import datetime
import re

import pytest
from playwright.sync_api import expect

from mira.participants.models import Participant, Stage
from mira.participants.names import name_keys
from mira.participants.services import participant_update
from mira.participants.tests.factories import HouseholdMemberFactory, ParticipantFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def label(text):
    """A field label, with or without the asterisk of required fields."""
    return re.compile(rf"^{re.escape(text)}( \*)?$")


def fill_person(page, first_name, last_name, postcode):
    page.get_by_label(label("Vorname")).fill(first_name)
    page.get_by_label(label("Nachname")).fill(last_name)
    page.get_by_label("Vorname in Originalschrift").fill("محمد")
    page.get_by_label("Geburtsdatum").fill("1990-03-01")
    page.get_by_label("Geschlecht").select_option("male")
    page.get_by_label("Staatsangehörigkeiten").select_option(["IQ"])
    page.get_by_label("Arabisch").check()
    page.get_by_label("braucht Dolmetschung").check()
    page.get_by_label("Sprache der Dolmetschung").select_option("ar")
    page.get_by_label("Postleitzahl").fill(postcode)
    page.get_by_label("Aufenthaltsstatus").select_option("duldung")
    page.get_by_label(label("Rückkehrland")).select_option("IQ")
    page.get_by_label("Nachweis der Teilnahmeberechtigung").select_option("passport")


def test_counsellor_registers_a_family_finds_it_and_moves_it_on(page, login_as, counsellor, coordinator, screenshot):
    login_as(page, "beratung")
    page.goto("/cases/")
    page.get_by_role("link", name="Neue Aufnahme").click()
    expect(page.get_by_role("heading", name="Neue Aufnahme")).to_be_visible()
    screenshot(page, "participants-intake-empty")
    # Taking a screenshot leaves empty style attributes behind, which an htmx swap would copy (a CSP report).
    page.reload()

    fill_person(page, "Mohammed", "Al-Hassan", "99086")
    # The postcode fills in the place and the district and confirms Thuringia (htmx).
    expect(page.get_by_text("99086 liegt in Thüringen")).to_be_visible()
    expect(page.get_by_label(label("Ort"))).to_have_value("Erfurt")
    expect(page.get_by_label("Landkreis / kreisfreie Stadt")).to_have_value("Erfurt")
    page.get_by_role("button", name="Haushaltsmitglied hinzufügen").click()
    row = page.locator("[data-formset-row]").first
    row.get_by_label("Vorname").fill("Zainab")
    row.get_by_label("Nachname").fill("Al-Hassan")
    row.get_by_label("Geburtsdatum").fill("2018-05-10")
    row.get_by_label("Verwandtschaft").select_option("child")
    # A row added and removed again is not saved.
    page.get_by_role("button", name="Haushaltsmitglied hinzufügen").click()
    page.locator("[data-formset-row]").nth(1).get_by_role("button", name="Zeile entfernen").click()
    page.get_by_role("button", name="Berechtigung prüfen und aufnehmen").click()

    expect(page.get_by_role("heading", name=re.compile("Mohammed Al-Hassan"))).to_be_visible()
    first = Participant.objects.get()
    expect(page.locator(".mira-case-number").first).to_have_text(first.case_number)
    assert [(m.first_name, m.relationship) for m in first.household_members.all()] == [("Zainab", "child")]

    # A second intake of a similar name with the same date of birth: first a wrong postcode, then the warning.
    page.goto("/cases/new/")
    fill_person(page, "Muhammad", "Hassan", "04109")
    expect(page.get_by_text("04109 ist keine Postleitzahl in Thüringen")).to_be_visible()
    page.get_by_role("button", name="Berechtigung prüfen und aufnehmen").click()
    expect(page.get_by_role("heading", name="Diese Person kann nicht in MIRA aufgenommen werden")).to_be_visible()
    expect(page.get_by_label(label("Vorname"))).to_have_value("Muhammad")
    screenshot(page, "participants-intake-errors")
    page.goto("/cases/new/")
    fill_person(page, "Muhammad", "Hassan", "99086")
    expect(page.get_by_label("Landkreis / kreisfreie Stadt")).to_have_value("Erfurt")
    page.get_by_role("button", name="Berechtigung prüfen und aufnehmen").click()
    expect(page.get_by_role("heading", name="Möglicherweise schon erfasst")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(first.case_number))).to_be_visible()
    screenshot(page, "participants-intake-duplicate")
    assert Participant.objects.count() == 1

    # The list finds the first case by another spelling, live while typing.
    page.goto("/cases/")
    page.get_by_label("Suche", exact=True).fill("Muhamad Hasan")
    expect(page).to_have_url(re.compile(r"q=Muhamad"))
    expect(page.locator("#case-results tbody tr")).to_have_count(1)
    expect(page.locator("#case-results")).to_contain_text(first.case_number)
    screenshot(page, "participants-list-search")
    page.locator("#case-results").get_by_role("link", name=first.case_number).click()

    expect(page.get_by_role("heading", name="Stufenplan")).to_be_visible()
    screenshot(page, "participants-case")
    page.get_by_role("button", name="Beratung").click()
    expect(page.get_by_text("Die Fallakte ist jetzt in der Stufe „Beratung“.")).to_be_visible()
    expect(page.locator(".mira-stages li.current")).to_have_text("Beratung")
    first.refresh_from_db()
    assert first.stage == Stage.COUNSELLING

    # Editing while a colleague saves the same case: nothing is overwritten.
    page.get_by_role("link", name="Stammdaten bearbeiten").click()
    page.get_by_label("Telefon").fill("+49 151 2222222")
    other = Participant.objects.get(pk=first.pk)
    other.phone = "+49 361 7777777"
    participant_update(participant=other, version=other.version, changed_fields=["phone"], actor=coordinator)
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Diese Fallakte wurde inzwischen von Jonas Richter geändert")).to_be_visible()
    expect(page.get_by_label("Telefon")).to_have_value("+49 151 2222222")
    screenshot(page, "participants-edit-conflict")
    first.refresh_from_db()
    assert first.phone == "+49 361 7777777"


def test_case_list_and_case_page_of_a_busy_centre(page, login_as, counsellor, coordinator, centre, screenshot):
    people = [("Giorgi", "Beridze", "GE", ""), ("Rania", "Haddad", "SY", "رانيا حداد"), ("Ion", "Rusu", "MD", ""),
              ("Zahra", "Ahmadi", "AF", "زهرا احمدی"), ("Aleksandr", "Ivanov", "RU", "Александр Иванов")]  # fmt: skip
    stages = [Stage.FIRST_CONTACT, Stage.COUNSELLING, Stage.ROADMAP_DEVELOPMENT, Stage.GOALS_AGREED, Stage.DEPARTED]
    for number in range(1, 31):
        first_name, last_name, country, original = people[number % 5]
        first_original, _, last_original = original.partition(" ")
        participant = ParticipantFactory(
            centre=centre, case_number=f"EF-2026-{number:04d}", first_name=first_name, last_name=last_name,
            first_name_original=first_original, last_name_original=last_original, nationalities=country,
            return_country=country, stage=stages[number % 5],
            assigned_counsellor=counsellor if number % 3 else coordinator,
            opened_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=number * 9),
            last_contact_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=number * 10),
            name_keys=name_keys(first_name, last_name, first_original, last_original),
        )  # fmt: skip
        if number % 2:
            HouseholdMemberFactory(participant=participant, first_name="Nino", last_name=last_name)
    login_as(page, "beratung")
    page.goto("/cases/")
    expect(page.locator("#case-results tbody tr")).to_have_count(25)
    screenshot(page, "participants-list")
    page.reload()  # see above: no htmx swap right after a screenshot
    page.get_by_label("Stufe").select_option("counselling")
    expect(page.locator("#case-results tbody tr")).to_have_count(6)
    page.get_by_role("link", name="EF-2026-0006").click()
    expect(page.get_by_role("heading", name=re.compile("Rania Haddad"))).to_be_visible()
    page.get_by_text("Ausgestiegen …").click()
    page.get_by_role("button", name="Zu „Ausgestiegen“ wechseln").click()
    expect(page.locator("#id_reason_error")).to_have_text(
        "Geben Sie an, warum die teilnehmende Person ausgestiegen ist."
    )
    expect(page.get_by_role("alert")).to_contain_text("Die Stufe wurde nicht geändert.")
    screenshot(page, "participants-stage-error")


def test_counsellor_of_another_centre_gets_not_found_for_a_case(page, login_as, centre, counsellor,
                                                               counsellor_other_centre):  # fmt: skip
    participant = ParticipantFactory(centre=centre, assigned_counsellor=counsellor)
    login_as(page, "beratung2")
    response = page.goto(f"/cases/{participant.pk}/")
    assert response.status == 404
    expect(page.get_by_text(participant.last_name)).to_have_count(0)


def test_nationalities_are_chosen_by_filtering_and_clicking(page, login_as, counsellor):
    login_as(page, "beratung")
    page.goto("/cases/new/")
    select = page.get_by_label("Staatsangehörigkeiten")
    page.get_by_placeholder("Länder filtern").fill("syr")
    expect(select.locator("option:not([hidden])")).to_have_count(1)
    select.locator("option[value=SY]").click()
    page.get_by_placeholder("Länder filtern").fill("")
    select.locator("option[value=TR]").click()
    expect(page.get_by_text("Ausgewählt: Syrien, Türkei")).to_be_visible()
    select.locator("option[value=TR]").click()
    expect(page.get_by_text("Ausgewählt: Syrien", exact=True)).to_be_visible()
    assert select.evaluate("s => Array.from(s.selectedOptions).map(o => o.value)") == ["SY"]


def test_case_page_loads_its_lower_cards_and_scrolls_to_the_card_in_the_address(
    page, login_as, counsellor, centre, screenshot
):
    from mira.participants.events import case_event_log

    participant = ParticipantFactory(centre=centre, assigned_counsellor=counsellor, first_name="Nino",
                                     last_name="Kapanadze", return_country="GE")  # fmt: skip
    HouseholdMemberFactory.create_batch(3, participant=participant, last_name="Kapanadze")
    for _ in range(12):
        case_event_log(participant=participant, kind="case_updated", actor=counsellor, fields=["phone"])
    login_as(page, "beratung")
    page.set_viewport_size({"width": 800, "height": 600})  # one column: the timeline comes last
    page.goto(f"/cases/{participant.pk}/#timeline")
    timeline = page.locator("#timeline")
    expect(timeline.get_by_role("heading", name="Verlauf")).to_be_visible()
    expect(page.locator("#documents")).to_be_visible()
    expect(page.locator("[aria-busy=true]")).to_have_count(0)
    expect(timeline).to_be_in_viewport()
    page.goto(f"/cases/{participant.pk}/")
    expect(page.locator("#consents")).to_be_visible()
    screenshot(page, "participants-case-page")


def test_case_page_says_so_when_its_lower_cards_cannot_be_loaded(page, login_as, counsellor, centre):
    participant = ParticipantFactory(centre=centre, assigned_counsellor=counsellor)
    login_as(page, "beratung")
    page.route("**/more/**", lambda route: route.fulfill(status=500, body="Serverfehler"))
    page.goto(f"/cases/{participant.pk}/")
    expect(page.get_by_role("alert")).to_contain_text("Der Rest der Fallakte konnte nicht geladen werden.")
    expect(page.get_by_text("Verlauf wird geladen")).to_be_hidden()
    page.get_by_role("link", name="Den Rest der Fallakte anzeigen").click()
    expect(page.locator("#timeline")).to_be_visible()
    expect(page.locator("#documents")).to_be_visible()
