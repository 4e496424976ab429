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


def test_scope_of_a_user_without_centre_finds_no_case(rf, partner, counsellor):
    from django.contrib.auth.models import AnonymousUser

    from mira.core.middleware import CentreScopeMiddleware
    from mira.participants.models import Participant
    from mira.participants.tests.factories import ParticipantFactory

    ParticipantFactory(centre=counsellor.centre, assigned_counsellor=counsellor)
    seen = {}

    def view(request):
        seen[request.user] = Participant.objects.count()
        return None

    for user in (partner, AnonymousUser(), counsellor):
        request = rf.get("/")
        request.user = user
        CentreScopeMiddleware(view)(request)
    assert list(seen.values()) == [0, 0, 1]


@pytest.mark.parametrize(
    ("accept", "cookie", "expected"),
    [
        ("ar,en;q=0.8", None, "en"),
        ("fa", None, "de"),
        ("en-US,en;q=0.9", None, "en"),
        ("", None, "de"),
        ("en", "ar", "en"),
        ("en", "de", "de"),
    ],
)
def test_pages_speak_a_staff_language(client, accept, cookie, expected):
    if cookie:
        client.cookies["django_language"] = cookie
    response = client.get("/accounts/login/", headers={"Accept-Language": accept})
    assert response.headers["Content-Language"] == expected
