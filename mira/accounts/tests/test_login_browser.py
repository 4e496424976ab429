import datetime
import re
from base64 import b32decode

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from mira.accounts.tests.factories import RecoveryDeviceFactory, TOTPDeviceFactory, current_code, wrong_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# "Neues Passwort" but not "Neues Passwort bestätigen" (the label may end in the required mark).
NEW_PASSWORD_LABEL = re.compile(r"^Neues Passwort\W*$")


def test_counsellor_logs_in_through_the_browser(page, login_as, counsellor, screenshot):
    page.goto("/accounts/login/")
    screenshot(page, "login")
    login_as(page, "beratung")
    assert page.url.endswith("/start/")
    expect(page.get_by_role("navigation").get_by_role("link", name="Fälle")).to_be_visible()
    screenshot(page, "start-counsellor")

    # 31 minutes without a request: the next one lands on the login page, which says why.
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(minutes=1))
    page.reload()
    page.wait_for_url("**/accounts/login/?next=/start/")
    expect(page.get_by_text("Ihre Sitzung ist beendet: Nach 30 Minuten ohne Aktivität")).to_be_visible()
    screenshot(page, "login-session-ended")


def test_coordinator_finds_the_centre_settings_under_the_name_and_the_menu_fits_one_line(
    page, login_as, coordinator, screenshot
):
    login_as(page, "leitung")
    navigation = page.get_by_role("navigation", name="Hauptnavigation")
    # The six entries of daily work and the account menu side by side on a desktop screen (1280 px).
    links = navigation.locator(".navbar-nav.me-auto .nav-link")
    expect(links).to_have_count(6)
    tops = {round(box["y"]) for box in links.evaluate_all("links => links.map(link => link.getBoundingClientRect())")}
    heights = links.evaluate_all("links => links.map(link => link.getBoundingClientRect().height)")
    assert len(tops) == 1 and max(heights) < 45
    navigation.get_by_role("button", name=re.compile("Jonas Richter")).click()
    menu = navigation.locator(".dropdown-menu")
    expect(menu.get_by_text("Projektleitung · ")).to_be_visible()
    screenshot(page, "navbar-account-menu")
    menu.get_by_role("link", name="Vorlagen & Fristen").click()
    page.wait_for_url("**/planning/**")
    assert navigation.locator(".dropdown-toggle.active").count() == 1
    navigation.get_by_role("button", name=re.compile("Jonas Richter")).click()
    expect(menu.get_by_role("link", name="Vorlagen & Fristen")).to_have_attribute("aria-current", "page")
    menu.get_by_role("link", name="Team und Anmeldungen").click()
    page.wait_for_url("**/accounts/team/")


