import datetime

from django.utils import timezone

from mira.privacy.models import Consent


def consent_is_valid(*, participant, purpose: str, on: datetime.date | None = None) -> bool:
    """True while the participant has a consent for purpose that is given and not withdrawn on the day."""
    day = on or timezone.localdate()
    return any(c.is_valid_on(day) for c in Consent.objects.filter(participant=participant, purpose=purpose))
