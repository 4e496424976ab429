import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mira.network.tests.factories import OfferFactory
from mira.participants.models import Stage
from mira.participants.tests.factories import ParticipantFactory
from mira.roadmap.models import GoalOwner, GoalStatus, Phase
from mira.roadmap.tests.factories import (
    AgreedVersionFactory,
    GoalFactory,
    RoadmapFactory,
    sharing_consents,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _in_days(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def _add_goal(page, screenshot, phase_label, title, measure, owner, due, organisation=None):
    page.get_by_role("link", name=f"Ziel hinzufügen: {phase_label}").click()
    form = page.locator(".mira-goal-editing form")
    form.locator("#id_title").fill(title)
    form.locator("#id_measure").fill(measure)
    form.locator("#id_owner").select_option(owner)
    if organisation:
        form.locator("#id_owner_organisation").select_option(label=organisation)
    form.locator("#id_due_on").fill(due)
    if organisation:
        screenshot(page, "roadmap-goal-form")
    form.get_by_role("button", name="Ziel speichern").click()
    page.locator("#roadmap-goals").get_by_text(title, exact=True).wait_for()


def _sign(page, canvas):
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + box["height"] * 0.6)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 20 + step * 18, box["y"] + box["height"] * (0.6 - 0.25 * (step % 2)))
    page.mouse.up()


def _log_in_again(page, login_as, username):
    page.context.clear_cookies()
    login_as(page, username)


def test_roadmap_is_built_agreed_shared_and_updated_by_the_partner(
    page, login_as, screenshot, counsellor, partner, georgian_partner, centre
):
    participant = ParticipantFactory(
        centre=centre,
        assigned_counsellor=counsellor,
        case_number="EF-2026-0310",
        first_name="Levan",
        last_name="Gelashvili",
        stage=Stage.COUNSELLING,
        return_region="Imereti",
        preferred_language="ru",
    )
    sharing_consents(participant)
    OfferFactory(organisation=georgian_partner, title="Gründungsberatung Kfz-Werkstatt", country="GE", region="Imereti")

    login_as(page, "beratung")
    page.goto(f"/cases/{participant.pk}/roadmap/")
    screenshot(page, "roadmap-start")
    page.get_by_role("button", name="Fahrplan beginnen").click()

    content = page.locator("#roadmap-content")
    content.locator("#id_destination_city").fill("Kutaisi")
    content.locator("#id_professional_wishes").fill("Eigene Kfz-Werkstatt in Kutaisi eröffnen")
    content.locator("#id_qualifications").fill("Zehn Jahre Erfahrung als Kfz-Mechaniker")
    content.get_by_label("Handwerk").check()
    content.get_by_role("button", name="Speichern").click()
    content.get_by_text("Gespeichert").wait_for()

    # A goal without owner and due date: the messages stand next to the fields, the text stays.
    page.get_by_role("link", name="Ziel hinzufügen: Reise").click()
    page.locator(".mira-goal-editing #id_title").fill("Flug buchen")
    page.get_by_role("button", name="Ziel speichern").click()
    page.get_by_text("Wählen Sie, wer für dieses Ziel verantwortlich ist.").wait_for()
    assert page.locator(".mira-goal-editing #id_title").input_value() == "Flug buchen"
    screenshot(page, "roadmap-goal-errors")
    page.locator(".mira-goal-editing").get_by_role("link", name="Abbrechen").click()
    page.locator(".mira-goal-editing").wait_for(state="detached")

    _add_goal(
        page, screenshot, "Vor der Ausreise", "Reisepass beantragen", "Pass liegt vor", "participant", _in_days(20)
    )
    _add_goal(
        page, screenshot, "Erste 3 Monate", "Gewerbe anmelden", "Registrierung liegt vor", "counsellor", _in_days(90)
    )
    _add_goal(
        page,
        screenshot,
        "Monate 4 bis 12",
        "Werkstatt mit zwei Hebebühnen eröffnen",
        "Werkstatt ist geöffnet",
        "partner",
        _in_days(200),
        organisation="Tbilisi Reintegration Centre",
    )
    page.locator("#roadmap-offers").get_by_role("button", name="Hinzufügen: Gründungsberatung Kfz-Werkstatt").click()
    page.locator("#roadmap-offers").get_by_text("„Gründungsberatung Kfz-Werkstatt“ wurde hinzugefügt.").wait_for()
    screenshot(page, "roadmap-editor")

    page.get_by_role("link", name="Vereinbaren und unterschreiben").click()
    page.get_by_label("Auf dem Tablet unterschrieben").check()
    _sign(page, page.locator("canvas[data-signature-for='id_participant_signature']"))
    _sign(page, page.locator("canvas[data-signature-for='id_counsellor_signature']"))
    page.get_by_label("Die teilnehmende Person hat den Fahrplan unterschrieben.").check()
    page.get_by_label("Ich habe den Fahrplan als Berater:in unterschrieben.").check()
    screenshot(page, "roadmap-agree")
    page.get_by_role("button", name="Version 1 vereinbaren").click()
    page.get_by_text("Version 1 des Fahrplans ist vereinbart.").wait_for()

    page.get_by_role("link", name="Teilen", exact=True).click()
    page.get_by_label("Partnerorganisation (Partnerportal)").check()
    page.locator("#id_organisation").select_option(label="Tbilisi Reintegration Centre")
    page.locator("#id_purpose").fill("Coaching nach der Rückkehr")
    page.locator("form").get_by_role("button", name="Teilen").click()
    page.get_by_text("Version 1 des Fahrplans wurde mit Tbilisi Reintegration Centre geteilt.").wait_for()
    screenshot(page, "roadmap-share")

    _log_in_again(page, login_as, "partner")
    rows = page.locator("table tbody tr")
    assert rows.count() == 1
    assert "EF-2026-0310" in rows.first.inner_text()
    screenshot(page, "portal-home")
    page.get_by_role("link", name="EF-2026-0310").click()
    page.get_by_role("link", name="Status aktualisieren").wait_for()
    expect(page.get_by_text("Gelashvili")).to_have_count(0)
    screenshot(page, "portal-roadmap")
    page.get_by_role("link", name="Status aktualisieren").click()
    page.locator("#id_status").select_option(GoalStatus.REACHED)
    page.locator("#id_comment").fill("Werkstatt hat am Montag eröffnet")
    screenshot(page, "portal-goal-status")
    page.get_by_role("button", name="Fortschritt speichern").click()
    page.get_by_text("Der Fortschritt von „Werkstatt mit zwei Hebebühnen eröffnen“ wurde gespeichert.").wait_for()

    _log_in_again(page, login_as, "beratung")
    expected = (
        "Ziel „Werkstatt mit zwei Hebebühnen eröffnen“: Offen → Erreicht (Tbilisi Reintegration Centre): "
        "Werkstatt hat am Montag eröffnet"
    )
    page.goto(f"/cases/{participant.pk}/")
    page.locator("#timeline").get_by_text(expected).wait_for()
    page.goto(f"/cases/{participant.pk}/roadmap/")
    page.locator("#history-heading + .mira-timeline").get_by_text(expected).wait_for()
    screenshot(page, "roadmap-agreed")