def test_counsellor_sets_up_second_factor_and_logs_in_with_a_code(page, login_as, counsellor, screenshot, settings):
    settings.MIRA_REQUIRE_SECOND_FACTOR = True

    # First login: the password alone leads to the set-up.
    login_as(page, "beratung")
    assert page.url.endswith("/accounts/security/second-factor/")
    expect(page.get_by_role("img", name="QR-Code für Ihre Authenticator-App")).to_be_visible()
    screenshot(page, "second-factor-setup")

    secret = page.locator("[data-totp-secret]").inner_text().replace(" ", "").replace("\n", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))
    unconfirmed = TOTPDevice.objects.get(user=counsellor, confirmed=False)
    assert unconfirmed.bin_key == key
    page.get_by_label("6-stelliger Code aus Ihrer App").fill(wrong_code(unconfirmed))
    page.get_by_role("button", name="Bestätigen und aktivieren").click()
    expect(page.get_by_text("Dieser Code ist ungültig.")).to_be_visible()
    screenshot(page, "second-factor-setup-wrong-code")

    # django-otp throttles after a wrong code (1 second, doubling with each further one).
    page.wait_for_timeout(1100)
    page.get_by_label("6-stelliger Code aus Ihrer App").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Bestätigen und aktivieren").click()
    page.wait_for_url("**/accounts/security/recovery-codes/")
    codes = page.locator(".mira-recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    assert all(len(code) == 9 and code[4] == "-" for code in codes)
    screenshot(page, "recovery-codes")

    page.get_by_role("link", name="Ich habe die Codes gesichert – weiter").click()
    page.wait_for_url("**/start/")
    page.goto("/accounts/security/")
    expect(page.get_by_text("10 von 10 Codes übrig.")).to_be_visible()
    screenshot(page, "security")

    page.get_by_role("button", name="Anna Keller").click()
    page.get_by_role("button", name="Abmelden").click()
    page.wait_for_url("**/accounts/login/")
    expect(page.get_by_text("Sie wurden abgemeldet.")).to_be_visible()

    # Second login: password, then a code from the app.
    login_as(page, "beratung")
    assert page.url.endswith("/accounts/verify/")
    screenshot(page, "second-factor-verify")
    device = TOTPDevice.objects.get(user=counsellor)
    page.get_by_label("Code").fill(current_code(device, steps_ahead=1))
    page.get_by_role("button", name="Bestätigen").click()
    page.wait_for_url("**/start/")
    expect(page.get_by_role("navigation").get_by_role("link", name="Fälle")).to_be_visible()


def test_counsellor_logs_in_with_a_recovery_code(page, login_as, counsellor, screenshot):
    TOTPDeviceFactory(user=counsellor)
    RecoveryDeviceFactory(user=counsellor)
    login_as(page, "beratung")
    page.get_by_label("Code").fill("ABCD EFGH")
    page.get_by_role("button", name="Bestätigen").click()
    page.wait_for_url("**/start/")
    expect(page.get_by_text("Er ist nun verbraucht; 9 Codes sind übrig.")).to_be_visible()


def test_counsellor_changes_password_and_removes_second_factor(page, login_as, counsellor, screenshot):
    login_as(page, "beratung")
    page.goto("/accounts/security/")
    page.get_by_role("link", name="Passwort ändern").click()
    page.get_by_label("Altes Passwort").fill("falsch")
    page.get_by_label(NEW_PASSWORD_LABEL).fill("Rueckkehr-Thueringen-2026")
    page.get_by_label("Neues Passwort bestätigen").fill("Rueckkehr-Thueringen-2026")
    page.get_by_role("button", name="Passwort ändern").click()
    expect(page.get_by_text("Das alte Passwort war falsch. Bitte neu eingeben.")).to_be_visible()
    screenshot(page, "password-change")
    page.get_by_label("Altes Passwort").fill("mira-test-password")
    page.get_by_label(NEW_PASSWORD_LABEL).fill("Rueckkehr-Thueringen-2026")
    page.get_by_label("Neues Passwort bestätigen").fill("Rueckkehr-Thueringen-2026")
    page.get_by_role("button", name="Passwort ändern").click()
    page.wait_for_url("**/accounts/security/")
    expect(page.get_by_text("Ihr Passwort wurde geändert.")).to_be_visible()

    # Voluntary set-up (not required here), then removal with the password.
    page.get_by_role("link", name="Zweiten Faktor einrichten").click()
    device = TOTPDevice.objects.get(user=counsellor)
    page.get_by_label("6-stelliger Code aus Ihrer App").fill(current_code(device))
    page.get_by_role("button", name="Bestätigen und aktivieren").click()
    page.wait_for_url("**/accounts/security/recovery-codes/")
    page.goto("/accounts/security/")
    page.get_by_role("link", name="Zweiten Faktor entfernen").click()
    page.get_by_label("Aktuelles Passwort").fill("falsch")
    page.get_by_role("button", name="Entfernen").click()
    expect(page.get_by_text("Das Passwort ist nicht korrekt.")).to_be_visible()
    screenshot(page, "second-factor-remove")
    page.get_by_label("Aktuelles Passwort").fill("Rueckkehr-Thueringen-2026")
    page.get_by_role("button", name="Entfernen").click()
    page.wait_for_url("**/accounts/security/")
    expect(page.get_by_text("Der zweite Faktor wurde entfernt.")).to_be_visible()
    assert TOTPDevice.objects.filter(user=counsellor).count() == 0


def test_repeated_wrong_passwords_show_the_lockout_page(page, counsellor, screenshot):
    page.goto("/accounts/login/")
    for _attempt in range(5):
        page.get_by_label("Benutzername").fill("beratung")
        page.get_by_label("Passwort").fill("falsch")
        page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("heading", name="Zu viele Fehlversuche")).to_be_visible()
    expect(page.get_by_text("Die Sperre endet von selbst nach 30 Minuten.")).to_be_visible()
    screenshot(page, "locked-out")
