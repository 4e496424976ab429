from django.urls import include, path
from django.views.i18n import JavaScriptCatalog, set_language

from mira.core import views as core_views

urlpatterns = [
    path("", core_views.root, name="root"),
    path("healthz", core_views.health, name="health"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("", include("mira.core.urls")),
    path("accounts/", include("mira.accounts.urls")),
    path("cases/", include("mira.participants.urls")),
    path("documents/", include("mira.documents.urls")),
    path("privacy/", include("mira.privacy.urls")),
    path("network/", include("mira.network.urls")),
    # These apps also hang pages below a case (cases/<id>/...), so they name their full paths.
    path("", include("mira.counselling.urls")),
    path("", include("mira.accompaniment.urls")),
    path("", include("mira.roadmap.urls")),
    path("", include("mira.aid.urls")),
    path("portal/", include("mira.portal.urls")),
    path("", include("mira.psychology.urls")),
]

handler403 = "mira.core.errors.permission_denied"
handler404 = "mira.core.errors.page_not_found"
