import pytest

from mira.accounts.tests.factories import RecoveryDeviceFactory, TOTPDeviceFactory


@pytest.fixture
def authenticator(counsellor):
    """The counsellor's confirmed authenticator app, with ten recovery codes."""
    RecoveryDeviceFactory(user=counsellor)
    return TOTPDeviceFactory(user=counsellor)


@pytest.fixture
def password_login(client):
    """Logs the test client in through the login form (the first step only) and returns the response."""

    def login(username: str = "beratung", password: str = "mira-test-password", **extra):
        return client.post("/accounts/login/", {"username": username, "password": password, **extra})

    return login
