from django.conf import settings
from django.utils.translation import get_language_bidi

from mira.core.menu import ACCOUNT_MENU, menu_for


def mira(request):
    user = getattr(request, "user", None)
    logged_in = user is not None and user.is_authenticated
    return {
        "main_menu": menu_for(request) if logged_in else [],
        "account_menu": menu_for(request, ACCOUNT_MENU) if logged_in else [],
        "DEMO_MODE": settings.DEMO_MODE,
        "LANGUAGE_BIDI": get_language_bidi(),
        "STAFF_LANGUAGES": [(code, name) for code, name in settings.LANGUAGES if code in settings.STAFF_LANGUAGES],
    }
