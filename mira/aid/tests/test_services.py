import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from mira.aid.cap import aid_cap_on
from mira.aid.models import AidRequest, AidStatus, AidTransition
from mira.aid.selectors import participant_aid_summary
from mira.aid.services import aid_proof_add, aid_request_save, aid_request_transition, budget_save
from mira.aid.tests.factories import BudgetFactory, advance, make_request, pdf_upload
from mira.participants.models import CaseEvent

pytestmark = pytest.mark.django_db


def messages_of(error: ValidationError) -> list[str]:
    return error.messages


def test_request_save_keeps_the_total_of_its_items(participant):
    request = make_request(participant, amounts=["249.90", "150.10"])
    assert request.status == AidStatus.DRAFT
    assert request.total == Decimal("400.00")
    assert [item.amount for item in request.items.all()] == [Decimal("249.90"), Decimal("150.10")]


def test_request_carries_the_centre_of_its_case(participant):
    request = make_request(participant)
    assert AidRequest.objects.filter(pk=request.pk).values_list("centre_id", flat=True).get() == participant.centre_id


def test_request_save_replaces_the_items_of_a_draft(participant, counsellor):
    request = make_request(participant, amounts=["100.00", "50.00"])
    items = [{"category": "stock", "description": "Stoffe", "amount": Decimal("75.50"), "supplier": ""}]
    request = aid_request_save(request=request, items=items, actor=counsellor, version=request.version)
    assert request.total == Decimal("75.50")
    assert list(request.items.values_list("description", flat=True)) == ["Stoffe"]
    assert request.version == 2


def test_request_save_refuses_an_outdated_version(participant, counsellor):
    from mira.aid.services import ConcurrentEditError

    request = make_request(participant)
    items = [{"category": "stock", "description": "Stoffe", "amount": Decimal("75.50"), "supplier": ""}]
    aid_request_save(request=AidRequest.objects.get(pk=request.pk), items=items, actor=counsellor, version=1)
    with pytest.raises(ConcurrentEditError):
        aid_request_save(request=AidRequest.objects.get(pk=request.pk), items=items, actor=counsellor, version=1)


def test_request_save_refuses_a_total_over_the_remaining_cap(participant, coordinator, second_coordinator, budget):
    first = make_request(participant, amounts=["400.00"], submit=True)
    advance(first, AidStatus.APPROVED, coordinator=coordinator, source=budget.funding_source)
    with pytest.raises(ValidationError) as caught:
        make_request(participant, amounts=["700.00"])
    assert messages_of(caught.value) == [
        "Der Gesamtbetrag von 700,00\u00a0€ übersteigt die für EF-2026-0042 noch verfügbare Hilfe: 600,00\u00a0€ verbleiben "
        "von der Obergrenze von 1.000,00\u00a0€ (400,00\u00a0€ bereits bewilligt)."
    ]
    assert AidRequest.objects.count() == 1


def test_request_save_refuses_a_closed_case(participant):
    participant.stage = "closed"
    participant.save()
    with pytest.raises(ValidationError) as caught:
        make_request(participant)
    assert messages_of(caught.value) == ["Der Fall ist abgeschlossen; es kann keine neue Hilfe beantragt werden."]


def test_request_save_refuses_finance(participant, finance):
    with pytest.raises(ValidationError):
        make_request(participant, actor=finance)
    assert AidRequest.objects.count() == 0


def test_request_save_refuses_a_zero_amount(participant):
    with pytest.raises(ValidationError):
        make_request(participant, amounts=["0.00"])
    assert AidRequest.objects.count() == 0


def test_save_and_submit_is_all_or_nothing(participant, coordinator, budget):
    first = make_request(participant, amounts=["900.00"], submit=True)
    advance(first, AidStatus.APPROVED, coordinator=coordinator, source=budget.funding_source)
    request = AidRequest(participant=participant, justification="Noch mehr")
    items = [{"category": "tools", "description": "Säge", "amount": Decimal("200.00"), "supplier": ""}]
    with pytest.raises(ValidationError):
        aid_request_save(request=request, items=items, actor=participant.assigned_counsellor, submit=True)
    assert request.pk is None
    assert AidRequest.objects.count() == 1


