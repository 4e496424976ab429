import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from mira.accounts.models import Role
from mira.participants.models import CaseEvent, Participant, Stage
from mira.participants.tests.factories import ParticipantFactory
from mira.privacy.models import DeletionRun, ErasedCase, LegalHold, RunStatus, RunTrigger
from mira.privacy.selectors import cases_due_for_erasure, cases_due_soon, years_before
from mira.privacy.services import deletion_run_execute, legal_hold_lift, legal_hold_set, scheduled_deletion_runs
from mira.privacy.tests.factories import DeletionRunFactory, LegalHoldFactory, close_case

TODAY = timezone.localdate()
LONG_AGO = years_before(TODAY, 3) - datetime.timedelta(days=1)
RECENTLY = years_before(TODAY, 3) + datetime.timedelta(days=1)


@pytest.fixture
def closed_case(centre, counsellor):
    participant = ParticipantFactory(centre=centre, assigned_counsellor=counsellor, case_number="EF-2021-0001")
    return close_case(participant, closed_on=LONG_AGO)


def _case(centre, counsellor, number, closed_on, stage=Stage.CLOSED):
    participant = ParticipantFactory(centre=centre, assigned_counsellor=counsellor, case_number=number)
    return close_case(participant, closed_on=closed_on, stage=stage) if closed_on else participant


def test_cases_due_for_erasure_only_closed_past_the_period_not_held_not_erased(centre, other_centre, counsellor):
    due = _case(centre, counsellor, "EF-2021-0001", LONG_AGO)
    withdrawn = _case(centre, counsellor, "EF-2021-0002", LONG_AGO, Stage.WITHDRAWN)
    _case(centre, counsellor, "EF-2021-0003", RECENTLY)
    _case(centre, counsellor, "EF-2021-0004", None)
    held = _case(centre, counsellor, "EF-2021-0005", LONG_AGO)
    LegalHoldFactory(participant=held)
    lifted = _case(centre, counsellor, "EF-2021-0006", LONG_AGO)
    LegalHoldFactory(participant=lifted, lifted_at=timezone.now(), lift_reason="erledigt")
    erased = _case(centre, counsellor, "EF-2021-0007", LONG_AGO)
    ErasedCase.objects.create(
        participant=erased, case_number=erased.case_number, erased_at=timezone.now(),
        erased_by_run=DeletionRunFactory(centre=centre),
    )  # fmt: skip
    ParticipantFactory(centre=other_centre, case_number="GE-2021-0001", stage=Stage.CLOSED, closed_on=LONG_AGO)

    assert list(cases_due_for_erasure(centre_id=centre.pk)) == [due, withdrawn, lifted]


def test_cases_due_for_erasure_follows_the_configured_period(centre, counsellor, settings):
    settings.MIRA_RETENTION_YEARS_AFTER_CLOSE = 5
    _case(centre, counsellor, "EF-2021-0001", LONG_AGO)
    five = _case(centre, counsellor, "EF-2019-0001", years_before(TODAY, 5))
    assert list(cases_due_for_erasure(centre_id=centre.pk)) == [five]


def test_cases_due_soon_counts_the_next_90_days(centre, counsellor):
    _case(centre, counsellor, "EF-2021-0001", RECENTLY)
    _case(centre, counsellor, "EF-2021-0002", LONG_AGO)
    assert [case.case_number for case in cases_due_soon(centre_id=centre.pk)] == ["EF-2021-0001"]


def test_legal_hold_set_keeps_the_case_out_of_the_run(closed_case, data_protection):
    legal_hold_set(participant=closed_case, reason="Klage anhängig", actor=data_protection)
    run = deletion_run_execute(run=DeletionRunFactory(centre=closed_case.centre, status=RunStatus.QUEUED))
    assert (run.erased_cases, ErasedCase.objects.count()) == ([], 0)
    assert CaseEvent.objects.get().kind == "legal_hold_set"


def test_legal_hold_set_twice_is_refused(closed_case, data_protection):
    legal_hold_set(participant=closed_case, reason="Klage anhängig", actor=data_protection)
    with pytest.raises(Exception) as caught:
        legal_hold_set(participant=closed_case, reason="noch einmal", actor=data_protection)
    assert caught.value.message_dict == {"case_number": ["Dieser Fall steht bereits unter Löschsperre."]}


def test_legal_hold_lift_lets_the_next_run_erase_the_case(closed_case, data_protection):
    hold = legal_hold_set(participant=closed_case, reason="Klage anhängig", actor=data_protection)
    legal_hold_lift(hold=hold, reason="Urteil rechtskräftig", actor=data_protection)
    run = deletion_run_execute(run=DeletionRunFactory(centre=closed_case.centre, status=RunStatus.QUEUED))
    assert run.erased_cases == ["EF-2021-0001"]
    hold.refresh_from_db()
    assert (hold.lift_reason, hold.lifted_by) == ("Urteil rechtskräftig", data_protection)


