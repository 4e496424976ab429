import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mira.accompaniment.models import (
    ApplicationStatus,
    DeadlineRule,
    OffsetUnit,
    Programme,
    RuleCondition,
    Task,
    TaskStatus,
)
from mira.accompaniment.tests.factories import (
    ChecklistTemplateFactory,
    ChecklistTemplateStepFactory,
    DeadlineRuleFactory,
    ProgrammeApplicationFactory,
    TaskFactory,
)
from mira.participants.tests.factories import ParticipantFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSPORT_STEPS = [
    ("Botschaftstermin vereinbaren", 0),
    ("Passfotos anfertigen lassen", 3),
    ("Geburtsurkunde beschaffen", 7),
    ("Passantrag bei der Botschaft stellen", 14),
    ("Pass abholen", 42),
]


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def participant(centre, counsellor):
    return ParticipantFactory(
        centre=centre, assigned_counsellor=counsellor, case_number="EF-2026-0042", first_name="Nino",
        last_name="Kapanadze", opened_on=days(-40),
    )  # fmt: skip


def test_tasks_from_the_passport_checklist_and_mark_one_done(page, login_as, screenshot, participant, counsellor):
    template = ChecklistTemplateFactory(centre=participant.centre, name="Passbeschaffung")
    for order, (title, offset) in enumerate(PASSPORT_STEPS):
        ChecklistTemplateStepFactory(template=template, title=title, offset_days=offset, order=order)
    TaskFactory(participant=participant, title="Meldebescheinigung besorgen", due_on=days(-2))
    login_as(page, "beratung")

    page.goto(f"/cases/{participant.pk}/tasks/")
    page.get_by_role("link", name="Aufgaben aus einer Checkliste").click()
    page.get_by_label("Checkliste").select_option(label="Passbeschaffung")
    page.get_by_label("Startdatum").fill(days(0).isoformat())
    screenshot(page, "accompaniment-from-checklist")
    page.get_by_role("button", name="Aufgaben anlegen").click()

    expect(page.get_by_text("5 Aufgaben aus der Checkliste „Passbeschaffung“ wurden angelegt.")).to_be_visible()
    rows = page.locator("tbody tr[data-task]")
    expect(rows).to_have_count(6)
    expect(page.locator("tr.mira-task-overdue")).to_have_count(1)
    page.get_by_role("button", name="„Passfotos anfertigen lassen“ als erledigt markieren").click()
    done_row = page.locator("tr[data-task]", has_text="Passfotos anfertigen lassen")
    expect(done_row.get_by_role("button", name="„Passfotos anfertigen lassen“ wieder öffnen")).to_be_visible()
    expect(done_row.locator(".mira-task-status")).to_have_text("Erledigt")
    screenshot(page, "accompaniment-case-tasks")

    task = Task.objects.get(title="Passfotos anfertigen lassen")
    assert (task.status, task.done_on, task.due_on) == (TaskStatus.DONE, days(0), days(3))
    assert Task.objects.filter(participant=participant).count() == 6


