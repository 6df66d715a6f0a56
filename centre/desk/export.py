"""The desk's lists as Excel workbooks (openpyxl, write-only: rows stream out, memory stays flat).

Every text goes in as a string cell, never a formula: a reply or a label starting with `=` is shown,
not evaluated, when the monthly report is opened.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMN_WIDTH = 18

Value = str | int | float | None


Sheet = tuple[str, Sequence[str], Iterable[Sequence[Value]]]  # title, header, rows


def workbook(title: str, header: Sequence[str], rows: Iterable[Sequence[Value]]) -> bytes:
    """One sheet named `title`: a bold header row, then `rows`; the .xlsx file's bytes."""
    return workbook_of([(title, header, rows)])


def workbook_of(sheets: Iterable[Sheet]) -> bytes:
    """A sheet per (title, header, rows), in order, each with a bold header row; the file's bytes."""
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title[:31])  # Excel's limit on a sheet name
        for index in range(len(header)):
            sheet.column_dimensions[chr(ord("A") + index)].width = COLUMN_WIDTH
        sheet.append([_cell(sheet, name, bold) for name in header])
        for row in rows:
            sheet.append([_cell(sheet, value) for value in row])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(sheet: WriteOnlyWorksheet, value: Value, font: Font | None = None) -> Cell:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # text, even when it starts with "=": never a formula
    if font is not None:
        cell.font = font
    return cell