def test_submit_stamps_who_and_when(participant, counsellor):
    request = make_request(participant, submit=True)
    assert request.status == AidStatus.SUBMITTED
    assert request.submitted_by == counsellor
    assert request.submitted_at is not None


def test_approve_books_on_the_budget_of_the_year(participant, coordinator, budget):
    request = make_request(participant, submit=True)
    request = aid_request_transition(
        request=request, to=AidStatus.APPROVED, actor=coordinator, comment="Passt", funding_source=budget.funding_source
    )
    assert request.status == AidStatus.APPROVED
    assert request.budget == budget
    assert request.funding_source == budget.funding_source
    assert request.decided_by == coordinator


def test_approve_uses_the_proposed_funding_source(participant, coordinator, budget):
    request = make_request(participant, submit=True, funding_source=budget.funding_source)
    request = aid_request_transition(request=request, to=AidStatus.APPROVED, actor=coordinator)
    assert request.budget == budget


def test_approve_of_own_request_is_refused(participant, coordinator, budget):
    request = make_request(participant, actor=coordinator, submit=True)
    with pytest.raises(ValidationError) as caught:
        aid_request_transition(
            request=request, to=AidStatus.APPROVED, actor=coordinator, funding_source=budget.funding_source
        )
    assert messages_of(caught.value) == [
        "Sie haben diesen Antrag selbst geschrieben oder eingereicht. Eine andere Leitung muss darüber entscheiden "
        "(Vier-Augen-Prinzip)."
    ]
    assert AidRequest.objects.get(pk=request.pk).status == AidStatus.SUBMITTED


def test_approve_of_a_request_submitted_by_the_approver_is_refused(
    participant, coordinator, second_coordinator, budget
):
    request = make_request(participant)
    request = aid_request_transition(request=request, to=AidStatus.SUBMITTED, actor=coordinator)
    with pytest.raises(ValidationError):
        aid_request_transition(
            request=request, to=AidStatus.APPROVED, actor=coordinator, funding_source=budget.funding_source
        )
    request = aid_request_transition(
        request=request, to=AidStatus.APPROVED, actor=second_coordinator, funding_source=budget.funding_source
    )
    assert request.status == AidStatus.APPROVED


def test_reject_of_own_request_is_refused(participant, coordinator):
    request = make_request(participant, actor=coordinator, submit=True)
    with pytest.raises(ValidationError):
        aid_request_transition(request=request, to=AidStatus.REJECTED, actor=coordinator, comment="Nein")


@pytest.mark.parametrize("role_fixture", ["counsellor", "finance", "psychologist"])
def test_approve_by_another_role_is_refused(request, participant, budget, role_fixture):
    actor = request.getfixturevalue(role_fixture)
    aid_request = make_request(participant, submit=True)
    with pytest.raises(ValidationError) as caught:
        aid_request_transition(
            request=aid_request, to=AidStatus.APPROVED, actor=actor, funding_source=budget.funding_source
        )
    assert messages_of(caught.value) == ["Nur die Projektleitung kann Anträge auf Hilfe bewilligen."]


def test_approve_by_a_coordinator_of_another_centre_is_refused(participant, budget, make_user, other_centre):
    outsider = make_user("coordinator", centre=other_centre, username="leitung-ge")
    request = make_request(participant, submit=True)
    with pytest.raises(ValidationError):
        aid_request_transition(
            request=request, to=AidStatus.APPROVED, actor=outsider, funding_source=budget.funding_source
        )


def test_approve_over_the_cap_is_refused_with_the_remaining_amount(participant, coordinator, budget):
    first = make_request(participant, amounts=["400.00"], submit=True)
    second = make_request(participant, amounts=["700.00"], submit=True)
    advance(first, AidStatus.APPROVED, coordinator=coordinator, source=budget.funding_source)
    with pytest.raises(ValidationError) as caught:
        aid_request_transition(
            request=second, to=AidStatus.APPROVED, actor=coordinator, funding_source=budget.funding_source
        )
    assert "600,00\u00a0€ verbleiben" in messages_of(caught.value)[0]
    assert AidRequest.objects.get(pk=second.pk).status == AidStatus.SUBMITTED
    assert participant_aid_summary(participant=participant).committed == Decimal("400.00")


