"""How views declare what they need. The predicates live in each app's rules.py."""

import logging

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404

security_log = logging.getLogger("mira.security")


def require_perm(user, perm: str, obj=None) -> None:
    """Raises PermissionDenied unless the user holds perm (on obj, if given)."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def get_object_or_404_logged(request, queryset, **lookup):
    """Like get_object_or_404, but an object outside the user's reach is logged as a probe."""
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist:
        security_log.warning(
            "Object not found or out of scope: user=%s path=%s lookup=%s",
            getattr(request.user, "pk", None),
            request.path,
            lookup,
        )
        raise Http404 from None


class PermissionRequiredMixin(LoginRequiredMixin):
    """Class-based views name a permission; object views check it on the object."""

    permission_required: str = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.permission_required and not request.user.has_perm(self.permission_required):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
