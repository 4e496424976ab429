from mira.core.testing.access import STAFF_WITH_CASES, route
from mira.documents.tests.factories import make_document


def _document(world):
    return {"uuid": make_document(participant=world.participant).uuid}


ROUTES = {
    "documents:upload": route(*STAFF_WITH_CASES, kwargs=lambda w: {"participant_id": w.participant.pk}),
    "documents:download": route(*STAFF_WITH_CASES, kwargs=_document),
    "documents:delete": route(*STAFF_WITH_CASES, kwargs=_document, post_only=True),
}
