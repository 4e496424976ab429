import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db.models import CharField, JSONField, Q, TextField
from django.utils import timezone

from mira.aid.models import AidItem, AidProof, AidRequest, AidTransition
from mira.core.personal_data import ANONYMISED_NAME, REGISTRY, Erasure
from mira.counselling.models import CounsellingSession
from mira.documents.models import Document
from mira.participants.models import CaseEvent, HouseholdMember, Participant
from mira.privacy.erasure import case_erase
from mira.privacy.models import AccessLog, DataSubjectRequest, ErasedCase, LegalHold, RunTrigger
from mira.privacy.statistics import statistics_snapshot
from mira.privacy.tests.factories import SECRET_NAME, DeletionRunFactory, LegalHoldFactory, close_case, full_case

CLOSED_ON = datetime.date(2021, 6, 30)


@pytest.fixture
def case(centre, counsellor, coordinator, finance, psychologist):
    participant = full_case(
        centre=centre, counsellor=counsellor, coordinator=coordinator, finance=finance, psychologist=psychologist
    )
    return close_case(participant, closed_on=CLOSED_ON)


@pytest.fixture
def run(centre):
    return DeletionRunFactory(centre=centre, trigger=RunTrigger.SCHEDULED)


def rows_mentioning(text: str) -> dict[str, int]:
    """Every row of every project table (history included) with `text` in a text column."""
    found = {}
    for model in apps.get_models():
        if not model._meta.app_config.name.startswith("mira."):
            continue
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, CharField | TextField | JSONField)]
        if not fields:
            continue
        condition = Q()
        for name in fields:
            condition |= Q(**{f"{name}__icontains": text})
        number = model._base_manager.filter(condition).count()
        if number:
            found[model._meta.label] = number
    return found


def test_full_case_has_rows_in_every_registered_model(case):
    empty = [entry.label for entry in REGISTRY if not entry.rows(case).exists()]
    assert empty == ["privacy.ErasedCase"]


def test_case_erase_leaves_the_name_only_in_the_aid_records_of_the_audit_period(case, run):
    assert set(rows_mentioning(SECRET_NAME)) > {"participants.Participant", "aid.AidRequest"}

    case_erase(participant=case, run=run)

    assert rows_mentioning(SECRET_NAME) == {"aid.AidRequest": 1, "aid.HistoricalAidRequest": 6}


def test_case_erase_after_the_audit_period_leaves_the_name_nowhere(case, run):
    case_erase(participant=case, run=run, audit_period_over=True)

    assert rows_mentioning(SECRET_NAME) == {}
    assert (AidRequest.objects.count(), AidItem.objects.count(), AidTransition.objects.count()) == (1, 1, 5)
    assert AidProof.objects.count() == 0
    assert Document.objects.count() == 0


def test_case_erase_anonymises_the_case_row_keeping_the_statistical_fields(case, run):
    case_erase(participant=case, run=run)

    case.refresh_from_db()
    assert (case.first_name, case.last_name, case.phone, case.email, case.street, case.postcode, case.notes) == (
        "",
        ANONYMISED_NAME,
        "",
        "",
        "",
        "",
        "",
    )
    assert (case.case_number, case.date_of_birth, case.gender, case.nationalities, case.return_country) == (
        "EF-2021-0007",
        datetime.date(1988, 1, 1),
        "male",
        "GE",
        "GE",
    )
    assert (case.return_region, case.stage, case.closed_on, case.opened_on) == (
        "",
        "closed",
        CLOSED_ON,
        datetime.date(2020, 5, 4),
    )
    assert Participant.history.filter(id=case.pk).count() == 0


def test_case_erase_deletes_documents_with_their_files_but_keeps_the_aid_receipt(
    case, run, django_capture_on_commit_callbacks
):
    names = dict(Document.objects.values_list("title", "file"))
    receipt = AidProof.objects.get().document

    with django_capture_on_commit_callbacks(execute=True):
        case_erase(participant=case, run=run)

    assert list(Document.objects.values_list("pk", flat=True)) == [receipt.pk]
    assert [default_storage.exists(name) for name in names.values()] == [
        name == receipt.file.name for name in names.values()
    ]


