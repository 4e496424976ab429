from django.conf import settings
from django.http import HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import resolve_url
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header
from django_scopes import scope


class CentreScopeMiddleware:
    """Activates the centre scope for the whole request.

    Every query of a scoped model (django-scopes) is then limited to the user's
    centre. Users without a centre (partner coaches, anonymous visitors) get an
    empty scope: scoped queries find nothing unless a view widens it on purpose.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        centre_id = user.centre_id if user is not None and user.is_authenticated else None
        # django-scopes treats None as "no filter"; an empty list filters everything out.
        with scope(centre=[centre_id] if centre_id is not None else []):
            return self.get_response(request)


class HtmxLoginRedirectMiddleware:
    """An htmx request whose session has ended gets a full-page redirect to the login page
    (HX-Redirect) instead of the login page swapped into a fragment of the old page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "htmx", False) and response.status_code in (301, 302):
            location = response.get("Location", "")
            if location.startswith(resolve_url(settings.LOGIN_URL)):
                redirect = HttpResponse(status=204)
                redirect["HX-Redirect"] = location
                return redirect
        return response


class StaffLocaleMiddleware(LocaleMiddleware):
    """Like Django's LocaleMiddleware, but the pages choose only among the languages the staff
    interface is translated into (German, English). The participant languages (ar, fa, ru, tr)
    are used where a document is made for a participant (PDFs, inside translation.override)."""

    def process_request(self, request):
        language = translation.get_language_from_request(request)
        if language not in settings.STAFF_LANGUAGES:
            language = self._first_staff_language(request.headers.get("Accept-Language", ""))
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    @staticmethod
    def _first_staff_language(header: str) -> str:
        for accepted, _quality in parse_accept_lang_header(header):
            code = accepted.split("-")[0].lower()
            if code in settings.STAFF_LANGUAGES:
                return code
        return settings.LANGUAGE_CODE
