"""The nine 公开表 (公开01–09表) as rows of figures from the report: one definition for the Word 附表 and the .xlsx."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from generator.figures.report import Report, Subject, top_sum
from generator.wording.numbers import cn_number
from generator.workbook.schema import PUBLIC_TABLE_TITLES as TITLES

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
    rows: list[tuple[Cell, ...]] = [("", "合计", *(top_sum(subs, c) for c in cols))]
    rows += [(s.code, s.name, *(s.num(c) for c in cols)) for s in subs]
    return tuple(rows), frozenset({0} | {i for i, s in enumerate(subs, 1) if s.level == 1})


def _t01(r: Report) -> PublicTable:
    s = r.summary_rows
    left: list[tuple[str, Decimal | None]] = [(name, s[key].current) for key, name in INCOME_ROWS]
    right: list[tuple[str, Decimal | None]] = [
        (f"{cn_number(i)}、{sub.name}", sub.num("total"))
        for i, sub in enumerate((x for x in r.expense_subjects if x.level == 1), 1)]
    height = max(len(left), len(right))
    left += [("", None)] * (height - len(left))
    right += [("", None)] * (height - len(right))
    rows: list[tuple[Cell, ...]] = [(a, x, b, y) for (a, x), (b, y) in zip(left, right, strict=True)]
    rows += [
        ("本年收入合计", r.income_total.current, "本年支出合计", r.expense_total.current),
        ("使用非财政拨款结余", s["use_nonfiscal_balance"].current, "结余分配", s["surplus_distribution"].current),
        ("年初结转和结余", s["opening_balance"].current, "年末结转和结余", s["closing_balance"].current),
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
    fz = r.fiscal_rows
    rows = tuple((label, fz[key].gp, fz[key].fund, fz[key].soe, fz[key].total) for key, label in FISCAL_ROWS)
    header: Header = ((("项目", 1), ("财政拨款", 4)),
                      (("^", 1), ("一般公共预算", 1), ("政府性基金预算", 1), ("国有资本经营预算", 1), ("合计", 1)))
    return PublicTable("04", TITLES["04"], header, rows, (34, 18, 18, 18, 18))


def _budget_table(no: str, subs: tuple[Subject, ...]) -> PublicTable:
    rows, bold = _subject_rows(subs, _BUDGET_COLUMNS) if subs else ((), frozenset())
    return PublicTable(no, TITLES[no], _CODED_BUDGET, rows, (12, 40, 17, 17, 17, 17), bold)


def _t06(r: Report) -> PublicTable:
    rows: list[tuple[Cell, ...]] = [("", "合计", r.basic_personnel + r.basic_public, r.basic_personnel, r.basic_public)]
    basic = r.economic_items
    rows += [(b.code, b.name, b.personnel + b.public, b.personnel, b.public) for b in basic]
    bold = frozenset({0} | {i for i, b in enumerate(basic, 1) if b.level == 1})
    header: Header = ((("经济分类编码", 1), ("科目名称", 1), ("合计", 1), ("人员经费", 1), ("公用经费", 1)),)
    return PublicTable("06", TITLES["06"], header, tuple(rows), (14, 40, 18, 18, 18), bold)


def _t07(r: Report) -> PublicTable:
    items = [r.three(k) for k in THREE_COLUMNS]
    rows = (("预算数", *(i.budget for i in items)), ("决算数", *(i.actual for i in items)))
    header: Header = ((("项目", 1), ("合计", 1), ("因公出国（境）费", 1), ("公务用车购置及运行维护费", 3), ("公务接待费", 1)),
                      (("^", 1), ("^", 1), ("^", 1), ("小计", 1), ("公务用车购置费", 1), ("公务用车运行维护费", 1), ("^", 1)))
    return PublicTable("07", TITLES["07"], header, rows, (12, 16, 16, 16, 16, 18, 16))


# What each table would show: an all-zero table says the unit had none of it (本表无数据), like 08 and 09 always did
_EMPTY_SUBJECTS = {"01": "收入支出", "02": "收入", "03": "支出", "04": "财政拨款收入支出",
                   "05": "一般公共预算财政拨款支出", "06": "一般公共预算财政拨款基本支出",
                   "07": "一般公共预算财政拨款“三公”经费预算和支出",
                   "08": "政府性基金预算财政拨款收支", "09": "国有资本经营预算财政拨款收支"}


def _all_zero(table: PublicTable) -> bool:
    """No row, or no amount in any row other than zero or empty."""
    return not any(isinstance(cell, Decimal) and cell != 0 for row in table.rows for cell in row)


def _with_note(table: PublicTable, short: str, year: int) -> PublicTable:
    if table.empty_note or not _all_zero(table):
        return table
    return replace(table, empty_note=f"注：{short}{year}年度无{_EMPTY_SUBJECTS[table.no]}，本表无数据。")


def public_tables(r: Report) -> tuple[PublicTable, ...]:
    """The nine tables from the report's figures, cell for cell those of the Word document's 附表; a table with
    nothing in it carries a note saying so."""
    tables = (_t01(r), _t02(r), _t03(r), _t04(r), _budget_table("05", r.gp_subjects), _t06(r), _t07(r),
              _budget_table("08", r.fund_subjects), _budget_table("09", r.soe_subjects))
    return tuple(_with_note(t, r.unit.short, r.year) for t in tables)