def test_approve_up_to_exactly_the_cap_is_allowed(participant, coordinator, budget):
    first = make_request(participant, amounts=["400.00"], submit=True)
    second = make_request(participant, amounts=["600.00"], submit=True)
    advance(first, AidStatus.APPROVED, coordinator=coordinator, source=budget.funding_source)
    advance(second, AidStatus.APPROVED, coordinator=coordinator, source=budget.funding_source)
    summary = participant_aid_summary(participant=participant)
    assert (summary.committed, summary.remaining) == (Decimal("1000.00"), Decimal("0.00"))


def test_cancelling_an_approved_request_frees_the_cap(participant, coordinator, budget):
    first = make_request(participant, amounts=["900.00"], submit=True)
    first = advance(first, AidStatus.APPROVED, coordinator=coordinator, source=budget.funding_source)
    aid_request_transition(request=first, to=AidStatus.CANCELLED, actor=coordinator, comment="Lieferant insolvent")
    assert participant_aid_summary(participant=participant).remaining == Decimal("1000.00")


def test_approve_over_the_budget_is_refused(participant, coordinator, centre, amif):
    small = BudgetFactory(funding_source=amif, centre=centre, amount=Decimal("300.00"), updated_by=coordinator)
    request = make_request(participant, amounts=["400.00"], submit=True)
    with pytest.raises(ValidationError) as caught:
        aid_request_transition(request=request, to=AidStatus.APPROVED, actor=coordinator, funding_source=amif)
    assert caught.value.message_dict == {
        "funding_source": [
            f"Das Budget „{small}“ hat nur noch 300,00\u00a0€ übrig; dieser Antrag braucht 400,00\u00a0€."
        ]
    }


def test_approve_without_a_budget_for_the_year_is_refused(participant, coordinator, land):
    request = make_request(participant, submit=True)
    with pytest.raises(ValidationError) as caught:
        aid_request_transition(request=request, to=AidStatus.APPROVED, actor=coordinator, funding_source=land)
    assert list(caught.value.message_dict) == ["funding_source"]


def test_approve_without_a_funding_source_is_refused(participant, coordinator, budget):
    request = make_request(participant, submit=True)
    with pytest.raises(ValidationError) as caught:
        aid_request_transition(request=request, to=AidStatus.APPROVED, actor=coordinator)
    assert caught.value.message_dict == {
        "funding_source": ["Wählen Sie die Förderquelle, auf die die Hilfe gebucht wird."]
    }


def test_pay_of_an_unapproved_request_is_refused(participant, finance):
    request = make_request(participant, submit=True)
    with pytest.raises(ValidationError) as caught:
        aid_request_transition(request=request, to=AidStatus.PAID, actor=finance, payment_reference="BU-1")
    assert messages_of(caught.value) == [
        "Nur bewilligte oder bestellte Anträge können bezahlt werden. (Aktueller Status: Eingereicht.)"
    ]


def test_pay_by_a_coordinator_is_refused(participant, coordinator, second_coordinator, budget):
    request = advance(make_request(participant, submit=True), AidStatus.APPROVED, coordinator=coordinator,
                      source=budget.funding_source)  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        aid_request_transition(request=request, to=AidStatus.PAID, actor=second_coordinator, payment_reference="BU-1")
    assert messages_of(caught.value) == ["Nur die Verwaltung kann Zahlungen erfassen."]


def test_pay_needs_a_payment_reference(participant, coordinator, finance, budget):
    request = advance(make_request(participant, submit=True), AidStatus.APPROVED, coordinator=coordinator,
                      source=budget.funding_source)  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        aid_request_transition(request=request, to=AidStatus.PAID, actor=finance, payment_reference="  ")
    assert list(caught.value.message_dict) == ["payment_reference"]


