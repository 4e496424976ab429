import pytest

pytestmark = pytest.mark.django_db


def test_login_with_correct_password_reaches_start_page(client, counsellor):
    response = client.post("/accounts/login/", {"username": "beratung", "password": "mira-test-password"})
    assert response.status_code == 302
    assert response["Location"] == "/start/"


def test_login_with_wrong_password_shows_error(client, counsellor):
    response = client.post("/accounts/login/", {"username": "beratung", "password": "wrong"})
    assert response.status_code == 200
    assert "Benutzername" in response.content.decode()
