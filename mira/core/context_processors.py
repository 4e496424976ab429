from django.conf import settings
from django.utils.translation import get_language_bidi

from mira.core.menu import menu_for


def mira(request):
    user = getattr(request, "user", None)
    return {
        "main_menu": menu_for(request) if user is not None and user.is_authenticated else [],
        "DEMO_MODE": settings.DEMO_MODE,
        "LANGUAGE_BIDI": get_language_bidi(),
        "STAFF_LANGUAGES": [(code, name) for code, name in settings.LANGUAGES if code in settings.STAFF_LANGUAGES],
    }
