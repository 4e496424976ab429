import pytest
from django.core.checks import run_checks

from mira.accounts.tests.factories import current_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def required(settings):
    settings.MIRA_REQUIRE_SECOND_FACTOR = True


def test_required_second_factor_sends_user_without_one_to_setup(client, counsellor, required):
    client.force_login(counsellor)
    response = client.get("/cases/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/security/second-factor/?next=%2Fcases%2F"


def test_required_second_factor_login_goes_to_setup(password_login, counsellor, required):
    response = password_login(next="/cases/")
    assert response["Location"] == "/accounts/security/second-factor/?next=%2Fcases%2F"


def test_required_second_factor_sends_user_with_one_to_verify(client, authenticator, counsellor, required):
    client.force_login(counsellor)
    response = client.get("/accounts/security/")
    assert response["Location"] == "/accounts/verify/?next=%2Faccounts%2Fsecurity%2F"


def test_required_second_factor_lets_verified_user_through(client, password_login, authenticator, required):
    password_login()
    client.post("/accounts/verify/", {"code": current_code(authenticator)})
    assert client.get("/start/").status_code == 200
    assert client.get("/accounts/security/").status_code == 200


def test_required_second_factor_blocks_password_change_before_setup(client, counsellor, required):
    client.force_login(counsellor)
    response = client.get("/accounts/security/password/")
    assert response["Location"] == "/accounts/security/second-factor/?next=%2Faccounts%2Fsecurity%2Fpassword%2F"


def test_required_second_factor_leaves_setup_logout_and_language_open(client, counsellor, required):
    client.force_login(counsellor)
    assert client.get("/accounts/security/second-factor/").status_code == 200
    assert (
        client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/security/second-factor/"}).status_code
        == 302
    )
    assert client.post("/accounts/logout/")["Location"] == "/accounts/login/"


def test_required_second_factor_post_redirect_has_no_next(client, counsellor, required):
    client.force_login(counsellor)
    response = client.post("/accounts/security/recovery-codes/new/")
    assert response["Location"] == "/accounts/security/second-factor/"


def test_not_required_second_factor_lets_user_without_one_through(client, counsellor):
    client.force_login(counsellor)
    assert client.get("/start/").status_code == 200


def test_deploy_check_warns_when_second_factor_is_off_outside_demo(settings):
    settings.MIRA_REQUIRE_SECOND_FACTOR = False
    settings.DEMO_MODE = False
    ids = [message.id for message in run_checks(include_deployment_checks=True)]
    assert "mira.accounts.W001" in ids


def test_deploy_check_is_quiet_when_second_factor_is_required(settings):
    settings.MIRA_REQUIRE_SECOND_FACTOR = True
    ids = [message.id for message in run_checks(include_deployment_checks=True)]
    assert "mira.accounts.W001" not in ids


def test_middleware_costs_no_query_when_not_required(rf, counsellor, django_assert_num_queries):
    """Other apps count their queries: for a user without second factor the check is free."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.http import HttpResponse

    from mira.accounts.middleware import RequireSecondFactorMiddleware

    request = rf.get("/cases/")
    request.session = SessionStore()
    counsellor.is_verified = lambda: False  # what OTPMiddleware sets for a session without a device
    request.user = counsellor
    middleware = RequireSecondFactorMiddleware(lambda request: HttpResponse("case list"))
    with django_assert_num_queries(0):
        response = middleware(request)
    assert response.content == b"case list"