def test_deletion_run_execute_writes_the_protocol(centre, counsellor):
    _case(centre, counsellor, "EF-2021-0002", LONG_AGO)
    _case(centre, counsellor, "EF-2021-0001", LONG_AGO - datetime.timedelta(days=5))
    run = deletion_run_execute(run=DeletionRunFactory(centre=centre, status=RunStatus.QUEUED))
    run.refresh_from_db()
    assert (run.status, run.erased_cases, run.audit_cleared_cases, run.errors) == (
        "finished",
        ["EF-2021-0001", "EF-2021-0002"],
        [],
        [],
    )
    assert run.counts["participants.Participant"] == {"anonymised": 2, "history": 2}
    assert (run.retention_years, run.audit_years) == (3, 10)


def test_deletion_run_with_a_failing_case_records_it_and_goes_on(centre, counsellor):
    from mira.documents.tests.factories import make_document
    from mira.roadmap.tests.factories import RoadmapVersionFactory

    failing = _case(centre, counsellor, "EF-2021-0001", LONG_AGO - datetime.timedelta(days=5))
    _case(centre, counsellor, "EF-2021-0002", LONG_AGO)
    # A roadmap of another case keeps this case's document as its signed scan (RESTRICT).
    scan = make_document(participant=failing, actor=counsellor)
    RoadmapVersionFactory(roadmap__participant=ParticipantFactory(centre=centre), signed_document=scan)

    run = deletion_run_execute(run=DeletionRunFactory(centre=centre, status=RunStatus.QUEUED))

    assert run.erased_cases == ["EF-2021-0002"]
    assert [error["case_number"] for error in run.errors] == ["EF-2021-0001"]
    failing.refresh_from_db()
    assert failing.last_name != "Anonymisiert"


def test_scheduled_deletion_runs_once_per_centre_and_day(centre, other_centre):
    assert [run.centre for run in scheduled_deletion_runs()] == [centre, other_centre]
    assert scheduled_deletion_runs() == []
    assert DeletionRun.objects.filter(trigger=RunTrigger.SCHEDULED).count() == 2


def _login(client, user):
    client.force_login(user)
    return client