def test_pay_records_finance_and_reference(participant, coordinator, finance, budget):
    request = advance(make_request(participant, submit=True), AidStatus.ORDERED, coordinator=coordinator,
                      finance=finance, source=budget.funding_source)  # fmt: skip
    request = aid_request_transition(
        request=request, to=AidStatus.PAID, actor=finance, payment_reference="BU-2026-0815"
    )
    assert (request.status, request.paid_by, request.payment_reference) == (AidStatus.PAID, finance, "BU-2026-0815")


def test_deliver_without_proof_is_refused(participant, coordinator, finance, budget):
    request = advance(make_request(participant, submit=True), AidStatus.PAID, coordinator=coordinator, finance=finance,
                      source=budget.funding_source)  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        aid_request_transition(request=request, to=AidStatus.DELIVERED, actor=finance)
    assert messages_of(caught.value) == [
        "Fügen Sie einen Beleg, einen Lieferschein oder ein Foto hinzu, bevor Sie die Lieferung erfassen."
    ]


def test_proof_add_stores_a_receipt_document(participant, coordinator, finance, budget):
    request = advance(make_request(participant, submit=True), AidStatus.PAID, coordinator=coordinator, finance=finance,
                      source=budget.funding_source)  # fmt: skip
    proof = aid_proof_add(request=request, uploaded_file=pdf_upload(), kind="receipt", reference="RE-77", actor=finance)
    assert proof.document.participant == participant
    assert proof.document.category == "receipt"
    assert proof.document.title == f"{request.number}: Quittung oder Rechnung RE-77"


def test_proof_add_refuses_a_file_of_the_wrong_type(participant, coordinator, finance, budget):
    from django.core.files.uploadedfile import SimpleUploadedFile

    request = advance(make_request(participant, submit=True), AidStatus.PAID, coordinator=coordinator, finance=finance,
                      source=budget.funding_source)  # fmt: skip
    fake = SimpleUploadedFile("beleg.pdf", b"MZ\x90\x00 not a pdf at all" * 10, content_type="application/pdf")
    with pytest.raises(ValidationError) as caught:
        aid_proof_add(request=request, uploaded_file=fake, kind="receipt", actor=finance)
    assert list(caught.value.message_dict) == ["file"]
    assert request.proofs.count() == 0


def test_proof_add_to_a_draft_is_refused(participant, counsellor):
    request = make_request(participant)
    with pytest.raises(ValidationError):
        aid_proof_add(request=request, uploaded_file=pdf_upload(), kind="receipt", actor=counsellor)


def test_full_workflow_is_audited_and_on_the_timeline(participant, counsellor, coordinator, finance, budget):
    request = make_request(participant, submit=True)
    request = advance(request, AidStatus.CLOSED, coordinator=coordinator, finance=finance, source=budget.funding_source)
    transitions = list(AidTransition.objects.filter(request=request).values_list("from_status", "to_status", "actor"))
    assert transitions == [
        ("draft", "submitted", counsellor.pk),
        ("submitted", "approved", coordinator.pk),
        ("approved", "ordered", finance.pk),
        ("ordered", "paid", finance.pk),
        ("paid", "delivered", finance.pk),
        ("delivered", "closed", finance.pk),
    ]
    kinds = list(CaseEvent.objects.filter(participant=participant, kind__startswith="aid_").order_by("at", "id")
                 .values_list("kind", flat=True))  # fmt: skip
    assert kinds == ["aid_created", "aid_submitted", "aid_approved", "aid_ordered", "aid_paid", "aid_proof_added",
                     "aid_delivered", "aid_closed"]  # fmt: skip


def test_timeline_message_is_translated(participant, coordinator, budget):
    from mira.participants.events import event_message

    request = advance(make_request(participant, submit=True), AidStatus.APPROVED, coordinator=coordinator,
                      source=budget.funding_source)  # fmt: skip
    event = CaseEvent.objects.get(participant=participant, kind="aid_approved")
    assert event_message(event) == f"Antrag auf Hilfe {request.number} bewilligt (400,00\u00a0€, gebucht auf AMIF)"


