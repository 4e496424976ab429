from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from mira.accounts.flow import PENDING_KEY, SESSION_ENDED_KEY, url_with_next
from mira.accounts.selectors import user_has_second_factor


class RequireSecondFactorMiddleware:
    """No page without the second factor, once it is due.

    - settings.MIRA_REQUIRE_SECOND_FACTOR (production): a logged-in user whose session is not
      verified goes to the code page if they have an authenticator, else to its set-up.
    - Without it (demo quickstart only) nothing is required, but whoever has set up an
      authenticator must still give a code after the password (the login marks the session).

    Exempt: login, logout and the second-factor pages themselves, static files, language switch.
    Also notes a session that has ended (idle timeout) so that the login page can say why.
    """

    exempt_prefixes = ("/static/", "/i18n/", "/jsi18n/")
    exempt_url_names = ("accounts:login", "accounts:logout", "accounts:verify", "accounts:second_factor_setup")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if not user.is_authenticated:
            self._note_ended_session(request)
        elif not user.is_verified() and not self._is_exempt(request.path):
            if settings.MIRA_REQUIRE_SECOND_FACTOR:
                has_device = user_has_second_factor(user=user)
                return self._send_to("accounts:verify" if has_device else "accounts:second_factor_setup", request)
            if request.session.get(PENDING_KEY):
                return self._send_to("accounts:verify", request)
        return self.get_response(request)

    def _is_exempt(self, path: str) -> bool:
        if path.startswith(self.exempt_prefixes) or path.startswith(settings.STATIC_URL):
            return True
        return path in {reverse(name) for name in self.exempt_url_names}

    @staticmethod
    def _send_to(url_name: str, request):
        target = request.get_full_path() if request.method == "GET" else ""
        url = url_with_next(url_name, target)
        if request.headers.get("HX-Request") == "true":
            # An htmx request would swap the whole page into a fragment: let the browser navigate.
            return HttpResponseClientRedirect(url)
        return HttpResponseRedirect(url)

    @staticmethod
    def _note_ended_session(request) -> None:
        # The browser still sends a session cookie, but the session behind it is gone (after the
        # idle timeout, or a password change elsewhere). Loading it found nothing, so the key
        # is None now. The login page shows a note, then the emptied session removes the cookie.
        if not request.COOKIES.get(settings.SESSION_COOKIE_NAME):
            return
        session = request.session
        if SESSION_ENDED_KEY not in session and session.session_key is None:
            session[SESSION_ENDED_KEY] = True
