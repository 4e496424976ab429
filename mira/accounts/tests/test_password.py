import pytest

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Rueckkehr-Thueringen-2026"


def test_password_change_with_wrong_old_password_keeps_the_form(client, counsellor):
    client.force_login(counsellor)
    response = client.post(
        "/accounts/security/password/",
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["old_password"] == ["Das alte Passwort war falsch. Bitte neu eingeben."]
    counsellor.refresh_from_db()
    assert counsellor.check_password("mira-test-password")


def test_password_change_with_short_password_explains_why(client, counsellor):
    client.force_login(counsellor)
    response = client.post(
        "/accounts/security/password/",
        {"old_password": "mira-test-password", "new_password1": "kurz", "new_password2": "kurz"},
    )
    errors = response.context["form"].errors["new_password2"]
    assert "Dieses Passwort ist zu kurz. Es muss mindestens 12 Zeichen enthalten." in errors


def test_password_change_keeps_this_session_and_ends_others(client, counsellor):
    from django.test import Client

    other = Client()
    other.force_login(counsellor)
    client.force_login(counsellor)
    response = client.post(
        "/accounts/security/password/",
        {"old_password": "mira-test-password", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain == [("/accounts/security/", 302)]
    assert "Ihr Passwort wurde geändert. Ihre anderen Sitzungen wurden abgemeldet." in response.content.decode()
    assert client.get("/start/").status_code == 200
    assert other.get("/start/")["Location"] == "/accounts/login/?next=/start/"


def test_password_change_with_wrong_old_passwords_counts_towards_the_lockout(client, counsellor):
    client.force_login(counsellor)
    data = {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    for _attempt in range(4):
        assert client.post("/accounts/security/password/", data).status_code == 200
    assert client.post("/accounts/security/password/", data).status_code == 429
    counsellor.refresh_from_db()
    assert counsellor.check_password("mira-test-password")
