"""The nine 公开表 as one .xlsx (`generate --tables-xlsx`): the 附表 figures of the Word document, one sheet per table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from generator.figures.report import Report, Subject, total
from generator.output_files import atomic_write
from generator.wording.numbers import WAN, cn_number
from generator.workbook.public_tables_import import TITLES

ZERO = Decimal(0)
MONEY_FORMAT = "#,##0.00"
UNIT_LINE = "金额单位：万元"
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONT, _BOLD = Font(name="宋体", size=10), Font(name="宋体", size=10, bold=True)
_HEADER_TOP = 4  # rows 1–3: title, year and table number, 编制单位 and 金额单位

Cell = str | Decimal | None  # text, an amount in 元, or an empty cell
Header = tuple[tuple[tuple[str, int], ...], ...]  # rows of (label, columns spanned); "^" continues the cell above


@dataclass(frozen=True)
class PublicTable:
    """One 公开表: its number, title, header and rows (amounts in 元, as the report holds them)."""

    no: str
    title: str
    header: Header
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[int, ...]
    bold: frozenset[int] = frozenset()  # indexes of rows printed in bold (合计, 类)
    empty_note: str = ""

    @property
    def sheet_name(self) -> str:
        return f"公开{self.no}表"


_CODED_BUDGET: Header = ((("科目编码", 1), ("科目名称", 1), ("预算数", 1), ("决算数", 3)),
                         (("^", 1), ("^", 1), ("^", 1), ("合计", 1), ("基本支出", 1), ("项目支出", 1)))
_BUDGET_COLUMNS = ("budget", "total", "basic", "project")
INCOME_ROWS = (("gp_income", "一、一般公共预算财政拨款收入"), ("fund_income", "二、政府性基金预算财政拨款收入"),
               ("soe_income", "三、国有资本经营预算财政拨款收入"), ("superior_grant", "四、上级补助收入"),
               ("business_income", "五、事业收入"), ("operating_income", "六、经营收入"),
               ("affiliate_income", "七、附属单位上缴收入"), ("other_income", "八、其他收入"))
FISCAL_ROWS = (("income", "本年财政拨款收入"), ("opening", "年初财政拨款结转和结余"),
               ("expense", "本年财政拨款支出"), ("closing", "年末财政拨款结转和结余"))
THREE_COLUMNS = ("total", "abroad", "car", "car_purchase", "car_running", "reception")


def _subject_rows(subs: tuple[Subject, ...], cols: tuple[str, ...]) -> tuple[tuple[tuple[Cell, ...], ...], frozenset[int]]:
    """A 合计 row (the sum of the 类 rows), then every subject row; 合计 and 类 rows bold."""
    rows: list[tuple[Cell, ...]] = [("", "合计", *(total(s.row.num(c) for s in subs if s.level == 1) for c in cols))]
    rows += [(s.code, s.name, *(s.row.num(c) for c in cols)) for s in subs]
    return tuple(rows), frozenset({0} | {i for i, s in enumerate(subs, 1) if s.level == 1})


def _t01(r: Report) -> PublicTable:
    s = r.data.table("summary")
    left: list[tuple[str, Decimal | None]] = [(name, s.get(key).num("current")) for key, name in INCOME_ROWS]
    right: list[tuple[str, Decimal | None]] = [
        (f"{cn_number(i)}、{sub.name}", sub.row.num("total"))
        for i, sub in enumerate((x for x in r.expense_subjects if x.level == 1), 1)]
    height = max(len(left), len(right))
    left += [("", None)] * (height - len(left))
    right += [("", None)] * (height - len(right))
    rows: list[tuple[Cell, ...]] = [(a, x, b, y) for (a, x), (b, y) in zip(left, right, strict=True)]
    rows += [
        ("本年收入合计", r.income_total.current, "本年支出合计", r.expense_total.current),
        ("使用非财政拨款结余", s.get("use_nonfiscal_balance").num("current"),
         "结余分配", s.get("surplus_distribution").num("current")),
        ("年初结转和结余", s.get("opening_balance").num("current"), "年末结转和结余", s.get("closing_balance").num("current")),
        ("总计", r.income_grand_total.current, "总计", r.expense_grand_total.current),
    ]
    header: Header = ((("收入", 2), ("支出", 2)), (("项目", 1), ("决算数", 1), ("项目", 1), ("决算数", 1)))
    return PublicTable("01", TITLES["01"], header, tuple(rows), (40, 18, 40, 18), frozenset(range(height, height + 4)))


def _t02(r: Report) -> PublicTable:
    cols = ("total", "fiscal", "superior", "business", "operating", "affiliate", "other")
    rows, bold = _subject_rows(r.income_subjects, cols)
    header: Header = ((("科目编码", 1), ("科目名称", 1), ("本年收入合计", 1), ("财政拨款收入", 1), ("上级补助收入", 1),
                       ("事业收入", 1), ("经营收入", 1), ("附属单位上缴收入", 1), ("其他收入", 1)),)
    return PublicTable("02", TITLES["02"], header, rows, (11, 34, *(15,) * 7), bold)


def _t03(r: Report) -> PublicTable:
    cols = ("total", "basic", "project", "remit", "operating", "subsidy")
    rows, bold = _subject_rows(r.expense_subjects, cols)
    header: Header = ((("科目编码", 1), ("科目名称", 1), ("本年支出合计", 1), ("基本支出", 1), ("项目支出", 1),
                       ("上缴上级支出", 1), ("经营支出", 1), ("对附属单位补助支出", 1)),)
    return PublicTable("03", TITLES["03"], header, rows, (11, 36, *(16,) * 6), bold)


def _t04(r: Report) -> PublicTable:
    fz = r.data.table("fiscal")
    rows = tuple((label, *(fz.get(key).num(c) for c in ("gp", "fund", "soe")),
                  sum((fz.get(key).num(c) for c in ("gp", "fund", "soe")), ZERO)) for key, label in FISCAL_ROWS)
    header: Header = ((("项目", 1), ("财政拨款", 4)),
                      (("^", 1), ("一般公共预算", 1), ("政府性基金预算", 1), ("国有资本经营预算", 1), ("合计", 1)))
    return PublicTable("04", TITLES["04"], header, rows, (34, 18, 18, 18, 18))


def _budget_table(no: str, subs: tuple[Subject, ...], empty: str = "") -> PublicTable:
    rows, bold = _subject_rows(subs, _BUDGET_COLUMNS) if subs else ((), frozenset())
    return PublicTable(no, TITLES[no], _CODED_BUDGET, rows, (12, 40, 17, 17, 17, 17), bold, "" if subs else empty)


def _t06(r: Report) -> PublicTable:
    rows: list[tuple[Cell, ...]] = [("", "合计", r.basic_personnel + r.basic_public, r.basic_personnel, r.basic_public)]
    basic = r.data.table("basic").rows
    rows += [(b.text("code"), b.text("name"), b.num("personnel") + b.num("public"), b.num("personnel"), b.num("public"))
             for b in basic]
    bold = frozenset({0} | {i for i, b in enumerate(basic, 1) if len(b.text("code")) == 3})
    header: Header = ((("经济分类编码", 1), ("科目名称", 1), ("合计", 1), ("人员经费", 1), ("公用经费", 1)),)
    return PublicTable("06", TITLES["06"], header, tuple(rows), (14, 40, 18, 18, 18), bold)


def _t07(r: Report) -> PublicTable:
    items = [r.three(k) for k in THREE_COLUMNS]
    rows = (("预算数", *(i.budget for i in items)), ("决算数", *(i.actual for i in items)))
    header: Header = ((("项目", 1), ("合计", 1), ("因公出国（境）费", 1), ("公务用车购置及运行维护费", 3), ("公务接待费", 1)),
                      (("^", 1), ("^", 1), ("^", 1), ("小计", 1), ("公务用车购置费", 1), ("公务用车运行维护费", 1), ("^", 1)))
    return PublicTable("07", TITLES["07"], header, rows, (12, 16, 16, 16, 16, 18, 16))


def public_tables(r: Report) -> tuple[PublicTable, ...]:
    """The nine tables from the report's figures, cell for cell those of the Word document's 附表."""
    short = r.data.info("short_name") or r.data.info("name")
    return (_t01(r), _t02(r), _t03(r), _t04(r), _budget_table("05", r.gp_subjects), _t06(r), _t07(r),
            _budget_table("08", r.fund_subjects, f"注：{short}{r.year}年度无政府性基金预算财政拨款收支，本表无数据。"),
            _budget_table("09", r.soe_subjects, f"注：{short}{r.year}年度无国有资本经营预算财政拨款收支，本表无数据。"))


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
    wb = build_workbook(public_tables(report), report.data.info("name"), report.year)
    with atomic_write(Path(path)) as tmp:
        wb.save(tmp)
    return Path(path)


def tables_path(document: Path) -> Path:
    """Where `generate --tables-xlsx` puts the tables: beside the document, named after it."""
    return document.with_name(f"{document.stem}_公开表.xlsx")
