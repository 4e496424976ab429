from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from mira.core.permissions import require_perm
from mira.privacy.models import AccessLog


@login_required
def audit(request):
    require_perm(request.user, "privacy.view_audit")
    entries = AccessLog.objects.select_related("user")[:100]
    return render(request, "privacy/audit.html", {"entries": entries})
