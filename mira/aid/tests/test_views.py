from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from mira.aid.models import AidRequest, AidStatus, Budget
from mira.aid.selectors import aid_card_of_participant, participant_aid_summary
from mira.aid.services import aid_request_transition
from mira.aid.tests.factories import BudgetFactory, advance, make_request, pdf_upload
from mira.documents.validation import validate_upload
from mira.participants.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def item_data(*rows, justification="Nähmaschine für eine Schneiderei in Tiflis", extra=None):
    data = {
        "items-TOTAL_FORMS": str(len(rows)),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "1",
        "items-MAX_NUM_FORMS": "30",
        "justification": justification,
        "funding_source": "",
    }
    for index, (category, description, amount, supplier) in enumerate(rows):
        data.update({
            f"items-{index}-category": category,
            f"items-{index}-description": description,
            f"items-{index}-amount": amount,
            f"items-{index}-supplier": supplier,
        })  # fmt: skip
    data.update(extra or {})
    return data


def test_request_form_shows_the_remaining_cap(client, counsellor, participant):
    client.force_login(counsellor)
    response = client.get(reverse("aid:request_create", args=[participant.pk]))
    assert response.status_code == 200
    assert "1.000,00\u00a0€" in response.content.decode()


def test_request_create_saves_a_draft(client, counsellor, participant):
    client.force_login(counsellor)
    response = client.post(
        reverse("aid:request_create", args=[participant.pk]),
        item_data(("tools", "Nähmaschine", "249,90", "Nähwelt Erfurt"), ("stock", "Stoffe", "150.10", "")),
    )
    request = AidRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("aid:request_detail", args=[request.pk])
    assert (request.status, request.total, request.created_by) == (AidStatus.DRAFT, Decimal("400.00"), counsellor)


def test_request_create_with_submit_submits(client, counsellor, participant):
    client.force_login(counsellor)
    client.post(
        reverse("aid:request_create", args=[participant.pk]),
        item_data(("tools", "Nähmaschine", "400", ""), extra={"submit": "1"}),
    )
    assert AidRequest.objects.get().status == AidStatus.SUBMITTED


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-5", "Der Betrag muss größer als null sein."),
        ("0", "Der Betrag muss größer als null sein."),
        ("vierhundert", "Geben Sie den Betrag als Zahl in Euro ein, z. B. 249,90."),
        ("12,345", "Geben Sie höchstens zwei Nachkommastellen ein (Euro und Cent)."),
        ("", "Geben Sie den Betrag ein."),
    ],
)
def test_request_create_with_a_bad_amount_keeps_the_input(client, counsellor, participant, typed, message):
    client.force_login(counsellor)
    response = client.post(
        reverse("aid:request_create", args=[participant.pk]),
        item_data(("tools", "Bohrmaschine", typed, "Baumarkt Gera")),
    )
    assert response.status_code == 200
    formset = response.context["formset"]
    assert formset.forms[0].errors["amount"] == [message]
    html = response.content.decode()
    assert 'value="Bohrmaschine"' in html
    assert 'value="Baumarkt Gera"' in html
    assert "Nähmaschine für eine Schneiderei in Tiflis" in html
    assert 'id="id_items-0-amount_error"' in html
    assert AidRequest.objects.count() == 0


def test_request_create_over_the_remaining_cap_shows_the_remaining_amount(client, counsellor, coordinator, participant,
                                                                           budget):  # fmt: skip
    advance(make_request(participant, amounts=["400.00"], submit=True), AidStatus.APPROVED, coordinator=coordinator,
            source=budget.funding_source)  # fmt: skip
    client.force_login(counsellor)
    response = client.post(
        reverse("aid:request_create", args=[participant.pk]),
        item_data(("tools", "Schweißgerät", "700,00", "Metallbau"), extra={"submit": "1"}),
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Der Gesamtbetrag von 700,00\u00a0€ übersteigt die für EF-2026-0042 noch verfügbare Hilfe: 600,00\u00a0€ verbleiben "
        "von der Obergrenze von 1.000,00\u00a0€ (400,00\u00a0€ bereits bewilligt)."
    ]
    html = response.content.decode()
    assert 'value="700,00"' in html
    assert 'value="Schweißgerät"' in html
    assert AidRequest.objects.count() == 1


