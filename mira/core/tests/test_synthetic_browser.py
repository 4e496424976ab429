"""A counsellor of a synthetic centre at work in the browser: the generated data must read like
real case work on the pages a counsellor starts with (screenshots in var/screenshots/)."""

import pytest
from django.db.models import Count
from playwright.sync_api import expect

from mira.accounts.models import User
from mira.core.synthetic import generate
from mira.participants.models import Participant
from mira.participants.selectors import participant_search_filter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mira-test-password"


def test_synthetic_counsellor_finds_a_case_and_reads_its_timeline(page, login_as, screenshot):
    synthetic = generate(participants=60, centres=2)
    centre = synthetic.centres[0]
    counsellor = User.objects.get(pk=synthetic.counsellors[centre.pk][0])
    counsellor.set_password(PASSWORD)
    counsellor.save()
    case = (
        Participant.objects.filter(centre=centre)
        .annotate(events_count=Count("events"))
        .order_by("-events_count", "pk")
        .first()
    )

    login_as(page, counsellor.username)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    screenshot(page, "synthetic-start")

    matching = Participant.objects.filter(centre=centre).filter(participant_search_filter(case.last_name)).count()
    page.goto("/cases/?status=all")
    page.get_by_label("Suche").fill(case.last_name)
    expect(page.locator("table tbody tr")).to_have_count(matching)
    expect(page.get_by_role("link", name=case.case_number)).to_be_visible()
    screenshot(page, "synthetic-case-list")

    page.get_by_role("link", name=case.case_number).click()
    expect(page.get_by_role("heading", name="Verlauf")).to_be_visible()
    expect(page.locator("#timeline li").first).to_be_visible()
    screenshot(page, "synthetic-case-page")

    page.goto("/calendar/?who=all")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    screenshot(page, "synthetic-calendar")
