import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from mira.aid.models import AidRequest, AidStatus
from mira.aid.tests.factories import BudgetFactory, advance, make_request
from mira.participants.tests.factories import ParticipantFactory
from mira.privacy.models import AccessLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(centre, counsellor, coordinator, finance, budget, land):
    """Two AMIF requests (one paid with a receipt, one approved), one on the Land's budget, one still submitted."""
    BudgetFactory(funding_source=land, centre=centre, updated_by=coordinator)
    first = ParticipantFactory(centre=centre, case_number="EF-2026-0007", first_name="Nino", last_name="Lomidze",
                               assigned_counsellor=counsellor)  # fmt: skip
    second = ParticipantFactory(centre=centre, case_number="EF-2026-0011", first_name="Ali", last_name="Jaber",
                                assigned_counsellor=counsellor)  # fmt: skip
    paid = advance(make_request(first, amounts=["249.90", "150.10"], submit=True), AidStatus.DELIVERED,
                   coordinator=coordinator, finance=finance, source=budget.funding_source)  # fmt: skip
    approved = advance(make_request(second, amounts=["300.00"], submit=True), AidStatus.APPROVED,
                       coordinator=coordinator, source=budget.funding_source)  # fmt: skip
    advance(make_request(second, amounts=["100.00"], submit=True), AidStatus.APPROVED, coordinator=coordinator,
            source=land)  # fmt: skip
    make_request(second, amounts=["50.00"], submit=True)
    return paid, approved


def download(client, user, **params):
    from openpyxl import load_workbook

    client.force_login(user)
    today = timezone.localdate()
    query = {"date_from": f"{today.year}-01-01", "date_to": f"{today.year}-12-31", **params}
    response = client.get(reverse("aid:export"), query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return response, load_workbook(io.BytesIO(response.content)).active


def test_export_lists_every_item_of_the_source_cell_by_cell(client, finance, booked, amif):
    paid, approved = booked
    paid = AidRequest.objects.get(pk=paid.pk)
    approved = AidRequest.objects.get(pk=approved.pk)
    proof = paid.proofs.get()
    year = timezone.localdate().year
    response, sheet = download(client, finance, funding_source=amif.pk)

    assert response["Content-Disposition"] == f'attachment; filename="mira-hilfe-amif-{year}0101-{year}1231.xlsx"'
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    today = timezone.localdate()
    day = datetime.datetime.combine(today, datetime.time())
    assert rows[0][0] == "MIRA-Hilfe: Verwendungsnachweis"
    assert rows[1][:4] == ["Zeitraum", f"01.01.{year} – 31.12.{year}", "Förderquelle", "AMIF"]
    assert rows[3] == [
        "Fallnummer", "Antrag", "Kategorie", "Beschreibung", "Lieferant", "Betrag (EUR)", "Bewilligt am",
        "Förderquelle", "Bezahlt am", "Buchungsnummer", "Belegnummer",
    ]  # fmt: skip
    receipt = f"RE-1 (Dokument {proof.document_id})"
    assert rows[4:7] == [
        ["EF-2026-0007", paid.number, "Werkzeug und Ausstattung", "Werkzeug 1", "Baumarkt", 249.9, day, "AMIF", day,
         "BU-2026-1", receipt],
        ["EF-2026-0007", paid.number, "Werkzeug und Ausstattung", "Werkzeug 2", "Baumarkt", 150.1, day, "AMIF", day,
         "BU-2026-1", receipt],
        ["EF-2026-0011", approved.number, "Werkzeug und Ausstattung", "Werkzeug 1", "Baumarkt", 300, day, "AMIF", None,
         None, None],
    ]  # fmt: skip
    assert rows[7] == [None] * 11
    assert rows[8][:6] == ["Summe bewilligt", None, None, None, None, 700]
    assert rows[9][:6] == ["Summe bezahlt", None, None, None, None, 400]
    assert len(rows) == 10
    assert sheet["F5"].number_format == '#,##0.00 "€"'
    assert sheet["G5"].number_format == "DD.MM.YYYY"
    assert sheet["F9"].number_format == '#,##0.00 "€"'


def test_export_keeps_text_that_looks_like_a_formula_as_text(client, finance, booked):
    paid, _approved = booked
    paid.items.filter(description="Werkzeug 1").update(description='=HYPERLINK("http://example.org/x","Beleg")')
    paid.items.filter(description="Werkzeug 2").update(supplier="=1+1")
    _response, sheet = download(client, finance)
    cells = {cell.value: cell.data_type for row in sheet.iter_rows(min_row=5) for cell in row if cell.value}
    assert cells['=HYPERLINK("http://example.org/x","Beleg")'] == "s"
    assert cells["=1+1"] == "s"


def test_export_without_names_logs_nothing_and_names_nobody(client, finance, booked, amif):
    _response, sheet = download(client, finance)
    values = {cell for row in sheet.iter_rows(values_only=True) for cell in row}
    assert "Nino Lomidze" not in values
    assert "Ali Jaber" not in values
    assert AccessLog.objects.count() == 0


def test_export_of_all_sources_includes_the_land(client, finance, booked):
    _response, sheet = download(client, finance)
    amounts = [row[5] for row in sheet.iter_rows(min_row=5, values_only=True) if row[0] and row[0].startswith("EF-")]
    assert amounts == [249.9, 150.1, 300, 100]


def test_export_with_names_adds_the_column_and_logs_each_case(client, coordinator, booked, amif):
    _response, sheet = download(client, coordinator, funding_source=amif.pk, include_names="on")
    assert [cell.value for cell in sheet[4]][:3] == ["Fallnummer", "Name", "Antrag"]
    assert [row[1] for row in sheet.iter_rows(min_row=5, max_row=7, values_only=True)] == [
        "Nino Lomidze", "Nino Lomidze", "Ali Jaber",
    ]  # fmt: skip
    assert sheet["G9"].value == 700
    logged = sorted(AccessLog.objects.values_list("case_number", "what", "user"))
    assert logged == [("EF-2026-0007", "export", coordinator.pk), ("EF-2026-0011", "export", coordinator.pk)]


def test_export_outside_the_period_is_empty(client, finance, booked):
    _response, sheet = download(client, finance, date_from="2020-01-01", date_to="2020-12-31")
    assert sheet["A5"].value is None
    assert sheet["A6"].value == "Summe bewilligt"
    assert sheet["F6"].value == 0


def test_export_with_the_period_reversed_shows_an_error(client, finance):
    client.force_login(finance)
    response = client.get(reverse("aid:export"), {"date_from": "2026-12-31", "date_to": "2026-01-01"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"date_to": ["Der letzte Tag darf nicht vor dem ersten liegen."]}


def test_export_by_a_counsellor_is_forbidden(client, counsellor):
    client.force_login(counsellor)
    assert client.get(reverse("aid:export")).status_code == 403


def test_export_amounts_are_exact(client, finance, booked, amif):
    _response, sheet = download(client, finance, funding_source=amif.pk)
    assert Decimal(str(sheet["F5"].value)) + Decimal(str(sheet["F6"].value)) == Decimal("400.00")
