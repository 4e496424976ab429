from django.http import HttpRequest

from mira.privacy.models import AccessLog


def access_log_record(*, request: HttpRequest, participant, what: str, object_id: str | int = "") -> AccessLog:
    """Records that request.user read something of a case (the read-access log)."""
    return AccessLog.objects.create(
        user=request.user,
        centre_id=participant.centre_id,
        participant=participant,
        case_number=participant.case_number,
        what=what,
        object_id=str(object_id),
        path=request.path[:300],
    )