def test_retention_page_lists_due_cases_and_holds(client, data_protection, closed_case, centre, counsellor):
    held = _case(centre, counsellor, "EF-2020-0009", LONG_AGO)
    LegalHoldFactory(participant=held, reason="Anfrage der Staatsanwaltschaft")
    response = _login(client, data_protection).get(reverse("privacy:retention"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "EF-2021-0001" in html
    assert reverse("privacy:legal_hold_create") + "?case=EF-2021-0001" in html
    assert "Anfrage der Staatsanwaltschaft" in html
    assert "Aufbewahrungsfrist abgelaufen" in html


@pytest.mark.parametrize("count", [1, 30])
def test_retention_page_queries_do_not_grow(client, data_protection, centre, counsellor, count,
                                            django_assert_max_num_queries):  # fmt: skip
    for number in range(count):
        case = _case(centre, counsellor, f"EF-2020-{number:04d}", LONG_AGO)
        LegalHoldFactory(participant=case) if number % 3 == 0 else None
    DeletionRunFactory.create_batch(count, centre=centre)
    _login(client, data_protection)
    with django_assert_max_num_queries(18):
        response = client.get(reverse("privacy:retention"))
    assert response.status_code == 200


def test_run_now_queues_a_run(client, data_protection, centre, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = _login(client, data_protection).post(reverse("privacy:run_now"))
    assert response.status_code == 302
    run = DeletionRun.objects.get()
    assert (run.trigger, run.status, run.requested_by) == ("manual", "queued", data_protection)
    assert len(callbacks) == 1


def test_run_now_while_a_run_waits_is_refused(client, data_protection, centre):
    DeletionRunFactory(centre=centre, status=RunStatus.QUEUED)
    response = _login(client, data_protection).post(reverse("privacy:run_now"), follow=True)
    assert "Ein Löschlauf dieser Beratungsstelle wartet bereits oder läuft." in response.content.decode()
    assert DeletionRun.objects.count() == 1


def test_legal_hold_create_for_a_case_of_another_centre_is_refused(client, data_protection, other_centre):
    ParticipantFactory(centre=other_centre, case_number="GE-2021-0001")
    response = _login(client, data_protection).post(
        reverse("privacy:legal_hold_create"), {"case_number": "ge-2021-0001", "reason": "Klage"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "case_number": ["In Ihrer Beratungsstelle gibt es keinen Fall mit dieser Nummer."]
    }
    assert 'value="ge-2021-0001"' in response.content.decode()
    assert 'aria-describedby="id_case_number_error"' in response.content.decode()
    assert "Klage</textarea>" in response.content.decode()
    assert LegalHold.objects.count() == 0


def test_legal_hold_create_saves_and_redirects(client, data_protection, closed_case):
    response = _login(client, data_protection).post(
        reverse("privacy:legal_hold_create"), {"case_number": " ef-2021-0001 ", "reason": "Klage VG Weimar"}
    )
    assert response.status_code == 302
    hold = LegalHold.objects.get()
    assert (hold.participant, hold.reason, hold.set_by) == (closed_case, "Klage VG Weimar", data_protection)


def test_legal_hold_lift_without_reason_keeps_the_hold(client, data_protection, closed_case):
    hold = LegalHoldFactory(participant=closed_case)
    response = _login(client, data_protection).post(
        reverse("privacy:legal_hold_lift", kwargs={"pk": hold.pk}), {"lift_reason": "  "}
    )
    assert response.context["form"].errors == {"lift_reason": ["Dieses Feld ist zwingend erforderlich."]}
    hold.refresh_from_db()
    assert hold.lifted_at is None


def test_legal_hold_lift_by_the_officer_of_another_centre_is_not_found(client, make_user, other_centre, closed_case):
    officer = make_user(Role.DATA_PROTECTION, centre=other_centre, username="datenschutz-ge")
    hold = LegalHoldFactory(participant=closed_case)
    response = _login(client, officer).post(
        reverse("privacy:legal_hold_lift", kwargs={"pk": hold.pk}), {"lift_reason": "weg damit"}
    )
    assert response.status_code == 404
    hold.refresh_from_db()
    assert hold.lifted_at is None


def test_run_detail_shows_the_protocol(client, data_protection, centre):
    run = DeletionRunFactory(
        centre=centre,
        erased_cases=["EF-2021-0001"],
        counts={"participants.HouseholdMember": {"deleted": 2, "history": 4}},
        errors=[{"case_number": "EF-2021-0002", "message": "Dokument wird noch verwendet"}],
    )
    html = _login(client, data_protection).get(reverse("privacy:run_detail", kwargs={"pk": run.pk})).content.decode()
    assert "EF-2021-0001" in html
    assert "Haushaltsmitglieder" in html
    assert "EF-2021-0002</span>: Dokument wird noch verwendet" in html


def test_run_detail_of_another_centre_is_not_found(client, make_user, other_centre, centre):
    officer = make_user(Role.DATA_PROTECTION, centre=other_centre, username="datenschutz-ge")
    run = DeletionRunFactory(centre=centre)
    assert _login(client, officer).get(reverse("privacy:run_detail", kwargs={"pk": run.pk})).status_code == 404


@pytest.mark.parametrize("count", [1, 25])
def test_run_list_queries_do_not_grow(client, data_protection, centre, count, django_assert_max_num_queries):
    DeletionRunFactory.create_batch(count, centre=centre, requested_by=data_protection, trigger=RunTrigger.MANUAL)
    _login(client, data_protection)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("privacy:run_list"))
    assert len(re.findall(r'href="/privacy/retention/runs/\d+/"', response.content.decode())) == count


def test_anonymised_participant_keeps_its_place_in_the_case_list(client, counsellor, closed_case):
    deletion_run_execute(run=DeletionRunFactory(centre=closed_case.centre, status=RunStatus.QUEUED))
    response = _login(client, counsellor).get(reverse("participants:list") + "?status=all")
    assert response.status_code == 200
    assert Participant.objects.get().last_name == "Anonymisiert"


@pytest.mark.django_db(transaction=True)
def test_scheduled_run_through_the_queue_erases_due_cases_and_keeps_the_statistics(
    centre, counsellor, coordinator, finance, psychologist
):
    """What cron and the worker do in production: enqueue the periodic jobs, then run the queue."""
    from mira.privacy.statistics import statistics_snapshot
    from mira.privacy.tests.factories import SECRET_NAME, full_case

    due = close_case(
        full_case(centre=centre, counsellor=counsellor, coordinator=coordinator, finance=finance,
                  psychologist=psychologist),
        closed_on=LONG_AGO,
    )  # fmt: skip
    kept = _case(centre, counsellor, "EF-2024-0001", RECENTLY)
    open_case = _case(centre, counsellor, "EF-2026-0001", None)
    before = statistics_snapshot()

    call_command("enqueue_scheduled", stdout=io.StringIO())
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    run = DeletionRun.objects.get(centre=centre)
    assert (run.trigger, run.status, run.erased_cases, run.errors) == ("scheduled", "finished", [due.case_number], [])
    assert statistics_snapshot() == before
    assert before["cases"] == 3
    assert before["by_stage"] == {"closed": 2, "first_contact": 1}
    due.refresh_from_db()
    kept.refresh_from_db()
    open_case.refresh_from_db()
    assert (due.last_name, kept.last_name, open_case.last_name) == (
        "Anonymisiert",
        kept.last_name,
        open_case.last_name,
    )
    assert SECRET_NAME not in kept.last_name
