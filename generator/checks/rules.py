"""Consistency (勾稽) checks: one registry of small rules over a unit's data, each finding located to its cells.

A rule is a function `(Checker) -> None` registered with `@rule(id, severity, title)`; it reports findings
through the checker, which applies the tolerance of rules.md (exact in 元; in 万元 a difference up to
0.01 万元 per part is a rounding note).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from generator.errors import Location
from generator.figures.evaluation import Performance, build_performance, computed_score
from generator.figures.report import INCOME_SOURCES, Subject, prior, subjects, sum_or_none, typed_or_sum
from generator.vocabulary import ERROR, NOTE, SEVERITY_ORDER, WARNING, Severity
from generator.workbook import schema
from generator.workbook.model import Cell, Row, Table, UnitData

ZERO = Decimal(0)
CENT_OF_WAN = Decimal(100)  # 0.01 万元 in 元


@dataclass(frozen=True)
class Involved:
    """A cell a finding speaks of, with the value found there (in the workbook's unit)."""

    where: Location
    label: str
    value: str


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    cells: tuple[Involved, ...] = ()
    tolerance: str = ""
    unit: str = ""

    @property
    def sheet(self) -> str:
        return self.cells[0].where.sheet if self.cells else ""


@dataclass(frozen=True)
class Settings:
    """What the user may tune: the year-on-year change above which a reason is expected."""

    yoy_threshold: Decimal = Decimal("0.10")


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    title: str
    check: Callable[[Checker], None]


RULES: list[Rule] = []


def rule(rule_id: str, severity: Severity, title: str) -> Callable[[Callable[[Checker], None]], Callable[[Checker], None]]:
    """Register a rule; `severity` is what it reports unless the tolerance makes a difference a rounding note."""

    def register(func: Callable[[Checker], None]) -> Callable[[Checker], None]:
        RULES.append(Rule(rule_id, severity, title, func))
        return func

    return register


@dataclass
class Checker:
    """Runs the rules over one unit and collects their findings."""

    data: UnitData
    settings: Settings = field(default_factory=Settings)
    previous: UnitData | None = None
    findings: list[Finding] = field(default_factory=list)
    current: Rule | None = None
    _performance: Performance | None = None

    def report_performance(self) -> Performance:
        """The unit's 绩效 figures, computed once per check run."""
        if self._performance is None:
            # no rule reads the department's execution score, so the stated 本年支出合计 serves as its 执行数
            self._performance = build_performance(self.data, self.data.table("summary").get("expense_total").num("current"))
        return self._performance

    @property
    def in_wan(self) -> bool:
        return self.data.info("money_unit") == "万元"

    def show(self, yuan: Decimal) -> str:
        """A value as the workbook wrote it (元 or 万元)."""
        value = yuan / Decimal(10000) if self.in_wan else yuan
        return f"{value.normalize():f}" if value == value.to_integral_value() else f"{value:f}".rstrip("0")

    def unit_label(self) -> str:
        return "万元" if self.in_wan else "元"

    def involved(self, cell: Cell | None, label: str) -> Involved:
        if cell is None:
            return Involved(Location(self.data.path), label, "")
        value = cell.value
        shown = self.show(value) if isinstance(value, Decimal) else "" if value is None else str(value)
        return Involved(cell.where, label, shown)

    def report(self, message: str, cells: Iterable[Involved] = (), severity: Severity | None = None, tolerance: str = "") -> None:
        assert self.current is not None
        self.findings.append(Finding(self.current.id, severity or self.current.severity, message, tuple(cells),
                                     tolerance, self.data.info("name")))

    def equal(self, what: str, total: tuple[Cell | None, str], parts: list[tuple[Cell | None, str]],
              total_value: Decimal | None = None) -> None:
        """total = sum(parts), within the tolerance of rules.md."""
        expected = sum((_num(c) for c, _ in parts), ZERO)
        actual = _num(total[0]) if total_value is None else total_value
        diff = actual - expected
        if diff == 0:
            return
        allowed = CENT_OF_WAN * max(len(parts), 1) if self.in_wan else ZERO
        tolerance = f"±{self.show(allowed)}{self.unit_label()}" if self.in_wan else "精确相等"
        severity = NOTE if abs(diff) <= allowed else None
        names = "、".join(label for _, label in parts) if len(parts) <= 4 else "各项"
        self.report(f"{what}：{total[1]} {self.show(actual)}，而{names}"
                    f"之和为 {self.show(expected)}，相差 {self.show(abs(diff))}{self.unit_label()}"
                    + ("（在四舍五入误差范围内）" if severity == NOTE else ""),
                    [self.involved(total[0], total[1]), *(self.involved(cell, label) for cell, label in parts)],
                    severity=severity, tolerance=tolerance)

    def not_above(self, what: str, small: tuple[Cell | None, str], big: tuple[Cell | None, str],
                  small_value: Decimal | None = None, big_value: Decimal | None = None) -> None:
        a = _num(small[0]) if small_value is None else small_value
        b = _num(big[0]) if big_value is None else big_value
        if a > b:
            self.report(f"{what}：{small[1]} {self.show(a)} 大于 {big[1]} {self.show(b)}",
                        [self.involved(small[0], small[1]), self.involved(big[0], big[1])])


def _num(cell: Cell | None) -> Decimal:
    return ZERO if cell is None or not isinstance(cell.value, Decimal) else cell.value


def _cell(row: Row, key: str) -> Cell | None:
    return row.cells.get(key)


def _income_total(summary: Table) -> Decimal:
    """本年收入合计 as the document prints it: the stated total, or the sum of the sources when left blank."""
    return typed_or_sum(summary.get("income_total").num("current"),
                        (summary.get(k).num("current") for k, _ in INCOME_SOURCES))


def _typed(row: Row, key: str) -> bool:
    """The workbook states this total (a blank total is computed from its parts, nothing to compare)."""
    return row.num(key) != 0


# ---------------------------------------------------------------- 01 收支总表
@rule("01-收入合计", ERROR, "本年收入合计 = 各项收入之和")
def _income_sum(c: Checker) -> None:
    t = c.data.table("summary")
    for col, label in (("current", "本年数"), ("previous", "上年数")):
        if _typed(t.get("income_total"), col):
            c.equal(f"收支总表{label}", (_cell(t.get("income_total"), col), "本年收入合计"),
                    [(_cell(t.get(k), col), n) for k, n in INCOME_SOURCES])


@rule("01-总计", ERROR, "收入总计、支出总计 = 本年合计 + 结余项目；收入总计 = 支出总计")
def _grand_totals(c: Checker) -> None:
    t = c.data.table("summary")
    income = _income_total(t)
    parts_in = [(_cell(t.get("income_total"), "current"), "本年收入合计"), (_cell(t.get("use_nonfiscal_balance"), "current"), "使用非财政拨款结余"),
                (_cell(t.get("opening_balance"), "current"), "年初结转和结余")]
    parts_out = [(_cell(t.get("expense_total"), "current"), "本年支出合计"), (_cell(t.get("surplus_distribution"), "current"), "结余分配"),
                 (_cell(t.get("closing_balance"), "current"), "年末结转和结余")]
    in_total = income + t.get("use_nonfiscal_balance").num("current") + t.get("opening_balance").num("current")
    out_total = sum((_num(cell) for cell, _ in parts_out), ZERO)
    if _typed(t.get("income_grand_total"), "current"):
        c.equal("收支总表", (_cell(t.get("income_grand_total"), "current"), "收入总计"), parts_in)
        in_total = t.get("income_grand_total").num("current")
    if _typed(t.get("expense_grand_total"), "current"):
        c.equal("收支总表", (_cell(t.get("expense_grand_total"), "current"), "支出总计"), parts_out)
        out_total = t.get("expense_grand_total").num("current")
    if in_total != out_total:
        c.report(f"收入总计 {c.show(in_total)} 与支出总计 {c.show(out_total)} 不相等（收支总计应平衡）",
                 [c.involved(_cell(t.get("income_grand_total"), "current"), "收入总计"),
                  c.involved(_cell(t.get("expense_grand_total"), "current"), "支出总计"),
                  c.involved(_cell(t.get("closing_balance"), "current"), "年末结转和结余")])


# 收支总表 totals the report sums from these rows when the total's 上年数 is left blank (report.py::_stated)
_STATED_PARTS = {
    "income_total": tuple(k for k, _ in INCOME_SOURCES),
    "income_grand_total": ("income_total", "use_nonfiscal_balance", "opening_balance"),
    "expense_grand_total": ("expense_total", "surplus_distribution", "closing_balance"),
}


def _stated_previous_total(t: Table, key: str) -> tuple[Decimal | None, Decimal, list[str]]:
    """(上年数, 本年数, rows it was read from) of a 收支总表 row as the documents take it: a typed total, or the
    sum of its parts where the total is left blank; 上年数 None when it is not given (a part with a 本年数 is blank)."""
    row = t.get(key)
    parts = [_stated_previous_total(t, k) for k in _STATED_PARTS.get(key, ())]
    if not parts:
        return prior(row.optional("previous"), row.num("current")), row.num("current"), [key]
    current = typed_or_sum(row.num("current"), (p[1] for p in parts))
    typed = row.optional("previous")
    summed = None if typed else sum_or_none(p[0] for p in parts)
    if summed is None:
        return prior(typed, current), current, [key]
    return summed, current, [k for p in parts for k in p[2]]


def _rounding(c: Checker, diff: Decimal, parts: int) -> tuple[Severity | None, str]:
    """The severity a difference gets under the tolerance of rules.md (None: the rule's own), and that tolerance."""
    allowed = CENT_OF_WAN * max(parts, 1) if c.in_wan else ZERO
    tolerance = f"±{c.show(allowed)}{c.unit_label()}" if c.in_wan else "精确相等"
    return (NOTE if abs(diff) <= allowed else None), tolerance


@rule("01-上年总计", WARNING, "上年数：收入总计 = 支出总计（总计未填时按其各部分相加，与文档所用的数相同）；"
                            "上年数抄自上年决算，不平衡只作警告")
def _previous_grand_totals(c: Checker) -> None:
    t = c.data.table("summary")
    income, _, in_keys = _stated_previous_total(t, "income_grand_total")
    expense, _, out_keys = _stated_previous_total(t, "expense_grand_total")
    if income is None or expense is None or income == expense:
        return  # a 上年数 not given is the template requirement's concern, not a disagreement
    severity, tolerance = _rounding(c, income - expense, len(in_keys) + len(out_keys) - 1)

    def how(keys: list[str], total: str) -> str:
        return "" if keys == [total] else f"（未填，按{'、'.join(_row_label(t, k) for k in keys)}相加）"

    c.report(f"收支总表上年数：收入总计 {c.show(income)}{how(in_keys, 'income_grand_total')} 与支出总计 "
             f"{c.show(expense)}{how(out_keys, 'expense_grand_total')} 不相等，相差 {c.show(abs(income - expense))}"
             f"{c.unit_label()}（收支总计应平衡）" + ("（在四舍五入误差范围内）" if severity == NOTE else ""),
             [c.involved(_cell(t.get(k), "previous"), f"上年{_row_label(t, k)}") for k in in_keys + out_keys],
             severity=severity, tolerance=tolerance)


# ---------------------------------------------------------------- coded tables: rows and 类/款/项 sums
_ROW_SUMS = {
    "income": ("total", ("fiscal", "superior", "business", "operating", "affiliate", "other")),
    "expense": ("total", ("basic", "project", "remit", "operating", "subsidy")),
    "gp": ("total", ("basic", "project")),
    "fund": ("total", ("basic", "project")),
    "soe": ("total", ("basic", "project")),
}
_TREE_COLUMNS = {
    "income": ("total", "fiscal", "superior", "business", "operating", "affiliate", "other"),
    "expense": ("total", "basic", "project", "remit", "operating", "subsidy"),
    "gp": ("budget", "total", "basic", "project", "previous"),
    "fund": ("budget", "total", "basic", "project", "previous"),
    "soe": ("budget", "total", "basic", "project", "previous"),
    "basic": ("personnel", "public", "previous"),
}


@rule("行合计", ERROR, "每行的合计 = 各分项之和（02、03、05、08、09表）")
def _row_sums(c: Checker) -> None:
    for key, (total, parts) in _ROW_SUMS.items():
        table = c.data.table(key)
        sheet = schema.sheet(key)
        for row in table.rows:
            if row.num(total) == 0 and all(row.num(p) == 0 for p in parts):
                continue
            c.equal(f"{table.sheet} {row.text('code')} {row.text('name')}", (_cell(row, total), sheet.column(total).label),
                    [(_cell(row, p), sheet.column(p).label) for p in parts])


def _children_of(subs: tuple[Subject, ...]) -> dict[str, list[Subject]]:
    """The rows directly below each 类 (its 款) and 款 (its 项), by the parent's code: codes have 3, 5 or 7 digits
    (the reader refuses others), so a row's parent is its code without the last two (scanning the table for each
    row made the check quadratic)."""
    children: dict[str, list[Subject]] = {}
    for s in subs:
        if len(s.code) > 3:
            children.setdefault(s.code[:-2], []).append(s)
    return children


@rule("类款项", ERROR, "每个类 = 其下各款之和，每个款 = 其下各项之和；项、款须有所属的类、款")
def _trees(c: Checker) -> None:
    for key, columns in _TREE_COLUMNS.items():
        table = c.data.table(key)
        sheet = schema.sheet(key)
        subs = subjects(table) if key != "basic" else _economic(table)
        codes = {s.code for s in subs}
        children = _children_of(subs)
        for s in subs:
            parent = s.code[:-2] if len(s.code) > 3 else None
            if parent and parent not in codes:
                c.report(f"{table.sheet}：{s.code} {s.name} 没有所属的{'类' if len(parent) == 3 else '款'}（{parent}）行",
                         [c.involved(_cell(s.row, "code"), "科目编码")], severity=ERROR)
            kids = children.get(s.code, [])
            if not kids:
                continue
            for col in columns:
                if col == "previous" and all(k.row.optional(col) is None for k in kids):
                    continue  # last year's figure given for the 类 only: nothing below it to disagree with
                c.equal(f"{table.sheet} {s.code} {s.name}", (_cell(s.row, col), f"{s.name}{sheet.column(col).label}"),
                        [(_cell(k.row, col), f"{k.code}") for k in kids])


def _economic(table: Table) -> tuple[Subject, ...]:
    return tuple(Subject(r.text("code"), r.text("name"), r.text("name"), 1 if len(r.text("code")) == 3 else 2, r)
                 for r in table.rows)


def _top(c: Checker, key: str, col: str) -> tuple[Decimal, list[tuple[Cell | None, str]]]:
    subs = subjects(c.data.table(key)) if key != "basic" else _economic(c.data.table(key))
    tops = [s for s in subs if s.level == 1]
    return sum((s.row.num(col) for s in tops), ZERO), [(_cell(s.row, col), f"{s.code}") for s in tops]


# ---------------------------------------------------------------- across tables
@rule("表间-收入", ERROR, "01表本年收入合计 = 02表合计；01表财政拨款收入 = 02表财政拨款收入")
def _income_across(c: Checker) -> None:
    t = c.data.table("summary")
    if not c.data.table("income").rows:
        return
    _, parts = _top(c, "income", "total")
    stated = _income_total(t)
    c.equal("收支总表与收入决算表", (_cell(t.get("income_total"), "current"), "01表本年收入合计"), parts, total_value=stated)
    _, fparts = _top(c, "income", "fiscal")
    stated_fiscal = sum((t.get(k).num("current") for k in ("gp_income", "fund_income", "soe_income")), ZERO)
    c.equal("收支总表与收入决算表", (_cell(t.get("gp_income"), "current"), "01表财政拨款收入（三项）"), fparts, total_value=stated_fiscal)


@rule("表间-支出", ERROR, "01表本年支出合计 = 03表合计")
def _expense_across(c: Checker) -> None:
    t = c.data.table("summary")
    if not c.data.table("expense").rows:
        return
    _, parts = _top(c, "expense", "total")
    c.equal("收支总表与支出决算表", (_cell(t.get("expense_total"), "current"), "01表本年支出合计"), parts)


@rule("表间-财政拨款", ERROR, "04表与01、05、08、09表一致；04表收支总计平衡")
def _fiscal_across(c: Checker) -> None:
    f, s = c.data.table("fiscal"), c.data.table("summary")
    for col, source, label in (("gp", "gp_income", "一般公共预算"), ("fund", "fund_income", "政府性基金预算"),
                               ("soe", "soe_income", "国有资本经营预算")):
        c.equal(f"财政拨款收支总表与收支总表（{label}）", (_cell(f.get("income"), col), f"04表本年财政拨款收入·{label}"),
                [(_cell(s.get(source), "current"), f"01表{label}财政拨款收入")])
    for col, key, label in (("gp", "gp", "一般公共预算支出表"), ("fund", "fund", "政府性基金表"), ("soe", "soe", "国有资本经营表")):
        if c.data.table(key).rows or f.get("expense").num(col):
            _, parts = _top(c, key, "total")
            c.equal(f"财政拨款收支总表与{label}", (_cell(f.get("expense"), col), f"04表本年财政拨款支出·{schema.sheet('fiscal').column(col).label}"), parts)
    for col in ("gp", "fund", "soe"):
        income = f.get("income").num(col) + f.get("opening").num(col)
        expense = f.get("expense").num(col) + f.get("closing").num(col)
        if income != expense:
            c.report(f"财政拨款收支总表：收入（本年+年初）{c.show(income)} 与支出（本年+年末）{c.show(expense)} 不平衡",
                     [c.involved(_cell(f.get(k), col), k) for k in ("income", "opening", "expense", "closing")])


@rule("05-06基本支出", ERROR, "05表基本支出合计 = 06表人员经费 + 公用经费")
def _basic_across(c: Checker) -> None:
    if not c.data.table("basic").rows:
        return
    basic, _ = _top(c, "gp", "basic")
    _, personnel = _top(c, "basic", "personnel")
    _, public = _top(c, "basic", "public")
    c.equal("一般公共预算支出表与基本支出表", (None, "05表基本支出合计"), personnel + public, total_value=basic)


# ---------------------------------------------------------------- 07 三公经费
@rule("07-三公", ERROR, "“三公”合计 = 因公出国 + 公务用车（购置 + 运行） + 公务接待；外事接待 ≤ 公务接待；三公 ≤ 一般公共预算支出")
def _three_public(c: Checker) -> None:
    t = c.data.table("three_public")
    for col, label in (("budget", "预算数"), ("actual", "决算数"), ("previous", "上年决算数")):
        if _typed(t.get("total"), col):
            c.equal(f"三公经费表{label}", (_cell(t.get("total"), col), "合计"),
                    [(_cell(t.get(k), col), n) for k, n in (("abroad", "因公出国(境)费"), ("car_purchase", "公务用车购置费"),
                                                           ("car_running", "公务用车运行费"), ("reception", "公务接待费"))])
        if _typed(t.get("car"), col):
            c.equal(f"三公经费表{label}", (_cell(t.get("car"), col), "公务用车购置及运行费"),
                    [(_cell(t.get("car_purchase"), col), "购置费"), (_cell(t.get("car_running"), col), "运行费")])
        c.not_above(f"三公经费表{label}", (_cell(t.get("foreign_reception"), col), "外事接待费"),
                    (_cell(t.get("reception"), col), "公务接待费"))
    actual = sum((t.get(k).num("actual") for k in ("abroad", "car_purchase", "car_running", "reception")), ZERO)
    gp, _ = _top(c, "gp", "total")
    if actual > gp:
        c.report(f"“三公”经费决算数 {c.show(actual)} 大于一般公共预算财政拨款支出 {c.show(gp)}",
                 [c.involved(_cell(t.get("reception"), "actual"), "公务接待费")])


# ---------------------------------------------------------------- 其他事项
@rule("政府采购", ERROR, "授予中小企业合同金额 ≤ 政府采购总额；小微企业 ≤ 中小企业")
def _procurement(c: Checker) -> None:
    o = c.data.table("other")
    total = sum((o.get(k).num("current") for k in ("proc_goods", "proc_works", "proc_services")), ZERO)
    c.not_above("政府采购", (_cell(o.get("proc_sme"), "current"), "授予中小企业合同金额"),
                (_cell(o.get("proc_goods"), "current"), "政府采购总额（货物+工程+服务）"), big_value=total)
    c.not_above("政府采购", (_cell(o.get("proc_micro"), "current"), "授予小微企业合同金额"),
                (_cell(o.get("proc_sme"), "current"), "授予中小企业合同金额"))


@rule("机关运行经费", WARNING, "行政单位（含参公）机关运行经费 ≤ 公用经费")
def _running_cost(c: Checker) -> None:
    if c.data.info("unit_kind") not in ("行政单位", "参照公务员法管理的事业单位") or not c.data.table("basic").rows:
        return
    public, _ = _top(c, "basic", "public")
    o = c.data.table("other")
    c.not_above("机关运行经费", (_cell(o.get("running_cost"), "current"), "机关运行经费"), (None, "06表公用经费合计"),
                big_value=public)


@rule("部门预算", WARNING, "其他事项的“部门年初预算数”= 05表各类预算数合计（有08、09表时加上其预算数）：05表的预算数即年初预算数；"
                       "“部门全年预算数”含年中追加调整，不与05表比较")
def _department_budget(c: Checker) -> None:
    row = c.data.table("other").get("dept_initial_budget")
    stated = row.optional("current")
    if stated is None or not c.data.table("gp").rows:
        return  # not given: the 自评表 leaves it out; without a 05 table there is nothing to compare with
    parts: list[tuple[Cell | None, str]] = []
    for key in ("gp", "fund", "soe"):
        table = c.data.table(key)
        parts += [(_cell(s.row, "budget"), f"{table.sheet} {s.code} 预算数") for s in subjects(table) if s.level == 1]
    expected = sum((_num(cell) for cell, _ in parts), ZERO)
    if stated == expected:
        return
    severity, tolerance = _rounding(c, stated - expected, len(parts))
    tables = "、".join(dict.fromkeys(label.split(" ")[0] for _, label in parts))
    # 902.05 in a workbook kept in 元 next to 8969400: typed in 万元
    typed_in_wan = not c.in_wan and expected and abs(stated * 10000 - expected) <= expected / 10
    c.report(f"其他事项“部门年初预算数” {c.show(stated)} 与{tables}各类预算数合计 {c.show(expected)} 不一致，"
             f"相差 {c.show(abs(stated - expected))}{c.unit_label()}"
             + ("（在四舍五入误差范围内）" if severity == NOTE else
                "：像是按万元填写的，而本工作簿的金额单位是元" if typed_in_wan else
                "：两者都是年初预算数，应相同（年初预算含财政拨款以外的资金时才会不同，请核对）"),
             [c.involved(_cell(row, "current"), "部门年初预算数"), *(c.involved(cell, label) for cell, label in parts)],
             severity=severity, tolerance=tolerance)


@rule("项目执行", WARNING, "项目全年执行数与全年预算数不同（低于或超出）时应填写执行差异原因；项目执行数之和 ≤ 03表项目支出")
def _projects(c: Checker) -> None:
    rows = c.data.table("projects").rows
    for row in rows:
        if row.num("spent") != row.num("budget") and not row.text("shortfall_reason"):
            word = "大于" if row.num("spent") > row.num("budget") else "小于"
            c.report(f"项目“{row.text('name')}”全年执行数 {c.show(row.num('spent'))} {word}全年预算数 "
                     f"{c.show(row.num('budget'))}，但未填写原因（“执行差异原因”列）",
                     [c.involved(_cell(row, "spent"), "全年执行数"), c.involved(_cell(row, "budget"), "全年预算数"),
                      c.involved(_cell(row, "shortfall_reason"), "执行差异原因")])
    if rows and c.data.table("expense").rows:
        project, _ = _top(c, "expense", "project")
        spent = sum((r.num("spent") for r in rows), ZERO)
        if spent > project:
            c.report(f"各项目执行数之和 {c.show(spent)} 大于支出决算表的项目支出 {c.show(project)}",
                     [c.involved(_cell(r, "spent"), r.text("name")) for r in rows])


# ---------------------------------------------------------------- 绩效: scores and 分值
def _score_cell(row: Row, key: str, label: str) -> Involved:
    value = row.optional(key)
    return Involved(row.where(key), label, "" if value is None else f"{value.normalize():f}")


def _pts(value: Decimal) -> str:
    return f"{value.normalize():f}分"


def _scored_lines(c: Checker) -> Iterable[tuple[str, Row]]:
    """(what the line belongs to, row) for every indicator and scoring-grid line."""
    for row in c.data.table("indicators").rows:
        yield f"“{row.text('project')}”的指标“{row.text('level3')}”", row
    for row in c.data.table("grid").rows:
        yield f"评分表“{row.text('level3')}”", row


@rule("绩效-得分", ERROR, "得分不得高于分值；有分值的指标须有得分（定量指标可按完成值计算）；自评得分与指标得分之和一致")
def _scores(c: Checker) -> None:
    for what, row in _scored_lines(c):
        weight, score = row.optional("weight"), row.optional("score")
        score_key = "score"
        if score is not None and weight is not None and score > weight:
            c.report(f"{what}得分 {_pts(score)} 高于其分值 {_pts(weight)}",
                     [_score_cell(row, score_key, "得分"), _score_cell(row, "weight", "分值")])
        elif score is None and weight and computed_score(row.text("direction"), row.text("target"), row.text("actual"), weight) is None:
            c.report(f"{what}未填写得分，也无法由指标方向和指标值计算（定量指标请选择 ≥、≤ 或 =，并在指标值中写出数字）",
                     [_score_cell(row, score_key, "得分"), Involved(row.where("direction"), "指标方向", row.text("direction"))])
    for p in c.report_performance().projects:
        typed = p.row.optional("self_score")
        if typed is not None and p.scored.indicators and p.scored.total and typed != p.scored.total.score:
            c.report(f"项目“{p.name}”填写的自评得分 {_pts(typed)} 与执行率得分加各指标得分之和 {_pts(p.scored.total.score)} 不一致",
                     [_score_cell(p.row, "self_score", "自评得分")])


@rule("绩效-分值", ERROR, "每个项目（执行率分值 + 各指标分值）、部门整体（10 + 各指标分值）和评分表的分值合计为 100")
def _weights(c: Checker) -> None:
    perf = c.report_performance()
    full = Decimal(100)
    forms = [(f"项目“{p.name}”", p.scored, p.row) for p in perf.projects if p.scored.indicators]
    if perf.department.indicators:
        forms.append((f"{schema.DEPARTMENT}绩效指标", perf.department, None))
    if perf.grid.indicators:
        forms.append(("整体绩效评分表", perf.grid, None))
    for what, scored, row in forms:
        if scored.possible != full:
            cells = [_score_cell(i.row, "weight", i.level3) for i in scored.indicators]
            if row is not None:
                cells.insert(0, _score_cell(row, "exec_weight", "执行率分值"))
            exec_part = f"执行率分值 {_pts(scored.exec_weight)} 加" if scored.exec_weight else ""
            c.report(f"{what}的{exec_part}各指标分值合计为 {_pts(scored.possible)}，应为 100 分", cells)


@rule("绩效-指标", ERROR, "绩效指标表的项目名称须是“项目绩效”表中的项目或“部门整体”")
def _indicator_projects(c: Checker) -> None:
    names = {r.text("name") for r in c.data.table("projects").rows} | {schema.DEPARTMENT}
    for row in c.data.table("indicators").rows:
        if row.text("project") not in names:
            c.report(f"绩效指标“{row.text('level3')}”所属的项目“{row.text('project')}”不在“项目绩效”表中",
                     [Involved(row.where("project"), "项目名称", row.text("project"))])


@rule("绩效-扣分原因", WARNING, "得分低于分值的指标和评分项应写明原因")
def _score_reasons(c: Checker) -> None:
    perf = c.report_performance()
    lines = [i for p in perf.projects for i in p.scored.indicators] + list(perf.department.indicators) + list(perf.grid.indicators)
    for i in lines:
        if i.score < i.weight and not i.reason:
            c.report(f"指标“{i.level3}”得分 {_pts(i.score)} 低于分值 {_pts(i.weight)}，但未写明原因",
                     [_score_cell(i.row, "score", "得分"), Involved(i.row.where("reason"), "原因", "")])


# ---------------------------------------------------------------- reasons the document needs
def _yoy_figures(c: Checker) -> Iterable[tuple[str, Row, str, str, str]]:
    """(name, row, current column, previous column, reason column) of every figure the document compares with last year."""
    s, f, o, t = (c.data.table(k) for k in ("summary", "fiscal", "other", "three_public"))
    yield "本年收入合计", s.get("income_total"), "current", "previous", "reason"
    yield "本年支出合计", s.get("expense_total"), "current", "previous", "reason"
    yield "机关运行经费", o.get("running_cost"), "current", "previous", "note"
    for key, name in (("abroad", "因公出国(境)费"), ("car_running", "公务用车运行费"), ("car_purchase", "公务用车购置费"),
                      ("reception", "公务接待费")):
        yield name, t.get(key), "actual", "previous", "reason"


@rule("变动原因", WARNING, "与上年相比变动超过阈值（默认10%）的数字应有变动原因")
def _yoy_reasons(c: Checker) -> None:
    for name, row, cur, prev, why in _yoy_figures(c):
        a, b = row.num(cur), row.num(prev)
        if row.text(why) or a == b:
            continue
        if b == 0 or abs(a - b) / b > c.settings.yoy_threshold:
            rate = "上年为零" if b == 0 else f"变动{abs(a - b) / b * 100:.1f}%"
            c.report(f"{name}与上年相比{rate}（超过{c.settings.yoy_threshold * 100:.0f}%），但未填写变动原因",
                     [c.involved(_cell(row, cur), "本年"), c.involved(_cell(row, prev), "上年"), c.involved(_cell(row, why), "原因")])


@rule("预算差异原因", WARNING, "决算数与预算数不同的科目和“三公”经费应有差异原因")
def _budget_reasons(c: Checker) -> None:
    for s in subjects(c.data.table("gp")):
        if s.level == 3 and s.row.num("total") != s.row.num("budget") and not s.row.text("reason"):
            c.report(f"一般公共预算支出表 {s.code} {s.name}：决算数 {c.show(s.row.num('total'))} 与预算数 "
                     f"{c.show(s.row.num('budget'))} 不同，但未填写差异原因",
                     [c.involved(_cell(s.row, "total"), "决算数"), c.involved(_cell(s.row, "budget"), "预算数"),
                      c.involved(_cell(s.row, "reason"), "差异原因")])
    t = c.data.table("three_public")
    for key, name in (("total", "“三公”经费合计"), ("car", "公务用车购置及运行费"), ("reception", "公务接待费")):
        parts = {"total": ("abroad", "car_purchase", "car_running", "reception"), "car": ("car_purchase", "car_running"),
                 "reception": ("reception",)}[key]
        actual = sum((t.get(k).num("actual") for k in parts), ZERO)
        budget = sum((t.get(k).num("budget") for k in parts), ZERO)
        if actual != budget and budget != 0 and not t.get(key).text("budget_reason"):
            c.report(f"{name}决算数 {c.show(actual)} 与预算数 {c.show(budget)} 不同，但未填写差异原因",
                     [c.involved(_cell(t.get(key), "budget_reason"), "差异原因")])


_PLACEHOLDER = re.compile(r"0{6,}|[xX×*＊?？]|^[^1-9]*$")  # 0737-0000000, 0737-XXXXXXX, 0
_NAME_PLACEHOLDER = re.compile(r"[xX×*＊?？]|某某|待定|^[\W_]+$")  # XXX, ××, 某某, 待定, ——


@rule("联系方式", WARNING, "联系人、联系电话已填写且不是占位内容（如 0737-0000000、XXXX、某某）")
def _contact(c: Checker) -> None:
    info = c.data.table("info")
    contact, phone = info.get("contact"), info.get("phone")
    blank = [(row, label) for row, label in ((contact, "联系人"), (phone, "联系电话")) if not row.text("value").strip()]
    if blank:
        effects = {"联系人": "湖南样式自评表的“联系人”栏留空",
                   "联系电话": "重庆样式不印“决算公开联系方式”一节，湖南样式自评表、自评报告的联系电话栏留空"}
        c.report(f"基本信息“{'”“'.join(label for _, label in blank)}”未填写："
                 + "；".join(effects[label] for _, label in blank),
                 [c.involved(_cell(row, "value"), label) for row, label in blank])
    text = phone.text("value").strip()
    if text and _PLACEHOLDER.search(text):
        c.report(f"基本信息“联系电话”像是占位号码（{text}），会原样印在公开文档中：请填写真实的联系电话",
                 [c.involved(_cell(phone, "value"), "联系电话")], severity=ERROR)
    name = contact.text("value").strip()
    if name and _NAME_PLACEHOLDER.search(name):
        c.report(f"基本信息“联系人”像是占位内容（{name}），会原样印在湖南样式自评表中：请填写联系人或联系科室",
                 [c.involved(_cell(contact, "value"), "联系人")], severity=ERROR)


@rule("上年数", WARNING, "填写的上年数应与上年工作簿的本年数一致（给出上年工作簿时）")
def _previous_year(c: Checker) -> None:
    if c.previous is None:
        return
    pairs = [(c.data.table("summary"), c.previous.table("summary"), "current", "previous"),
             (c.data.table("three_public"), c.previous.table("three_public"), "actual", "previous"),
             (c.data.table("other"), c.previous.table("other"), "current", "previous")]
    for this, last, cur, prev in pairs:
        for key, row in this.by_key.items():
            stated, source = row.num(prev), last.get(key).num(cur)
            if prev in row.cells and stated != source and (stated or source):
                c.report(f"{this.sheet}“{_row_label(this, key)}”的上年数 {c.show(stated)} 与上年工作簿的本年数 {c.show(source)} 不一致",
                         [c.involved(_cell(row, prev), "上年数"), c.involved(_cell(last.get(key), cur), "上年工作簿")])
    last_gp = c.previous.table("gp").by_key
    for code, row in c.data.table("gp").by_key.items():
        if code in last_gp and row.num("previous") != last_gp[code].num("total"):
            c.report(f"一般公共预算支出表 {code} 的上年数 {c.show(row.num('previous'))} 与上年工作簿的决算数 "
                     f"{c.show(last_gp[code].num('total'))} 不一致",
                     [c.involved(_cell(row, "previous"), "上年数"), c.involved(_cell(last_gp[code], "total"), "上年工作簿")])


def _row_label(table: Table, key: str) -> str:
    sheet = next(s for s in schema.SHEETS if s.name == table.sheet)
    return next(f.label for f in sheet.rows if f.key == key)


# ---------------------------------------------------------------- --previous: 02, 03 and 06 (the 上年 figures they give)
# 收支总表 rows whose 上年数 is a column total of last year's 02 or 03 (summed over the 类 rows)
_PREVIOUS_TOTALS = (
    ("income", ("income_total",), "total"), ("income", ("gp_income", "fund_income", "soe_income"), "fiscal"),
    ("income", ("superior_grant",), "superior"), ("income", ("business_income",), "business"),
    ("income", ("operating_income",), "operating"), ("income", ("affiliate_income",), "affiliate"),
    ("income", ("other_income",), "other"), ("expense", ("expense_total",), "total"),
)


def _stated_previous(summary: Table, keys: tuple[str, ...]) -> Decimal | None:
    """The 上年数 of some 收支总表 rows as the document takes them; None when not given — the sheet has none of
    those rows, or one is blank while this year has a figure (blank is not zero: the template's previous.summary
    requirement names that cell, so there is no figure here to compare)."""
    present = [k for k in keys if "previous" in summary.get(k).cells]
    if not present:
        return None
    return sum_or_none(prior(summary.get(k).optional("previous"), _summary_current(summary, k)) for k in present)


def _summary_current(summary: Table, key: str) -> Decimal:
    """This year's figure of a 收支总表 row as the document prints it (a blank 本年收入合计 is its sources' sum)."""
    return _income_total(summary) if key == "income_total" else summary.get(key).num("current")


@rule("上年数", WARNING, "收支总表的上年数应与上年工作簿的收入决算表（02）、支出决算表（03）合计一致；"
                       "基本支出表（06）的上年数应与上年的人员经费 + 公用经费一致（给出上年工作簿时）")
def _previous_year_details(c: Checker) -> None:
    if c.previous is None:
        return
    summary = c.data.table("summary")
    for key, rows, column in _PREVIOUS_TOTALS:
        last = c.previous.table(key)
        if not last.rows:
            continue  # last year's workbook left the table empty: nothing to compare with
        source = sum((s.row.num(column) for s in subjects(last) if s.level == 1), ZERO)
        stated = _stated_previous(summary, rows)
        if stated is not None and stated != source and (stated or source):
            names = "、".join(_row_label(summary, k) for k in rows)
            head = schema.sheet(key).column(column).label
            c.report(f"收支总表“{names}”的上年数 {c.show(stated)} 与上年工作簿{last.sheet}合计的“{head}” {c.show(source)} 不一致",
                     [*(c.involved(_cell(summary.get(k), "previous"), "上年数") for k in rows),
                      Involved(Location(c.previous.path, last.sheet), f"上年{last.sheet}合计", c.show(source))])
    _previous_basic(c)


def _previous_basic(c: Checker) -> None:
    """06 by code, where this year's 上年数 is given: a blank cell is not given (the samples give 上年数 on the
    类 rows only), never a 0 that disagrees. A column left wholly blank is one finding naming it, not one per row."""
    assert c.previous is not None
    last = c.previous.table("basic").by_key
    pairs = [(code, row, last[code].num("personnel") + last[code].num("public"))
             for code, row in c.data.table("basic").by_key.items() if code in last]
    given = [(code, row, source) for code, row, source in pairs if row.optional("previous") is not None]
    if not given:
        had = [code for code, _, source in pairs if source != 0]
        if had:
            first, end = pairs[0][1].where("previous"), pairs[-1][1].where("previous")
            c.report(f"基本支出表的上年数一列没有填写，而上年工作簿有 {len(had)} 个经济分类科目的人员经费、公用经费",
                     [Involved(Location(first.file, first.sheet, f"{first.cell}:{end.cell}"), "上年数", "")])
        return
    for code, row, source in given:
        if row.num("previous") != source:
            c.report(f"基本支出表 {code} {row.text('name')} 的上年数 {c.show(row.num('previous'))} 与上年工作簿的人员经费 + 公用经费 "
                     f"{c.show(source)} 不一致",
                     [c.involved(_cell(row, "previous"), "上年数"), c.involved(_cell(last[code], "personnel"), "上年人员经费"),
                      c.involved(_cell(last[code], "public"), "上年公用经费")])


def check_same_unit(data: UnitData, previous: UnitData) -> None:
    """Last year's workbook must be the same unit's, one year earlier."""
    from generator.errors import InputError

    where = previous.table("info").get("code").where("value")
    if previous.info("code") != data.info("code"):
        raise InputError(f"上年工作簿是另一个单位的：单位编码 {previous.info('code')}（{previous.info('name')}），"
                         f"而本年为 {data.info('code')}（{data.info('name')}）", where)
    if int(previous.info("year")) != int(data.info("year")) - 1:
        raise InputError(f"上年工作簿的年度是 {previous.info('year')}，应为 {int(data.info('year')) - 1}",
                         previous.table("info").get("year").where("value"))




# Rows whose last-year figure the report adds up from other rows when it is left blank.
_SUMMED_PREVIOUS = {"summary": {"income_total", "income_grand_total", "expense_grand_total"},
                    "fiscal": {"income_total", "expense_total"}, "three_public": {"total", "car"}}


def _current(table: str, row: Row) -> Decimal:
    """This year's figure of a row, the one last year's is compared with."""
    if table == "fiscal":
        return row.num("gp") + row.num("fund") + row.num("soe")
    if table == "basic":
        return row.num("personnel") + row.num("public")
    return row.num({"gp": "total", "fund": "total", "soe": "total", "three_public": "actual"}.get(table, "current"))


def _previous_blank(data: UnitData, table: str, only: str = "") -> list[tuple[Row, str]]:
    """Rows a comparison with last year needs whose 上年数 is blank while this year has a figure."""
    if table not in ("summary", "fiscal", "gp", "basic", "three_public", "other"):
        return []
    t = data.table(table)
    sheet = schema.sheet(table)
    if sheet.layout == "coded":
        rows = [(r, f"{sheet.name} {r.text('code')} {r.text('name')}") for r in t.rows if len(r.text("code")) == 3]
    else:
        labels = {f.key: f.label for f in sheet.rows}
        rows = [(t.get(k), f"{sheet.name}“{labels[k]}”") for k in t.by_key
                if (k == only or not only) and k not in _SUMMED_PREVIOUS.get(table, set())]
    # the report's own rule for last year's figure (figures.report.prior): not given when this year has one
    return [(r, label) for r, label in rows if prior(r.optional("previous"), _current(table, r)) is None]


# Tables with a 上年 column, and the 其他事项 rows the documents compare with last year (the others are counts,
# or figures such as 政府采购 and 固定资产 that no document sets against last year's)
_PREVIOUS_TABLES = ("summary", "fiscal", "gp", "basic", "three_public", "other", "fund", "soe")
_OTHER_YEARLY = ("running_cost", "meeting", "training", "office_cost", "utilities_travel")
_MANY_CELLS = 3  # more blank cells than this are named as one range


def _previous_column(data: UnitData, table: str) -> list[Row]:
    """The rows of a table whose 上年数 counts: every row, in 其他事项 only the amounts compared with last year."""
    t = data.table(table)
    return [t.get(k) for k in _OTHER_YEARLY if k in t.by_key] if table == "other" else list(t.rows)


def _gives_previous(data: UnitData, table: str) -> bool:
    return any(r.optional("previous") for r in _previous_column(data, table))


def _blank_cells(sheet: str, rows: list[Row]) -> list[Involved]:
    """The blank 上年数 cells of `rows`, one by one, or as one range (E3:E30) when they are many."""
    places = [r.where("previous") for r in rows]
    if len(places) <= _MANY_CELLS:
        return [Involved(where, f"{sheet}上年数", "") for where in places]
    first, last = places[0], places[-1]
    return [Involved(Location(first.file, first.sheet, f"{first.cell}:{last.cell}"), f"{sheet}上年数", "")]


@rule("上年数空白", WARNING, "一张表的上年数整列空白（06表只在类级行填写上年数也算已填），而本单位在其他表填写了上年数："
                        "空白不等于0，文档无法与上年比较")
def _previous_column_blank(c: Checker) -> None:
    # with last year's workbook the 上年数 rule already names each blank cell of these tables against its source
    compared = ("summary", "gp", "basic", "three_public", "other") if c.previous is not None else ()
    given = [key for key in _PREVIOUS_TABLES if _gives_previous(c.data, key)]
    for key in _PREVIOUS_TABLES:
        rows = _previous_column(c.data, key)
        with_current = [r for r in rows if _current(key, r) != 0]  # a row with nothing this year needs nothing for last
        elsewhere = [schema.sheet(k).name for k in given if k != key]
        if key in compared or not with_current or not elsewhere or any(r.optional("previous") is not None for r in rows):
            continue
        sheet = schema.sheet(key).name
        c.report(f"{sheet}的上年数一列没有填写（{len(with_current)} 行有本年数），而{'、'.join(elsewhere)}填写了上年数："
                 "上年数空白表示未提供，不等于0；上年确为零请填0",
                 _blank_cells(sheet, with_current))


def template_findings(data: UnitData, requires: Iterable[str], template: str) -> list[Finding]:
    """What a template needs from the data beyond the 决算 tables (its .toml `requires`), as error findings."""
    out: list[Finding] = []

    def missing(message: str, where: Location, label: str) -> None:
        out.append(Finding("模板所需数据", ERROR, f"模板“{template}”需要：{message}", (Involved(where, label, ""),),
                           unit=data.info("name")))

    projects = data.table("projects")
    with_indicators = {r.text("project") for r in data.table("indicators").rows}
    for need in requires:
        kind, _, key = need.partition(".")
        if kind == "texts" and not data.text(key):
            row = schema.TEXTS.rows
            label = next((f.label for f in row if f.key == key), key)
            missing(f"文字材料“{label}”", data.table("texts").get(key).where("value") if key in data.table("texts").by_key
                    else Location(data.path, schema.TEXTS.name), label)
        elif kind == "projects" and key:
            label = schema.PROJECTS.column(key).label
            for r in projects.rows:
                if not r.text(key):
                    missing(f"项目“{r.text('name')}”的“{label}”", r.where(key), label)
        elif need == "projects" and not projects.rows:
            missing("至少一个项目（“项目绩效”表）", Location(data.path, schema.PROJECTS.name), "项目绩效")
        elif need == "indicators":
            for r in projects.rows:
                if r.text("name") not in with_indicators:
                    missing(f"项目“{r.text('name')}”的绩效指标（“绩效指标”表）", r.where("name"), "项目名称")
        elif need == "department_indicators" and schema.DEPARTMENT not in with_indicators:
            missing(f"部门整体的绩效指标（“绩效指标”表中项目名称填“{schema.DEPARTMENT}”）",
                    Location(data.path, schema.INDICATORS.name), "绩效指标")
        elif kind == "previous":
            for row, label in _previous_blank(data, *key.partition(".")[::2]):
                missing(f"{label}的上年数（本年有数而上年数空白；空白不等于0，上年确为零请填0）", row.where("previous"), label)
        elif need in ("grid", "evaluators") and not data.table(need).rows:
            sheet = schema.sheet(need)
            missing(f"“{sheet.name}”表", Location(data.path, sheet.name), sheet.name)
    return out


def run_checks(data: UnitData, settings: Settings | None = None, previous: UnitData | None = None) -> list[Finding]:
    """Every rule over one unit (and last year's workbook, when given); findings sorted errors first."""
    if previous is not None:
        check_same_unit(data, previous)
    checker = Checker(data, settings or Settings(), previous)
    for r in RULES:
        checker.current = r
        r.check(checker)
    return sorted(checker.findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.sheet))