def test_add_item_gives_one_more_row_and_keeps_the_input(client, counsellor, participant):
    client.force_login(counsellor)
    response = client.post(
        reverse("aid:request_create", args=[participant.pk]),
        item_data(("tools", "Bohrmaschine", "120,00", ""), extra={"add_item": "1"}),
    )
    assert response.status_code == 200
    assert len(response.context["formset"].forms) == 2
    assert response.context["formset"].forms[0].errors == {}
    assert 'value="120,00"' in response.content.decode()
    assert AidRequest.objects.count() == 0


def test_remaining_hint_adds_up_what_is_typed(client, counsellor, participant):
    client.force_login(counsellor)
    response = client.post(
        reverse("aid:remaining", args=[participant.pk]),
        item_data(("tools", "A", "700,50", ""), ("tools", "B", "400", ""), ("tools", "C", "abc", "")),
    )
    html = response.content.decode()
    assert "<strong data-aid-total>1.100,50\u00a0€</strong>" in html
    assert "alert-danger" in html


def test_request_edit_replaces_the_items(client, counsellor, participant):
    request = make_request(participant, amounts=["100.00"])
    client.force_login(counsellor)
    data = item_data(("household", "Kühlschrank", "310,00", "Elektro"), extra={"version": str(request.version)})
    response = client.post(reverse("aid:request_edit", args=[request.pk]), data)
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.total == Decimal("310.00")
    assert list(request.items.values_list("description", flat=True)) == ["Kühlschrank"]


def test_request_edit_of_a_submitted_request_is_forbidden(client, counsellor, participant):
    request = make_request(participant, submit=True)
    client.force_login(counsellor)
    assert client.get(reverse("aid:request_edit", args=[request.pk])).status_code == 403


def test_approve_own_request_in_the_browser_shows_the_four_eyes_message(client, coordinator, participant, budget):
    request = make_request(participant, actor=coordinator, submit=True)
    client.force_login(coordinator)
    response = client.post(
        reverse("aid:request_transition", args=[request.pk, "approved"]),
        {"funding_source": budget.funding_source.pk, "comment": "ok"},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Sie haben diesen Antrag selbst geschrieben oder eingereicht. Eine andere Leitung muss darüber entscheiden "
        "(Vier-Augen-Prinzip)."
    ]
    assert "ok</textarea>" in response.content.decode()
    assert AidRequest.objects.get(pk=request.pk).status == AidStatus.SUBMITTED


def test_approve_over_the_budget_shows_the_error_at_the_funding_source(client, coordinator, participant, centre, amif):
    BudgetFactory(funding_source=amif, centre=centre, amount=Decimal("100.00"), updated_by=coordinator)
    request = make_request(participant, submit=True)
    client.force_login(coordinator)
    response = client.post(
        reverse("aid:request_transition", args=[request.pk, "approved"]), {"funding_source": amif.pk}
    )
    assert response.context["form"].errors["funding_source"] == [
        f"Das Budget „AMIF {Budget.objects.get().year}“ hat nur noch 100,00\u00a0€ übrig; dieser Antrag braucht 400,00\u00a0€."
    ]


def test_approve_in_the_browser_moves_the_request(client, coordinator, participant, budget):
    request = make_request(participant, submit=True)
    client.force_login(coordinator)
    response = client.post(
        reverse("aid:request_transition", args=[request.pk, "approved"]), {"funding_source": budget.funding_source.pk}
    )
    assert response.status_code == 302
    assert AidRequest.objects.get(pk=request.pk).status == AidStatus.APPROVED


