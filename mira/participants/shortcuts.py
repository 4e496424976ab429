"""How the views of every app find the case a request is about."""

from django.http import HttpRequest

from mira.core.permissions import get_object_or_404_logged, require_perm
from mira.participants.models import Participant

CASE_RELATED = ("centre", "assigned_counsellor")


def case_or_404(
    request: HttpRequest,
    pk: int,
    perm: str | None = "participants.view_participant",
    *,
    select_related: tuple[str, ...] = CASE_RELATED,
) -> Participant:
    """The case within the user's centre scope (404 otherwise, logged as a probe), once the user
    holds perm on it (403 otherwise). perm=None leaves the permission check to the caller."""
    cases = Participant.objects.select_related(*select_related) if select_related else Participant.objects.all()
    participant = get_object_or_404_logged(request, cases, pk=pk)
    if perm is not None:
        require_perm(request.user, perm, participant)
    return participant
