"""Export of the directory as XLSX (two sheets) or CSV (one file per table).

The format is the one the import reads (columns.py); inactive entries are
exported too, so an export imported again changes nothing.
"""

import csv
import io

from mira.core.spreadsheets import keep_text
from mira.network.columns import TABLES, cell_for_export, defuse_formula
from mira.network.models import Offer, Organisation


def _rows(table: str):
    columns = TABLES[table]
    if table == "organisations":
        instances = Organisation.objects.order_by("country", "name", "pk")
    else:
        instances = Offer.objects.select_related("organisation").order_by("organisation__reference", "title", "pk")
    for instance in instances:
        yield [cell_for_export(column, instance) for column in columns]


def directory_export_xlsx() -> bytes:
    """A workbook with the sheets "organisations" and "offers"."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    for table, columns in TABLES.items():
        sheet = workbook.create_sheet(table)
        sheet.append([column.header for column in columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for values in _rows(table):
            sheet.append(values)
        # Once over all rows: reading the last row after each append asks the sheet for its size,
        # which counts every cell (an export of 2,700 rows took two seconds).
        for row in sheet.iter_rows(min_row=2):
            keep_text(row)
        sheet.freeze_panes = "A2"
        for index, column in enumerate(columns, start=1):
            wide = column.header in ("name", "title", "services", "description", "address", "target_group")
            sheet.column_dimensions[get_column_letter(index)].width = 40 if wide else 18
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def directory_export_csv(table: str) -> bytes:
    """One table as CSV: semicolons and a UTF-8 byte order mark, as German Excel expects."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([column.header for column in TABLES[table]])
    for values in _rows(table):
        writer.writerow([defuse_formula(value) for value in values])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
