import pytest
from django.core.management import call_command

from mira.accounts.models import Role

pytestmark = pytest.mark.django_db

WRONG_LOGIN = (
    "Benutzername oder Passwort ist nicht korrekt. Achten Sie auf Groß- und Kleinschreibung. "
    "Nach mehreren Fehlversuchen wird das Konto für eine Weile gesperrt."
)


def test_login_with_correct_password_reaches_start_page(password_login, counsellor):
    response = password_login()
    assert response.status_code == 302
    assert response["Location"] == "/start/"


def test_login_with_wrong_password_shows_error_and_keeps_username(password_login, counsellor):
    response = password_login(password="wrong")
    assert response.status_code == 200
    page = response.content.decode()
    assert WRONG_LOGIN in page
    assert 'value="beratung"' in page
    assert response.wsgi_request.user.is_authenticated is False


def test_login_with_safe_next_goes_there(password_login, counsellor):
    response = password_login(next="/cases/?stage=intake")
    assert response["Location"] == "/cases/?stage=intake"


@pytest.mark.parametrize("target", ["https://evil.example.org/", "//evil.example.org/", "/\\evil.example.org"])
def test_login_with_next_to_another_site_goes_to_start_page(password_login, counsellor, target):
    response = password_login(next=target)
    assert response.status_code == 302
    assert response["Location"] == "/start/"


def test_login_page_for_logged_in_user_redirects_to_start(client, counsellor):
    client.force_login(counsellor)
    response = client.get("/accounts/login/")
    assert response.status_code == 302
    assert response["Location"] == "/start/"


def test_login_demo_account_refused_outside_demo_mode(password_login, make_user, settings):
    settings.DEMO_MODE = False
    make_user(Role.COUNSELLOR, username="demo", is_demo_account=True)
    response = password_login(username="demo")
    assert response.status_code == 200
    assert "Demo-Konten können sich nur in einer Demo-Installation anmelden." in response.content.decode()


def test_login_demo_account_allowed_in_demo_mode(password_login, make_user, settings):
    settings.DEMO_MODE = True
    make_user(Role.COUNSELLOR, username="demo", is_demo_account=True)
    response = password_login(username="demo")
    assert response.status_code == 302
    assert response["Location"] == "/start/"


@pytest.mark.parametrize(
    ("demo_mode", "required", "shown"),
    [(True, False, True), (True, True, False), (False, False, False)],
)
def test_login_page_demo_note_only_in_demo_without_second_factor(client, settings, demo_mode, required, shown):
    settings.DEMO_MODE = demo_mode
    settings.MIRA_REQUIRE_SECOND_FACTOR = required
    response = client.get("/accounts/login/")
    assert ("Demo-Installation" in response.content.decode()) is shown


def test_logout_ends_session_and_says_so(client, counsellor):
    client.force_login(counsellor)
    response = client.post("/accounts/logout/", follow=True)
    assert response.redirect_chain == [("/accounts/login/", 302)]
    assert "Sie wurden abgemeldet." in response.content.decode()
    assert client.get("/start/")["Location"] == "/accounts/login/?next=/start/"


def test_five_wrong_passwords_lock_the_account(password_login, counsellor):
    for _attempt in range(4):
        assert password_login(password="wrong").status_code == 200
    # The fifth failure locks at once; the right password is refused afterwards.
    assert password_login(password="wrong").status_code == 429
    response = password_login()
    assert response.status_code == 429
    page = response.content.decode()
    assert "Zu viele Fehlversuche" in page
    assert "Die Sperre endet von selbst nach 30 Minuten." in page
    assert response.wsgi_request.user.is_authenticated is False


def test_four_wrong_passwords_do_not_lock_the_account(password_login, counsellor):
    for _attempt in range(4):
        password_login(password="wrong")
    response = password_login()
    assert response.status_code == 302
    assert response["Location"] == "/start/"


def test_axes_reset_username_unlocks_the_account(password_login, counsellor):
    for _attempt in range(5):
        password_login(password="wrong")
    call_command("axes_reset_username", "beratung")
    response = password_login()
    assert response.status_code == 302
    assert response["Location"] == "/start/"