def test_case_erase_keeps_sessions_and_referrals_without_their_texts(case, run):
    case_erase(participant=case, run=run)

    session = CounsellingSession.objects.get()
    assert (session.notes, session.next_steps, session.duration_minutes, list(session.household_attendees.all())) == (
        "",
        "",
        60,
        [],
    )
    assert CounsellingSession.history.count() == 0
    assert apps.get_model("counselling.HistoricalCounsellingSession_household_attendees").objects.count() == 0
    assert apps.get_model("network.Referral").objects.get().notes == ""


def test_case_erase_purges_the_history_of_removed_household_members(case, run):
    assert HouseholdMember.history.count() == 3  # two added, one removed (its "-" row)

    case_erase(participant=case, run=run)

    assert (HouseholdMember.objects.count(), HouseholdMember.history.count()) == (0, 0)


def test_case_erase_keeps_the_protocol_of_data_protection_work(case, run):
    case_erase(participant=case, run=run)

    assert DataSubjectRequest.objects.filter(participant=case).count() == 1
    assert LegalHold.objects.filter(participant=case).count() == 1
    log = AccessLog.objects.get()
    assert (log.participant_id, log.case_number) == (None, "EF-2021-0007")
    erased = ErasedCase.objects.get()
    assert (erased.case_number, erased.erased_by_run, erased.audit_cleared_at) == ("EF-2021-0007", run, None)


def test_case_erase_replaces_the_timeline_with_one_entry(case, run):
    case_erase(participant=case, run=run)

    assert list(CaseEvent.objects.values_list("kind", "data")) == [("case_erased", {"trigger": "scheduled"})]


def test_case_erase_returns_counts_per_model(case, run):
    counts = case_erase(participant=case, run=run)

    assert counts["participants.Participant"] == {"anonymised": 1, "history": 1}
    assert counts["participants.HouseholdMember"] == {"deleted": 1, "history": 4}
    assert counts["psychology.SupportNote"]["deleted"] == 1
    assert "aid.AidRequest" not in counts


def test_case_erase_keeps_the_statistics(case, run):
    before = statistics_snapshot(centre=case.centre)

    case_erase(participant=case, run=run)
    after_first = statistics_snapshot(centre=case.centre)
    case_erase(participant=case, run=run, audit_period_over=True)

    assert before == after_first == statistics_snapshot(centre=case.centre)
    assert before["aid_by_status"] == {"delivered": {"requests": 1, "total": "400.00"}}


def test_case_erase_of_an_open_case_is_refused(centre, counsellor, run):
    from mira.participants.tests.factories import ParticipantFactory

    participant = ParticipantFactory(centre=centre, assigned_counsellor=counsellor)
    with pytest.raises(ValidationError) as caught:
        case_erase(participant=participant, run=run)
    assert caught.value.messages == [
        "Der Fall ist noch offen. Schließen Sie ihn ab oder vermerken Sie den Ausstieg, bevor seine Daten gelöscht werden."
    ]


def test_case_erase_on_legal_hold_is_refused_and_changes_nothing(case, run):
    LegalHoldFactory(participant=case)
    with pytest.raises(ValidationError):
        case_erase(participant=case, run=run)
    case.refresh_from_db()
    assert (case.last_name, ErasedCase.objects.count()) == (SECRET_NAME, 0)


def test_case_erase_twice_does_nothing_the_second_time(case, run):
    case_erase(participant=case, run=run)

    assert case_erase(participant=case, run=run) == {}
    assert ErasedCase.objects.count() == 1


def test_case_erase_of_a_case_without_aid_clears_at_once(centre, counsellor, run):
    from mira.participants.tests.factories import ParticipantFactory

    participant = close_case(ParticipantFactory(centre=centre, assigned_counsellor=counsellor), closed_on=CLOSED_ON)
    case_erase(participant=participant, run=run)
    assert ErasedCase.objects.get().audit_cleared_at is not None


def test_registry_erasure_kinds_cover_every_entry():
    assert {entry.erasure for entry in REGISTRY} == set(Erasure)
    assert all(
        entry.after_audit in (Erasure.DELETE, Erasure.ANONYMISE) for entry in REGISTRY if entry.erasure == "audit"
    )


def test_case_erase_sets_no_date_in_the_future(case, run):
    case_erase(participant=case, run=run)
    assert ErasedCase.objects.get().erased_at <= timezone.now()