def test_pay_of_an_unapproved_request_in_the_browser_shows_a_message(client, finance, participant):
    request = make_request(participant, submit=True)
    client.force_login(finance)
    response = client.post(
        reverse("aid:request_transition", args=[request.pk, "paid"]), {"payment_reference": "BU-4711"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Nur bewilligte oder bestellte Anträge können bezahlt werden. (Aktueller Status: Eingereicht.)"
    ]
    assert 'value="BU-4711"' in response.content.decode()


def test_pay_by_a_counsellor_is_forbidden(client, counsellor, coordinator, participant, budget):
    request = advance(make_request(participant, submit=True), AidStatus.APPROVED, coordinator=coordinator,
                      source=budget.funding_source)  # fmt: skip
    client.force_login(counsellor)
    response = client.post(reverse("aid:request_transition", args=[request.pk, "paid"]), {"payment_reference": "X"})
    assert response.status_code == 403


def test_unknown_transition_is_not_found(client, coordinator, participant):
    request = make_request(participant, submit=True)
    client.force_login(coordinator)
    assert client.get(reverse("aid:request_transition", args=[request.pk, "teleported"])).status_code == 404


def test_proof_upload_of_the_wrong_type_is_refused(client, finance, coordinator, participant, budget):
    request = advance(make_request(participant, submit=True), AidStatus.PAID, coordinator=coordinator,
                      finance=finance, source=budget.funding_source)  # fmt: skip
    client.force_login(finance)
    fake = SimpleUploadedFile("beleg.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    response = client.post(
        reverse("aid:proof_add", args=[request.pk]), {"file": fake, "kind": "receipt", "reference": "RE-99"}
    )
    assert response.status_code == 200
    with pytest.raises(ValidationError) as expected:
        validate_upload(SimpleUploadedFile("beleg.pdf", b"<html><script>alert(1)</script></html>"))
    assert response.context["form"].errors["file"] == expected.value.messages
    assert 'value="RE-99"' in response.content.decode()
    assert request.proofs.count() == 0


def test_proof_upload_stores_the_receipt(client, finance, coordinator, participant, budget):
    request = advance(make_request(participant, submit=True), AidStatus.PAID, coordinator=coordinator,
                      finance=finance, source=budget.funding_source)  # fmt: skip
    client.force_login(finance)
    response = client.post(
        reverse("aid:proof_add", args=[request.pk]), {"file": pdf_upload(), "kind": "receipt", "reference": "RE-99"}
    )
    assert response.status_code == 302
    assert list(request.proofs.values_list("reference", flat=True)) == ["RE-99"]


def test_request_detail_shows_finance_the_case_number_but_not_the_name(client, finance, participant):
    request = make_request(participant, submit=True)
    client.force_login(finance)
    html = client.get(reverse("aid:request_detail", args=[request.pk])).content.decode()
    assert "EF-2026-0042" in html
    assert participant.last_name not in html


def test_request_detail_shows_the_counsellor_the_name(client, counsellor, participant):
    request = make_request(participant, submit=True)
    client.force_login(counsellor)
    html = client.get(reverse("aid:request_detail", args=[request.pk])).content.decode()
    assert participant.full_name in html


def test_request_detail_of_another_centre_is_not_found(client, counsellor_other_centre, participant):
    request = make_request(participant, submit=True)
    client.force_login(counsellor_other_centre)
    assert client.get(reverse("aid:request_detail", args=[request.pk])).status_code == 404


def test_budget_create_with_a_bad_amount_keeps_the_input(client, coordinator, amif):
    client.force_login(coordinator)
    response = client.post(
        reverse("aid:budget_create"), {"funding_source": amif.pk, "year": "2026", "amount": "-100", "notes": "Bescheid"}
    )
    assert response.context["form"].errors == {"amount": ["Der Betrag darf nicht negativ sein."]}
    assert 'value="Bescheid"' in response.content.decode()
    assert Budget.objects.count() == 0


def test_budget_create_saves_for_the_own_centre(client, coordinator, amif, centre):
    client.force_login(coordinator)
    response = client.post(
        reverse("aid:budget_create"), {"funding_source": amif.pk, "year": "2026", "amount": "60.000,00", "notes": ""}
    )
    assert response.status_code == 200
    response = client.post(
        reverse("aid:budget_create"), {"funding_source": amif.pk, "year": "2026", "amount": "60000,00", "notes": ""}
    )
    assert response.status_code == 302
    budget = Budget.objects.get()
    assert (budget.centre, budget.amount, budget.updated_by) == (centre, Decimal("60000.00"), coordinator)


def test_budget_create_twice_for_the_same_year_is_refused(client, coordinator, budget):
    client.force_login(coordinator)
    response = client.post(
        reverse("aid:budget_create"),
        {"funding_source": budget.funding_source.pk, "year": str(budget.year), "amount": "10", "notes": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Für diese Förderquelle und dieses Jahr gibt es bereits ein Budget."
    ]


def test_budget_page_sums_planned_approved_paid_and_remaining(client, coordinator, finance, participant, budget):
    centre = participant.centre
    other = ParticipantFactory(centre=centre, assigned_counsellor=participant.assigned_counsellor)
    make_request(participant, amounts=["150.00"], submit=True, funding_source=budget.funding_source)
    advance(make_request(other, amounts=["400.00"], submit=True), AidStatus.PAID, coordinator=coordinator,
            finance=finance, source=budget.funding_source)  # fmt: skip
    advance(make_request(other, amounts=["250.00"], submit=True), AidStatus.APPROVED, coordinator=coordinator,
            source=budget.funding_source)  # fmt: skip
    client.force_login(finance)
    response = client.get(reverse("aid:budgets"))
    row = next(row for row in response.context["rows"] if row.budget == budget)
    assert (row.amount, row.planned, row.approved, row.paid, row.remaining) == (
        Decimal("50000.00"), Decimal("150.00"), Decimal("650.00"), Decimal("400.00"), Decimal("49350.00"),
    )  # fmt: skip


def test_case_aid_tag_shows_the_card_to_the_counsellor(counsellor, participant):
    make_request(participant, amounts=["930.00"])
    request = RequestFactory().get("/")
    request.user = counsellor
    html = Template("{% load aid_tags %}{% case_aid participant %}").render(
        Context({"request": request, "participant": participant})
    )
    assert "Neuer Antrag auf Hilfe" in html
    assert "930,00\u00a0€" in html
    assert "1.000,00\u00a0€" in html


def test_case_aid_card_sums_as_the_cap_check_does(counsellor, coordinator, participant, budget):
    """The card sums the case's requests itself: the same committed and pending amounts as
    participant_aid_summary, whatever the statuses, and the newest five requests listed."""
    source = budget.funding_source
    advance(make_request(participant, amounts=["120.00"], submit=True), AidStatus.APPROVED, coordinator=coordinator,
            source=source)  # fmt: skip
    cancelled = advance(make_request(participant, amounts=["300.00"], submit=True), AidStatus.APPROVED,
                        coordinator=coordinator, source=source)  # fmt: skip
    aid_request_transition(request=cancelled, to=AidStatus.CANCELLED, actor=coordinator, comment="storniert")
    make_request(participant, amounts=["55.50"], submit=True)
    for _ in range(3):
        make_request(participant, amounts=["10.00"])
    requests, summary = aid_card_of_participant(participant=participant)
    expected = participant_aid_summary(participant=participant)
    assert (summary.cap, summary.committed, summary.pending, summary.remaining) == (
        expected.cap, expected.committed, expected.pending, expected.remaining,
    ) == (Decimal("1000.00"), Decimal("120.00"), Decimal("55.50"), Decimal("880.00"))  # fmt: skip
    assert [r.pk for r in requests] == list(
        AidRequest.objects.filter(participant=participant).order_by("-created_at", "-id").values_list("pk", flat=True)
    )
    request = RequestFactory().get("/")
    request.user = counsellor
    html = Template("{% load aid_tags %}{% case_aid participant %}").render(
        Context({"request": request, "participant": participant})
    )
    assert html.count('class="list-group-item') == 5
    assert "Alle Anträge dieses Falls" in html
    assert "55,50\u00a0€" in html and "880,00\u00a0€" in html


def test_case_aid_tag_is_empty_for_the_psychologist(psychologist, participant):
    request = RequestFactory().get("/")
    request.user = psychologist
    html = Template("{% load aid_tags %}{% case_aid participant %}").render(
        Context({"request": request, "participant": participant})
    )
    assert html.strip() == ""


# ---------------------------------------------------------------- query counts of the list pages


def _fill(participant, coordinator, finance, source, count):
    """count requests awaiting approval, count approved, count paid without proof, on fresh cases."""
    for _ in range(count):
        case = ParticipantFactory(centre=participant.centre, assigned_counsellor=participant.assigned_counsellor)
        make_request(case, amounts=["10.00", "20.00"], submit=True)
        advance(make_request(case, amounts=["30.00"], submit=True), AidStatus.APPROVED, coordinator=coordinator,
                source=source)  # fmt: skip
        advance(make_request(case, amounts=["40.00"], submit=True), AidStatus.PAID, coordinator=coordinator,
                finance=finance, source=source)  # fmt: skip


LIST_PAGES = [
    ("aid:request_list", "counsellor"),
    ("aid:approval_queue", "coordinator"),
    ("aid:open_payments", "finance"),
    ("aid:missing_proofs", "finance"),
    ("aid:budgets", "coordinator"),
]


@pytest.mark.parametrize(("name", "who"), LIST_PAGES)
@pytest.mark.parametrize("rows", [1, 12])
def test_list_page_queries_do_not_grow_with_rows(
    request, client, django_assert_max_num_queries, participant, coordinator, finance, budget, name, who, rows
):
    _fill(participant, coordinator, finance, budget.funding_source, rows)
    client.force_login(request.getfixturevalue(who))
    with django_assert_max_num_queries(12):
        response = client.get(reverse(name))
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [1, 12])
def test_case_requests_queries_do_not_grow_with_rows(client, django_assert_max_num_queries, counsellor, participant,
                                                     rows):  # fmt: skip
    for _ in range(rows):
        make_request(participant, amounts=["10.00"])
    client.force_login(counsellor)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("aid:case_requests", args=[participant.pk]))
    assert len(response.context["requests"]) == rows


