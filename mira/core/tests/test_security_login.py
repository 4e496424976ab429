"""Login brute force is locked out, by username (mira/accounts/tests/test_login.py) and by
address: one address that tries many usernames is locked, whatever it puts into
X-Forwarded-For; another address still logs in."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _attempt(address: str, username: str, password: str = "wrong-password", **headers):
    return Client(REMOTE_ADDR=address, **headers).post(LOGIN, {"username": username, "password": password})


def test_one_address_trying_many_usernames_is_locked_out(counsellor, coordinator):
    statuses = [_attempt("198.51.100.20", f"guess{number}").status_code for number in range(5)]
    assert statuses == [200, 200, 200, 200, 429]

    # The right password of a real account does not get through from that address ...
    locked = _attempt("198.51.100.20", "beratung", "mira-test-password")
    assert locked.status_code == 429
    assert "Zu viele Fehlversuche" in locked.content.decode()
    # ... while the same account logs in from elsewhere.
    assert _attempt("198.51.100.21", "beratung", "mira-test-password").status_code == 302


def test_a_forged_forwarded_header_does_not_escape_the_lockout(settings, counsellor):
    settings.MIRA_BEHIND_PROXY = False
    for number in range(5):
        _attempt("198.51.100.30", f"guess{number}", HTTP_X_FORWARDED_FOR=f"203.0.113.{number}")
    response = _attempt("198.51.100.30", "beratung", "mira-test-password", HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert response.status_code == 429


def test_behind_a_proxy_the_lockout_counts_the_address_the_proxy_saw(settings, counsellor):
    settings.MIRA_BEHIND_PROXY = True
    proxy = "10.0.0.2"
    for number in range(5):
        # The client prepends a different fake address each time; the proxy appends the real one.
        _attempt(proxy, f"guess{number}", HTTP_X_FORWARDED_FOR=f"203.0.113.{number}, 198.51.100.40")
    forged = _attempt(proxy, "beratung", "mira-test-password", HTTP_X_FORWARDED_FOR="203.0.113.77, 198.51.100.40")
    assert forged.status_code == 429
    # Another visitor behind the same proxy is not locked out with them.
    other = _attempt(proxy, "beratung", "mira-test-password", HTTP_X_FORWARDED_FOR="198.51.100.41")
    assert other.status_code == 302


def test_wrong_passwords_for_one_account_from_many_addresses_lock_the_account(counsellor):
    for number in range(5):
        _attempt(f"198.51.100.{50 + number}", "beratung")
    assert _attempt("198.51.100.60", "beratung", "mira-test-password").status_code == 429


def test_a_locked_out_login_page_says_nothing_about_the_account(counsellor):
    for number in range(5):
        _attempt("198.51.100.70", f"guess{number}")
    unknown = _attempt("198.51.100.70", "nobody-here", "x")
    known = _attempt("198.51.100.70", "beratung", "mira-test-password")
    assert (unknown.status_code, _without_csrf(unknown)) == (known.status_code, _without_csrf(known))


def _without_csrf(response) -> str:
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", response.content.decode())
