import datetime

from mira.core.testing.access import STAFF_WITH_CASES, route
from mira.participants.models import Stage
from mira.privacy.models import ConsentPurpose, RequestKind
from mira.privacy.tests.factories import (
    ConsentFactory,
    DataSubjectExportFactory,
    DataSubjectRequestFactory,
    DeletionRunFactory,
    LegalHoldFactory,
    close_case,
)


def _consent(world):
    return {"pk": ConsentFactory(participant=world.participant, purpose=ConsentPurpose.PARTNER_SHARING).pk}


def _hold(world):
    return {"pk": LegalHoldFactory(participant=world.participant, set_by=world.users["data_protection"]).pk}


def _run(world):
    return {"pk": DeletionRunFactory(centre=world.centre, erased_cases=["EF-2021-0001"]).pk}


def _request(world, kind=RequestKind.ACCESS):
    return DataSubjectRequestFactory(
        participant=world.participant, kind=kind, recorded_by=world.users["data_protection"]
    ).pk


def _erasure_request(world):
    close_case(world.participant, closed_on=datetime.date(2021, 6, 30), stage=Stage.WITHDRAWN)
    return {"pk": _request(world, RequestKind.ERASURE)}


def _ready_export(world):
    export = DataSubjectExportFactory(
        request=DataSubjectRequestFactory(participant=world.participant, recorded_by=world.users["data_protection"]),
        requested_by=world.users["data_protection"],
    )
    return {"pk": export.request_id, "export_pk": export.pk}


ROUTES = {
    "privacy:audit": route("data_protection"),
    "privacy:audit_entry": route(
        "data_protection",
        kwargs=lambda w: {"source": "participant", "history_id": w.participant.history.earliest().history_id},
    ),
    "privacy:access_log": route("data_protection"),
    "privacy:consent_record": route(
        *STAFF_WITH_CASES, kwargs=lambda w: {"participant_id": w.participant.pk, "purpose": "partner_sharing"}
    ),
    "privacy:consent_withdraw": route(*STAFF_WITH_CASES, kwargs=_consent),
    "privacy:retention": route("data_protection"),
    "privacy:run_now": route("data_protection", post_only=True),
    "privacy:legal_hold_create": route("data_protection"),
    "privacy:legal_hold_lift": route("data_protection", kwargs=_hold),
    "privacy:run_list": route("data_protection"),
    "privacy:run_detail": route("data_protection", kwargs=_run),
    "privacy:request_list": route("data_protection"),
    "privacy:request_create": route("data_protection"),
    "privacy:request_detail": route("data_protection", kwargs=lambda w: {"pk": _request(w)}),
    "privacy:request_close": route("data_protection", kwargs=lambda w: {"pk": _request(w)}, post_only=True),
    "privacy:request_export_json": route("data_protection", kwargs=lambda w: {"pk": _request(w)}),
    "privacy:request_export_pdf": route("data_protection", kwargs=lambda w: {"pk": _request(w)}, post_only=True),
    "privacy:request_exports": route("data_protection", kwargs=lambda w: {"pk": _request(w)}),
    "privacy:request_export_download": route("data_protection", kwargs=_ready_export, post_only=True),
    "privacy:request_erase": route("data_protection", kwargs=_erasure_request),
}
