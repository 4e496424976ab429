from django.conf import settings
from django.shortcuts import redirect


class RequireSecondFactorMiddleware:
    """Staff must confirm a TOTP second factor before they reach any page.

    Exempt: the login, logout and second-factor pages themselves, static files,
    and, in the demo quickstart only, accounts created by the demo loader.
    """

    exempt_prefixes = ("/accounts/", "/static/", "/i18n/", "/jsi18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.MIRA_REQUIRE_SECOND_FACTOR
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(self.exempt_prefixes)
        ):
            return redirect("accounts:security")
        return self.get_response(request)
