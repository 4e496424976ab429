"""The XLSX for the proof of use (Verwendungsnachweis) of in-kind aid."""

import datetime
import io
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from mira.aid.models import AidCategory, AidRequest, FundingSource
from mira.core.spreadsheets import keep_text

EURO_FORMAT = '#,##0.00 "€"'
DATE_FORMAT = "DD.MM.YYYY"


def _local_day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None


def proof_references(aid_request: AidRequest) -> str:
    """ "RE-2026-117 (document 42); photo (document 43)": what a checker looks up in the case file."""
    parts = []
    for proof in aid_request.proofs.all():
        label = proof.reference or proof.get_kind_display()
        parts.append(_("%(label)s (document %(id)s)") % {"label": label, "id": proof.document_id})
    return "; ".join(parts)


def aid_export_filename(
    *, date_from: datetime.date, date_to: datetime.date, funding_source: FundingSource | None
) -> str:  # fmt: skip
    source = slugify(funding_source.code) if funding_source else slugify(pgettext("aid", "all"))
    return f"mira-hilfe-{source}-{date_from:%Y%m%d}-{date_to:%Y%m%d}.xlsx"


def aid_export_xlsx(
    *,
    requests: list[AidRequest],
    date_from: datetime.date,
    date_to: datetime.date,
    funding_source: FundingSource | None,
    include_names: bool,
) -> bytes:
    """One row per item: case number (and name, only if asked), request, category, description,
    supplier, amount, approved on, funding source, paid on, payment reference, receipt reference;
    then the totals approved and paid. Amounts in euros, dates as dates."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = pgettext("aid", "In-kind aid")[:31]
    sheet.append([_("MIRA in-kind aid: proof of use")])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(
        [
            pgettext("aid", "Period"),
            f"{date_format(date_from, 'SHORT_DATE_FORMAT')} – {date_format(date_to, 'SHORT_DATE_FORMAT')}",
            pgettext("aid", "Funding source"),
            funding_source.name if funding_source else pgettext("aid", "All funding sources"),
            pgettext("aid", "Created on"),
            date_format(timezone.localdate(), "SHORT_DATE_FORMAT"),
        ]
    )
    sheet.append([])
    headers = [pgettext("aid", "Case number")]
    if include_names:
        headers.append(pgettext("aid", "Name"))
    headers += [
        pgettext("aid", "Request"),
        pgettext("aid", "Category"),
        pgettext("aid", "Description"),
        pgettext("aid", "Supplier"),
        pgettext("aid", "Amount (EUR)"),
        pgettext("aid", "Approved on"),
        pgettext("aid", "Funding source"),
        pgettext("aid", "Paid on"),
        pgettext("aid", "Payment reference"),
        pgettext("aid", "Receipt reference"),
    ]
    sheet.append(headers)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    amount_column = headers.index(pgettext("aid", "Amount (EUR)")) + 1
    date_columns = [headers.index(pgettext("aid", "Approved on")) + 1, headers.index(pgettext("aid", "Paid on")) + 1]

    approved_total = Decimal("0.00")
    paid_total = Decimal("0.00")
    # Translated once: get_category_display() would translate every label of the category list per row.
    category_labels = {value: str(label) for value, label in AidCategory.choices}
    for aid_request in requests:
        receipts = proof_references(aid_request)
        for item in aid_request.items.all():
            row = [aid_request.participant.case_number]
            if include_names:
                row.append(aid_request.participant.full_name)
            row += [
                aid_request.number,
                category_labels.get(item.category, item.category),
                item.description,
                item.supplier or None,
                item.amount,
                _local_day(aid_request.decided_at),
                aid_request.budget.funding_source.name if aid_request.budget else "",
                _local_day(aid_request.paid_at),
                aid_request.payment_reference or None,
                receipts or None,
            ]
            sheet.append(row)
            approved_total += item.amount
            if aid_request.paid_at:
                paid_total += item.amount
    for row in sheet.iter_rows(min_row=header_row + 1):
        row[amount_column - 1].number_format = EURO_FORMAT
        for column in date_columns:
            row[column - 1].number_format = DATE_FORMAT
        keep_text(row)  # a description or supplier typed as "=..." stays text in the funder's workbook

    sheet.append([])
    for label, value in (
        (pgettext("aid", "Total approved"), approved_total),
        (pgettext("aid", "Total paid"), paid_total),
    ):
        sheet.append([label] + [None] * (amount_column - 2) + [value])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        total_cell = sheet.cell(row=sheet.max_row, column=amount_column)
        total_cell.number_format = EURO_FORMAT
        total_cell.font = Font(bold=True)

    widths = {
        pgettext("aid", "Description"): 40,
        pgettext("aid", "Receipt reference"): 36,
        pgettext("aid", "Supplier"): 24,
        pgettext("aid", "Name"): 24,
    }
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = widths.get(header, 16)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
