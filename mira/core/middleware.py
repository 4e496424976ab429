from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import resolve_url
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
