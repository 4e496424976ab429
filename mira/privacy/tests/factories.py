import datetime

import factory

from mira.privacy.models import Consent, ConsentPurpose


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    purpose = ConsentPurpose.COUNSELLING
    given_on = datetime.date(2026, 3, 2)
    language = "de"
    recorded_by = factory.SelfAttribute("participant.assigned_counsellor")
