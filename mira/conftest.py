"""Fixtures shared by every app's tests: centres, one user per role, the browser."""

import os

import pytest
from django_scopes import scopes_disabled

from mira.accounts.models import Role
from mira.core.testing.world import World
from mira.network.models import Organisation
from mira.participants.tests.factories import CentreFactory, UserFactory

# Playwright's sync API runs an event loop in the test thread; the ORM calls of the
# tests themselves are still synchronous, so Django's async guard is lifted for them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _scopes_disabled():
    """Tests create and inspect data across centres; views still run inside the
    request's centre scope (CentreScopeMiddleware), which is what is tested."""
    with scopes_disabled():
        yield


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "documents"},
        },
    }
    settings.MEDIA_ROOT = tmp_path / "documents"


@pytest.fixture
def centre(db):
    return CentreFactory(code="EF", name="MIRA Erfurt", city="Erfurt")


@pytest.fixture
def other_centre(db):
    return CentreFactory(code="GE", name="MIRA Gera", city="Gera")


@pytest.fixture
def make_user(centre):
    def make(role=Role.COUNSELLOR, *, centre=centre, **kwargs):
        if role == Role.PARTNER:
            centre = None
        return UserFactory(role=role, centre=centre, **kwargs)

    return make


@pytest.fixture
def counsellor(make_user):
    return make_user(Role.COUNSELLOR, username="beratung", first_name="Anna", last_name="Keller")


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.COORDINATOR, username="leitung", first_name="Jonas", last_name="Richter")


@pytest.fixture
def finance(make_user):
    return make_user(Role.FINANCE, username="verwaltung")


@pytest.fixture
def psychologist(make_user):
    return make_user(Role.PSYCHOLOGIST, username="psychologie")


@pytest.fixture
def trainer(make_user):
    return make_user(Role.TRAINER, username="kursleitung")


@pytest.fixture
def data_protection(make_user):
    return make_user(Role.DATA_PROTECTION, username="datenschutz")


@pytest.fixture
def georgian_partner(db):
    return Organisation.objects.create(
        name="Tbilisi Reintegration Centre", country="GE", city="Tbilisi", coaches_after_return=True
    )


@pytest.fixture
def partner(make_user, georgian_partner):
    return make_user(Role.PARTNER, username="partner", partner_organisation=georgian_partner)


@pytest.fixture
def counsellor_other_centre(make_user, other_centre):
    return make_user(Role.COUNSELLOR, centre=other_centre, username="beratung2")


@pytest.fixture
def world(db):
    """Two centres, every role, a case in each centre: the cast of the access matrix."""
    return World.build()


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    # Date fields follow the browser's language, not the page's: German, as in the offices.
    "--lang=de-DE",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, driven by Playwright (never a downloaded browser build)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context on the live server, in German, with CSP violations collected."""
    context = browser.new_context(base_url=live_server.url, locale="de-DE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.csp_violations = []
    page.on(
        "console",
        lambda message: page.csp_violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.set_default_timeout(10_000)
    yield page
    context.close()
    assert page.csp_violations == [], page.csp_violations


@pytest.fixture
def login_as():
    """Logs a page in through the real login form."""

    def login(page, username: str, password: str = "mira-test-password"):
        page.goto("/accounts/login/")
        page.get_by_label("Benutzername").fill(username)
        page.get_by_label("Passwort").fill(password)
        page.get_by_role("button", name="Anmelden").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)

    return login


@pytest.fixture
def screenshot():
    """Saves what a page shows, at desktop and tablet width, under var/screenshots/ (for looking at it)."""
    from pathlib import Path

    folder = Path(__file__).resolve().parent.parent / "var" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)

    def shoot(page, name: str):
        size = page.viewport_size
        for label, width in (("desktop", 1280), ("tablet", 800)):
            page.set_viewport_size({"width": width, "height": 900})
            # caret="initial": hiding the caret leaves style="" on inputs, which a later htmx swap copies (CSP).
            page.screenshot(path=folder / f"{name}-{label}.png", full_page=True, caret="initial")
        page.set_viewport_size(size)

    return shoot
