"""What MIRA's XLSX exports share (openpyxl)."""


def keep_text(cells) -> None:
    """Marks the text cells that openpyxl took for formulas (text starting with "=") as text again:
    what somebody typed must never run in the spreadsheet of whoever opens the export."""
    for cell in cells:
        if isinstance(cell.value, str) and cell.data_type == "f":
            cell.data_type = "s"
