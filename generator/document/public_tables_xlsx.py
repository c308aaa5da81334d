"""The nine 公开表 as one .xlsx (`generate --tables-xlsx`): the 附表 figures of the Word document, one sheet per table."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from generator.document.public_tables import Header, PublicTable, public_tables
from generator.figures.report import Report, build_report
from generator.output_files import atomic_write
from generator.wording.numbers import WAN
from generator.workbook.model import UnitData

ZERO = Decimal(0)
MONEY_FORMAT = "#,##0.00"
UNIT_LINE = "金额单位：万元"
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONT, _BOLD = Font(name="宋体", size=10), Font(name="宋体", size=10, bold=True)
_HEADER_TOP = 4  # rows 1–3: title, year and table number, 编制单位 and 金额单位

def _number(yuan: Decimal) -> int | float:
    """An amount in 万元, exact: rounding is the number format's job, so sums in Excel stay true."""
    wan = yuan / WAN
    return int(wan) if wan == wan.to_integral_value() else float(wan)


def _preamble(ws: Worksheet, table: PublicTable, unit: str, year: int) -> None:
    """Title, year and table number, 编制单位 and 金额单位, as a published table opens."""
    width = len(table.widths)
    ws.cell(1, 1, table.title).font = Font(name="黑体", size=16)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(2, 1, f"{year}年度").font = _FONT
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width - 1)
    ws.cell(2, width, table.sheet_name).font = _FONT
    ws.cell(3, 1, f"编制单位：{unit}").font = _FONT
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=width - 1)
    ws.cell(3, width, UNIT_LINE).font = _FONT
    for row in (1, 2):
        ws.cell(row, 1).alignment = Alignment(horizontal="center", vertical="center")
    for row in (2, 3):
        ws.cell(row, width).alignment = Alignment(horizontal="right")
    ws.row_dimensions[1].height = 30


def _header(ws: Worksheet, header: Header) -> None:
    """Header rows with their merges: a span merges across, “^” merges with the cell above."""
    for r, cells in enumerate(header, _HEADER_TOP):
        c = 1
        for label, span in cells:
            if label == "^":  # the headers here are at most two rows deep
                ws.merge_cells(start_row=r - 1, start_column=c, end_row=r, end_column=c + span - 1)
            else:
                ws.cell(r, c, label)
                if span > 1:
                    ws.merge_cells(start_row=r, start_column=c, end_row=r, end_column=c + span - 1)
            c += span
        for col in range(1, c):
            cell = ws.cell(r, col)
            cell.font, cell.border = _BOLD, _BORDER
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _body(ws: Worksheet, table: PublicTable, first: int) -> int:
    """The data rows from row `first`; returns the row after the last."""
    for i, cells in enumerate(table.rows):
        for c, value in enumerate(cells, 1):
            cell = ws.cell(first + i, c)
            cell.border, cell.font = _BORDER, _BOLD if i in table.bold else _FONT
            if isinstance(value, Decimal):
                cell.value, cell.number_format = _number(value), MONEY_FORMAT
                cell.alignment = Alignment(horizontal="right", vertical="center")
            else:
                cell.value = value or None
                cell.number_format = "@"  # codes stay text (a leading zero, no 2.01e6)
                cell.alignment = Alignment(vertical="center", wrap_text=True)
    return first + len(table.rows)


def _print_setup(ws: Worksheet, header_rows: int) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.print_title_rows = f"{_HEADER_TOP}:{_HEADER_TOP + header_rows - 1}"
    ws.freeze_panes = ws.cell(_HEADER_TOP + header_rows, 1).coordinate


def write_sheet(ws: Worksheet, table: PublicTable, unit: str, year: int) -> None:
    """One 公开表 on one worksheet."""
    ws.title = table.sheet_name
    _preamble(ws, table, unit, year)
    _header(ws, table.header)
    end = _body(ws, table, _HEADER_TOP + len(table.header))
    if table.empty_note:
        ws.cell(end, 1, table.empty_note).font = _FONT
    for c, width in enumerate(table.widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = width
    _print_setup(ws, len(table.header))


def build_workbook(tables: Sequence[PublicTable], unit: str, year: int) -> Workbook:
    wb = Workbook()
    for i, table in enumerate(tables):
        write_sheet(wb.active if i == 0 else wb.create_sheet(), table, unit, year)
    return wb


def write_public_tables(report: Report, path: str | Path) -> Path:
    """Write the nine tables of `report` to `path` (through a temporary file; an older file is replaced)."""
    wb = build_workbook(public_tables(report), report.unit.name, report.year)
    with atomic_write(Path(path)) as tmp:
        wb.save(tmp)
    return Path(path)


def write_tables_beside(data: UnitData, document: Path) -> Path:
    """The nine 公开表 of a unit's (or a 部门汇总's) data as one .xlsx beside its `document` (`--tables-xlsx`),
    from the same figures."""
    return write_public_tables(build_report(data), tables_path(document))


def tables_path(document: Path) -> Path:
    """Where `generate --tables-xlsx` puts the tables: beside the document, named after it."""
    return document.with_name(f"{document.stem}_公开表.xlsx")
