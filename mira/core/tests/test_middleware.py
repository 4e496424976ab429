import pytest

pytestmark = pytest.mark.django_db


def test_htmx_request_without_session_gets_a_full_page_redirect_to_login(client):
    response = client.get("/cases/", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/accounts/login/?next=/cases/"


def test_plain_request_without_session_is_redirected_to_login(client):
    response = client.get("/cases/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/cases/"
