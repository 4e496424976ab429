"""The client address that the login lockout (django-axes) counts failures for.

Behind a reverse proxy, REMOTE_ADDR is the proxy's own address for every visitor: a lockout
"per address" would then lock everybody out at once. The proxy appends the address it saw to
X-Forwarded-For, so the right-most entry is the one it vouches for (entries further left come
from the client and can be forged).

Wiring (settings): AXES_CLIENT_IP_CALLABLE = "mira.accounts.client_ip.client_ip_address" and
MIRA_BEHIND_PROXY = env_bool("MIRA_BEHIND_PROXY") as a setting.
"""

from django.conf import settings
from django.http import HttpRequest


def client_ip_address(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    if not getattr(settings, "MIRA_BEHIND_PROXY", False):
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    return forwarded[-1] if forwarded else remote