def test_departure_too_close_shows_the_warning_then_saves_after_confirmation(
    page, login_as, screenshot, participant, counsellor
):
    # The rules seeded by the data migration exist only until the first transactional test
    # flushes the database: this test brings its own.
    DeadlineRule.objects.all().delete()
    DeadlineRuleFactory(title="JRS-Antrag im RIAT-System stellen", programme=Programme.JRS, offset=19)
    DeadlineRuleFactory(
        title="Flugdaten im RIAT-System eintragen", programme=Programme.JRS, offset=5, unit=OffsetUnit.WORKING_DAYS
    )
    DeadlineRuleFactory(title="Reisedokument (Pass oder Passersatz) liegt vor", offset=28)
    DeadlineRuleFactory(
        title="Zustimmung des anderen Elternteils", offset=21, condition=RuleCondition.MINOR_CHILDREN_ONE_PARENT
    )
    ProgrammeApplicationFactory(
        participant=participant, programme=Programme.JRS, status=ApplicationStatus.SUBMITTED, submitted_on=days(-5),
        reference="RIAT-2026-118",
    )  # fmt: skip
    ProgrammeApplicationFactory(participant=participant, programme=Programme.REAG_GARP)
    login_as(page, "beratung")

    page.goto(f"/cases/{participant.pk}/departure/")
    page.get_by_label("Geplante Ausreise").fill(days(12).isoformat())
    page.get_by_role("button", name="Planen und Fristen anlegen").click()

    warning = page.locator("#missed-deadlines")
    expect(warning).to_contain_text("Diese Fristen sind nicht mehr einzuhalten:")
    expect(warning.locator("li")).to_have_count(2)
    expect(warning).to_contain_text("JRS-Antrag im RIAT-System stellen")
    expect(warning).to_contain_text("Reisedokument (Pass oder Passersatz) liegt vor")
    expect(page.get_by_text("Dieses Ausreisedatum lässt für 2 Fristen zu wenig Zeit.")).to_be_visible()
    screenshot(page, "accompaniment-departure-warning")
    assert Task.objects.filter(participant=participant).count() == 0

    page.get_by_label("Mir ist bewusst, dass diese Fristen nicht mehr einzuhalten sind").check()
    page.get_by_role("button", name="Planen und Fristen anlegen").click()
    expect(page.get_by_text("Die Ausreise ist geplant, die Fristen sind als Aufgaben angelegt.")).to_be_visible()
    expect(page.locator("tr.mira-deadline-missed")).to_have_count(2)
    screenshot(page, "accompaniment-departure")
    assert Task.objects.filter(participant=participant, deadline_rule__isnull=False).count() == 3


def test_task_lists_and_coordinator_pages_render(page, login_as, screenshot, participant, counsellor, coordinator):
    for n in range(4):
        TaskFactory(participant=participant, title=f"Unterlage {n + 1} beschaffen", due_on=days(n * 3 - 4))
    TaskFactory(participant=participant, title="Dolmetscher:in buchen", responsible=coordinator, due_on=days(1))
    template = ChecklistTemplateFactory(centre=participant.centre, name="Passbeschaffung")
    for order, (title, offset) in enumerate(PASSPORT_STEPS):
        ChecklistTemplateStepFactory(template=template, title=title, offset_days=offset, order=order)
    DeadlineRuleFactory(title="Grenzübertrittsbescheinigung beantragen", offset=10, unit=OffsetUnit.WORKING_DAYS)

    login_as(page, "beratung")
    page.get_by_role("link", name="Aufgaben").first.click()
    expect(page.locator("tbody tr[data-task]")).to_have_count(4)
    expect(page.locator("tr.mira-task-overdue")).to_have_count(2)
    screenshot(page, "accompaniment-my-tasks")
    page.get_by_role("link", name="Unterlage 1 beschaffen").click()
    expect(page.get_by_role("heading", name="Unterlage 1 beschaffen")).to_be_visible()
    screenshot(page, "accompaniment-task-detail")

    page.context.clear_cookies()
    login_as(page, "leitung")
    # The centre's list fits a tablet held upright: the status buttons show their icons only, no sideways scrolling.
    TaskFactory(participant=participant, title="Wohnung kündigen bzw. Auszug mit dem Sozialamt klären",
                responsible=coordinator, due_on=days(-1))  # fmt: skip
    TaskFactory(participant=participant, title="Grenzübertrittsbescheinigung bei der Ausländerbehörde beantragen",
                responsible=coordinator, due_on=days(2))  # fmt: skip
    page.set_viewport_size({"width": 768, "height": 1024})
    page.goto("/tasks/centre/")
    table = page.locator(".table-responsive")
    expect(table.locator("tbody tr[data-task]")).to_have_count(7)
    assert table.evaluate("element => element.scrollWidth <= element.clientWidth")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("navigation").get_by_role("button", name=re.compile("Jonas Richter")).click()
    page.get_by_role("link", name="Vorlagen & Fristen").click()
    page.get_by_role("link", name="Passbeschaffung").click()
    expect(page.get_by_label("Name")).to_have_value("Passbeschaffung")
    screenshot(page, "accompaniment-checklist-edit")
    page.get_by_role("link", name="Fristregeln").click()
    expect(page.get_by_role("link", name="Grenzübertrittsbescheinigung beantragen")).to_be_visible()
    screenshot(page, "accompaniment-deadline-rules")
