"""Where the login flow keeps its state between requests, and where it may send people."""

from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

# Set at login when the user has an authenticator: the session is not complete until a code is given.
PENDING_KEY = "mira_second_factor_pending"
# Recovery codes just created, shown once on the next page and then dropped from the session.
NEW_RECOVERY_CODES_KEY = "mira_recovery_codes_to_show"
# The browser came back with a session that no longer exists (idle timeout): the login page says so.
SESSION_ENDED_KEY = "mira_session_ended"


def safe_next(request: HttpRequest) -> str:
    """The `next` address of the request if it stays on this site, else the start page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def url_with_next(url_name: str, target: str) -> str:
    url = reverse(url_name)
    if not target or target == resolve_url(settings.LOGIN_REDIRECT_URL):
        return url
    return f"{url}?{urlencode({'next': target})}"


def mark_verified(request: HttpRequest, device) -> None:
    """The session has passed the second factor: a new session key (the privilege rose) and
    django-otp's marker, which OTPMiddleware checks on every request."""
    request.session.cycle_key()
    django_otp.login(request, device)
    request.session.pop(PENDING_KEY, None)
