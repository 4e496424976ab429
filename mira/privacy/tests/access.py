from mira.core.testing.access import STAFF_WITH_CASES, route
from mira.privacy.models import ConsentPurpose
from mira.privacy.tests.factories import ConsentFactory


def _consent(world):
    return {"pk": ConsentFactory(participant=world.participant, purpose=ConsentPurpose.PARTNER_SHARING).pk}


ROUTES = {
    "privacy:audit": route("data_protection"),
    "privacy:access_log": route("data_protection"),
    "privacy:consent_record": route(
        *STAFF_WITH_CASES, kwargs=lambda w: {"participant_id": w.participant.pk, "purpose": "partner_sharing"}
    ),
    "privacy:consent_withdraw": route(*STAFF_WITH_CASES, kwargs=_consent),
}