def test_cancel_needs_a_reason(participant, counsellor):
    request = make_request(participant)
    with pytest.raises(ValidationError) as caught:
        aid_request_transition(request=request, to=AidStatus.CANCELLED, actor=counsellor)
    assert caught.value.message_dict == {"comment": ["Geben Sie den Grund für die Stornierung an."]}


def test_cancel_after_approval_only_by_the_coordination(participant, counsellor, coordinator, budget):
    request = advance(make_request(participant, submit=True), AidStatus.APPROVED, coordinator=coordinator,
                      source=budget.funding_source)  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        aid_request_transition(request=request, to=AidStatus.CANCELLED, actor=counsellor, comment="Doch nicht")
    assert messages_of(caught.value) == [
        "Vor der Bewilligung können Berater:innen und die Projektleitung einen Antrag stornieren, "
        "danach nur noch die Projektleitung."
    ]
    request = aid_request_transition(request=request, to=AidStatus.CANCELLED, actor=coordinator, comment="Doch nicht")
    assert (request.status, request.cancellation_reason) == (AidStatus.CANCELLED, "Doch nicht")


def test_cancel_of_a_paid_request_is_refused(participant, coordinator, finance, budget):
    request = advance(make_request(participant, submit=True), AidStatus.PAID, coordinator=coordinator, finance=finance,
                      source=budget.funding_source)  # fmt: skip
    with pytest.raises(ValidationError):
        aid_request_transition(request=request, to=AidStatus.CANCELLED, actor=coordinator, comment="zu spät")


def test_reject_needs_a_reason(participant, coordinator):
    request = make_request(participant, submit=True)
    with pytest.raises(ValidationError) as caught:
        aid_request_transition(request=request, to=AidStatus.REJECTED, actor=coordinator, comment="")
    assert list(caught.value.message_dict) == ["comment"]


def test_items_of_a_submitted_request_cannot_change(participant, counsellor):
    request = make_request(participant, submit=True)
    items = [{"category": "stock", "description": "Stoffe", "amount": Decimal("1.00"), "supplier": ""}]
    with pytest.raises(ValidationError):
        aid_request_save(request=request, items=items, actor=counsellor)


def test_cap_follows_the_configured_periods(settings):
    settings.MIRA_AID_CAP_PERIODS = "2020-01-01=1000.00,2027-01-01=1200"
    assert aid_cap_on(datetime.date(2026, 12, 31)) == Decimal("1000.00")
    assert aid_cap_on(datetime.date(2027, 1, 1)) == Decimal("1200.00")
    assert aid_cap_on(datetime.date(2019, 6, 1)) == Decimal("0.00")


def test_cap_default_is_1000_euros(settings):
    settings.MIRA_AID_CAP_PERIODS = None
    assert aid_cap_on(datetime.date(2026, 5, 1)) == Decimal("1000.00")


def test_cap_of_the_approval_day_applies(settings, participant, coordinator, budget):
    settings.MIRA_AID_CAP_PERIODS = [(datetime.date(2020, 1, 1), Decimal("500.00"))]
    request = make_request(participant, amounts=["400.00"], submit=True)
    settings.MIRA_AID_CAP_PERIODS = [(datetime.date(2020, 1, 1), Decimal("300.00"))]
    with pytest.raises(ValidationError):
        aid_request_transition(
            request=request, to=AidStatus.APPROVED, actor=coordinator, funding_source=budget.funding_source
        )


def test_budget_cannot_drop_below_what_is_approved(participant, coordinator, budget):
    advance(make_request(participant, submit=True), AidStatus.APPROVED, coordinator=coordinator,
            source=budget.funding_source)  # fmt: skip
    budget.amount = Decimal("399.99")
    with pytest.raises(ValidationError) as caught:
        budget_save(budget=budget, actor=coordinator)
    assert caught.value.message_dict == {
        "amount": ["Das Budget kann nicht unter den bereits bewilligten 400,00\u00a0€ liegen."]
    }


def test_budget_save_by_finance_is_refused(finance, amif):
    from mira.aid.models import Budget

    with pytest.raises(ValidationError):
        budget_save(budget=Budget(funding_source=amif, year=2026, amount=Decimal("1.00")), actor=finance)
