import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_counsellor_logs_in_through_the_browser(page, login_as, counsellor, screenshot):
    page.goto("/accounts/login/")
    screenshot(page, "login")
    login_as(page, "beratung")
    assert page.url.endswith("/start/")
    assert page.get_by_role("navigation").get_by_role("link", name="Fälle").is_visible()
    screenshot(page, "start-counsellor")