def test_request_form_offers_the_goals_of_the_agreed_roadmap(client, counsellor, participant):
    from mira.roadmap.tests.factories import AgreedVersionFactory, GoalFactory, RoadmapVersionFactory

    agreed = AgreedVersionFactory(roadmap__participant=participant)
    goal = GoalFactory(version=agreed, title="Tischlerei in Kutaissi eröffnen")
    GoalFactory(version=RoadmapVersionFactory(roadmap=agreed.roadmap, number=2), title="Entwurfsziel")
    client.force_login(counsellor)
    response = client.get(reverse("aid:request_create", args=[participant.pk]))
    assert list(response.context["form"].fields["roadmap_goal"].queryset) == [goal]
    data = item_data(("tools", "Hobelbank", "300", ""), extra={"roadmap_goal": str(goal.pk)})
    client.post(reverse("aid:request_create", args=[participant.pk]), data)
    request = AidRequest.objects.get()
    assert request.roadmap_goal == goal
    assert (
        "Tischlerei in Kutaissi eröffnen"
        in client.get(reverse("aid:request_detail", args=[request.pk])).content.decode()
    )


def test_request_form_refuses_a_goal_of_another_case(client, counsellor, participant):
    from mira.roadmap.tests.factories import AgreedVersionFactory, GoalFactory

    GoalFactory(version=AgreedVersionFactory(roadmap__participant=participant))
    foreign = GoalFactory(version=AgreedVersionFactory(roadmap__participant__centre=participant.centre))
    client.force_login(counsellor)
    data = item_data(("tools", "Hobelbank", "300", ""), extra={"roadmap_goal": str(foreign.pk)})
    response = client.post(reverse("aid:request_create", args=[participant.pk]), data)
    assert list(response.context["form"].errors) == ["roadmap_goal"]
    assert AidRequest.objects.count() == 0


def test_request_form_without_a_roadmap_has_no_goal_field(client, counsellor, participant):
    client.force_login(counsellor)
    response = client.get(reverse("aid:request_create", args=[participant.pk]))
    assert "roadmap_goal" not in response.context["form"].fields
