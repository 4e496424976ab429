"""Import of the directory from XLSX or CSV (the format of exporters.py, see columns.py).

All or nothing: every row is checked, and if any row (or the file itself) has an
error, nothing is imported. Rows are matched on `reference`: an existing
organisation or offer is updated, a new reference creates one. Nothing is deleted.
"""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from mira.network.columns import (
    OFFER_COLUMNS,
    ORGANISATION_COLUMNS,
    SHEET_NAMES,
    TABLES,
    CellError,
    Column,
    text_of,
    value_from_cell,
)
from mira.network.models import Offer, Organisation

MAX_ROWS = 5000
MAX_COLUMNS = 60
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary Excel format (.xls)


class ImportFileError(Exception):
    """The file as a whole cannot be read; nothing of it is imported."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass
class Table:
    name: str  # "organisations" or "offers"
    headers: list[str]
    rows: list[tuple[int, list]]  # (row number as the spreadsheet shows it, raw cells)


@dataclass
class RowResult:
    table: str
    row: int
    reference: str
    status: str = ""  # created, updated, unchanged, error
    messages: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    file_name: str
    dry_run: bool = False
    file_errors: list[str] = field(default_factory=list)
    rows: list[RowResult] = field(default_factory=list)
    imported: bool = False

    @property
    def error_rows(self) -> list[RowResult]:
        return [row for row in self.rows if row.status == "error"]

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors or self.error_rows)

    def count(self, table: str, status: str) -> int:
        return sum(1 for row in self.rows if row.table == table and row.status == status)

    @property
    def summary(self) -> dict[str, dict[str, int]]:
        return {
            table: {status: self.count(table, status) for status in ("created", "updated", "unchanged", "error")}
            for table in TABLES
        }


# -- reading the file --------------------------------------------------------


def read_tables(*, name: str, content: bytes) -> list[Table]:
    """The tables of an XLSX workbook (sheets "organisations", "offers") or of one CSV file.

    The format is taken from the content, not the name; a file named .xlsx that is
    not a workbook is refused.
    """
    if not content.strip():
        raise ImportFileError([_("The file is empty.")])
    if content.startswith(ZIP_MAGIC):
        return _read_xlsx(name, content)
    if content.startswith(OLE_MAGIC):
        raise ImportFileError(
            [
                _("“%(name)s” is in the old Excel format (.xls). Save it as an Excel workbook (.xlsx) or CSV.")
                % {"name": name}
            ]
        )
    if name.lower().endswith((".xlsx", ".xlsm")):
        raise ImportFileError(
            [_("“%(name)s” is not an Excel workbook, although its name ends in .xlsx.") % {"name": name}]
        )
    return [_read_csv(name, content)]


def _read_xlsx(name: str, content: bytes) -> list[Table]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 (whatever breaks while reading an untrusted file means: not a workbook)
        raise ImportFileError([_("“%(name)s” is not an Excel workbook (.xlsx).") % {"name": name}]) from None
    tables = []
    try:
        for sheet in workbook.worksheets:
            table_name = next((t for t, names in SHEET_NAMES.items() if sheet.title.strip().casefold() in names), None)
            if table_name is None:
                continue
            rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
            header = next(rows, None) or ()
            body = []
            for number, cells in enumerate(rows, start=2):
                if number > 2 * MAX_ROWS:
                    # Formatted but empty rows count too, so a huge sheet is not read to its end.
                    raise ImportFileError([_("Too many rows: at most %(max)d per sheet.") % {"max": MAX_ROWS}])
                if _is_blank(cells):
                    continue
                if len(body) >= MAX_ROWS:
                    raise ImportFileError([_("Too many rows: at most %(max)d per sheet.") % {"max": MAX_ROWS}])
                body.append((number, list(cells)))
            tables.append(Table(table_name, [text_of(cell) for cell in header], body))
    finally:
        workbook.close()
    if not tables:
        raise ImportFileError([_("The workbook has no sheet named “organisations” or “offers”.")])
    return tables


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise ImportFileError([_("The file is neither an Excel workbook (.xlsx) nor a CSV text file.")])


def _read_csv(name: str, content: bytes) -> Table:
    text = _decode(content)
    first_line = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, [])
    body = []
    try:
        for number, cells in enumerate(reader, start=2):
            if _is_blank(cells):
                continue
            if len(body) >= MAX_ROWS:
                raise ImportFileError([_("Too many rows: at most %(max)d per file.") % {"max": MAX_ROWS}])
            body.append((number, cells))
    except csv.Error as error:
        raise ImportFileError([_("The CSV file cannot be read: %(error)s") % {"error": error}]) from None
    headers = [text_of(cell).casefold() for cell in header]
    # One CSV file holds one table; offers are recognised by their own columns.
    table_name = "offers" if {"organisation_reference", "title", "kind"} & set(headers) else "organisations"
    return Table(table_name, headers, body)


# -- checking and applying ---------------------------------------------------


def _header_errors(table: Table) -> list[str]:
    columns = TABLES[table.name]
    known = {column.header for column in columns}
    headers = [header.strip().casefold() for header in table.headers]
    label = _table_label(table.name)
    errors = []
    for header in headers:
        if header and header not in known:
            errors.append(
                _("%(table)s: unknown column “%(column)s”. Allowed columns: %(allowed)s.")
                % {"table": label, "column": header, "allowed": ", ".join(column.header for column in columns)}
            )
    for header in sorted({h for h in headers if h and headers.count(h) > 1}):
        errors.append(_("%(table)s: the column “%(column)s” appears twice.") % {"table": label, "column": header})
    for column in columns:
        if column.required and column.header not in headers:
            errors.append(
                _("%(table)s: the required column “%(column)s” is missing.") % {"table": label, "column": column.header}
            )
    return errors


def _table_label(name: str) -> str:
    return _("Organisations") if name == "organisations" else _("Offers")


def _cells_by_header(table: Table, cells: list) -> dict[str, object]:
    headers = [header.strip().casefold() for header in table.headers]
    return {header: cells[index] if index < len(cells) else None for index, header in enumerate(headers) if header}


def _is_blank(cells: list) -> bool:
    return all(text_of(cell) == "" for cell in cells)


def directory_import(*, name: str, content: bytes, actor, dry_run: bool = False) -> ImportReport:
    """Checks every row and, only if all are valid (and not dry_run), saves them in one transaction.

    Organisations are applied before offers, so an offer may name an organisation
    that the same file creates. Returns the row-by-row report.
    """
    report = ImportReport(file_name=name, dry_run=dry_run)
    try:
        tables = read_tables(name=name, content=content)
    except ImportFileError as error:
        report.file_errors = error.messages
        return report
    for table in tables:
        report.file_errors.extend(_header_errors(table))
    if report.file_errors:
        return report
    tables.sort(key=lambda table: 0 if table.name == "organisations" else 1)
    try:
        _check_and_apply(report, tables, actor, dry_run)
    except IntegrityError:
        # Someone saved the same reference while this import ran.
        report.imported = False
        report.file_errors.append(_("The directory was changed at the same time. Nothing was imported; try again."))
    return report


def _check_and_apply(report: ImportReport, tables: list[Table], actor, dry_run: bool) -> None:
    file_organisations: dict[str, RowResult] = {}
    with transaction.atomic():
        for table in tables:
            seen: dict[str, int] = {}
            for number, cells in table.rows:
                if _is_blank(cells):
                    continue
                values = _cells_by_header(table, cells)
                reference = text_of(values.get("reference")).lower()
                result = RowResult(table=table.name, row=number, reference=reference)
                report.rows.append(result)
                if reference and reference in seen:
                    result.status = "error"
                    result.messages.append(
                        _("Duplicate row: the reference “%(reference)s” already appears in row %(row)d.")
                        % {"reference": reference, "row": seen[reference]}
                    )
                    continue
                if reference:
                    seen[reference] = number
                if table.name == "organisations":
                    file_organisations[reference] = result
                    _apply_row(result, values, ORGANISATION_COLUMNS, Organisation, actor, file_organisations)
                else:
                    _apply_row(result, values, OFFER_COLUMNS, Offer, actor, file_organisations)
        report.imported = not report.has_errors and not dry_run
        if not report.imported:
            transaction.set_rollback(True)


def _apply_row(result: RowResult, values: dict, columns, model, actor, file_organisations) -> None:
    if not result.reference:
        result.status = "error"
        result.messages.append(_("The reference is empty."))
        return
    instance = model.objects.filter(reference=result.reference).first()
    is_new = instance is None
    if is_new:
        instance = model(reference=result.reference)
    before = {column.field: _field_value(instance, column) for column in columns} if not is_new else {}
    for column in columns:
        if column.header not in values or column.kind == "reference":
            continue
        label = column.header
        try:
            value = value_from_cell(column, values[column.header])
            if column.required and value in ("", None):
                raise CellError(_("This value is required."))
            if column.kind == "organisation":
                value = _organisation_for(value, file_organisations)
        except CellError as error:
            result.messages.append(f"{label}: {error}")
            continue
        setattr(instance, column.field, value)
    if result.messages:
        result.status = "error"
        return
    try:
        instance.full_clean()
    except ValidationError as error:
        for field_name, messages in error.message_dict.items():
            prefix = _column_header(columns, field_name)
            result.messages.extend(f"{prefix}: {message}" if prefix else message for message in messages)
        result.status = "error"
        return
    if is_new:
        result.status = "created"
    else:
        result.changed = [column.header for column in columns if before[column.field] != _field_value(instance, column)]
        result.status = "updated" if result.changed else "unchanged"
    if result.status != "unchanged":
        instance._history_user = actor
        instance.save()


def _field_value(instance, column: Column):
    if column.kind == "organisation":
        return instance.organisation_id
    return getattr(instance, column.field)


def _column_header(columns, field_name: str) -> str:
    for column in columns:
        if column.field == field_name:
            return column.header
    return ""


def _organisation_for(reference: str, file_organisations: dict[str, RowResult]) -> Organisation:
    reference = reference.lower()
    organisation = Organisation.objects.filter(reference=reference).first()
    if organisation is not None:
        return organisation
    if reference in file_organisations:
        raise CellError(
            _("the organisation “%(reference)s” (row %(row)d of the organisations) has errors.")
            % {"reference": reference, "row": file_organisations[reference].row}
        )
    raise CellError(_("no organisation with the reference “%(reference)s”.") % {"reference": reference})