def test_new_draft_is_compared_with_the_agreed_version(page, login_as, screenshot, counsellor, centre):
    participant = ParticipantFactory(
        centre=centre, assigned_counsellor=counsellor, stage=Stage.GOALS_AGREED, case_number="EF-2026-0311"
    )
    version = AgreedVersionFactory(
        roadmap=RoadmapFactory(participant=participant), professional_wishes="Als Koch in Batumi arbeiten"
    )
    GoalFactory(version=version, title="Sprachkurs abschließen", phase=Phase.BEFORE_DEPARTURE)
    GoalFactory(version=version, title="Stelle im Hotel finden", phase=Phase.FIRST_MONTHS, owner=GoalOwner.PARTICIPANT)

    login_as(page, "beratung")
    page.goto(f"/cases/{participant.pk}/roadmap/")
    page.get_by_role("button", name="Ändern (neuer Entwurf)").click()
    content = page.locator("#roadmap-content")
    content.locator("#id_professional_wishes").fill("Als Küchenchef in Batumi arbeiten")
    content.get_by_role("button", name="Speichern").click()
    content.get_by_text("Gespeichert").wait_for()
    page.locator("#roadmap-goals li", has_text="Stelle im Hotel finden").get_by_role(
        "link", name=re.compile("^Bearbeiten")
    ).click()
    page.locator(".mira-goal-editing #id_title").fill("Stelle im Hotel oder Restaurant finden")
    page.get_by_role("button", name="Ziel speichern").click()
    page.locator("#roadmap-goals").get_by_text("Stelle im Hotel oder Restaurant finden", exact=True).wait_for()

    page.get_by_role("link", name="Versionen vergleichen").click()
    expect(page.locator("ins.mira-diff-ins").first).to_have_text("Küchenchef")
    expect(page.locator("del.mira-diff-del").first).to_have_text("Koch")
    screenshot(page, "roadmap-compare")


def test_start_page_shows_ten_due_goals_and_leads_to_all_of_them(page, login_as, counsellor, centre, screenshot):
    names = [("Giorgi", "Beridze"), ("Ali", "Hassan"), ("Mariam", "Ahmadi"), ("Ion", "Rusu"), ("Anahit", "Petrosyan"),
             ("Thi Lan", "Nguyen")]  # fmt: skip
    titles = ["Arbeitserlaubnis beantragen", "Werkzeug kaufen", "Gewerbe anmelden", "Sprachkurs abschließen"]
    for number in range(12):
        first, last = names[number % len(names)]
        participant = ParticipantFactory(centre=centre, assigned_counsellor=counsellor, first_name=first,
                                         last_name=last, case_number=f"EF-2026-{number + 1:04d}")  # fmt: skip
        version = AgreedVersionFactory(roadmap=RoadmapFactory(participant=participant))
        GoalFactory(version=version, title=titles[number % len(titles)],
                    due_on=timezone.localdate() + datetime.timedelta(days=number - 4))  # fmt: skip
    login_as(page, "beratung")
    card = page.locator(".mira-my-goals")
    expect(card.locator("li")).to_have_count(10)
    card.get_by_role("link", name="Alle 12 fälligen Ziele").click()
    expect(page.get_by_role("heading", name="Fällige Ziele")).to_be_visible()
    rows = page.locator(".mira-due-goals tbody tr")
    expect(rows).to_have_count(12)
    expect(page.locator(".mira-due-goals tbody tr.mira-deadline-missed")).to_have_count(4)
    screenshot(page, "roadmap-goals-due")
    rows.first.get_by_role("link", name="Arbeitserlaubnis beantragen").click()
    expect(page).to_have_url(re.compile(r"/roadmap/versions/1/#goal-\d+$"))
    goal_id = page.url.rsplit("#", 1)[1]
    expect(page.locator(f"#{goal_id}")).to_contain_text("Arbeitserlaubnis beantragen")
