"""The computing layer: UnitData → Report, every figure the layouts need, as exact Decimals.

Knows the domain only: no openpyxl, no docx, no text formatting.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from generator.figures.evaluation import Performance, build_performance
from generator.workbook.model import Row, Table, UnitData

ZERO = Decimal(0)


@dataclass(frozen=True)
class Figure:
    """A figure with last year's value and the reason for its change."""

    current: Decimal
    previous: Decimal = ZERO
    reason: str = ""


@dataclass(frozen=True)
class Part:
    """One named part of a whole (an income source, a 类, a “三公” item)."""

    name: str
    amount: Decimal


@dataclass(frozen=True)
class Subject:
    """A row of a 功能分类 table with its level and full name path."""

    code: str
    name: str
    path: str
    level: int
    row: Row


@dataclass(frozen=True)
class BudgetLine:
    """决算 against 预算 for one subject or item."""

    name: str
    actual: Decimal
    budget: Decimal
    reason: str = ""
    code: str = ""


@dataclass(frozen=True)
class ThreePublicItem:
    key: str
    name: str
    actual: Decimal
    budget: Decimal
    previous: Decimal
    reason: str
    budget_reason: str


@dataclass(frozen=True)
class Project:
    name: str
    budget: Decimal
    spent: Decimal
    fiscal_budget: Decimal
    fiscal_spent: Decimal
    row: Row


@dataclass(frozen=True)
class Report:
    """Everything computed for one unit; the templates only place what is here."""

    data: UnitData
    year: int
    income_sources: tuple[Part, ...]
    income_total: Figure
    expense_parts: tuple[Part, ...]
    expense_total: Figure
    income_grand_total: Figure
    expense_grand_total: Figure
    fiscal_income_total: Figure
    fiscal_expense_total: Figure
    gp_total: Figure
    gp_budget: Decimal
    gp_by_class: tuple[Part, ...]
    gp_lines: tuple[BudgetLine, ...]
    gp_subjects: tuple[Subject, ...]
    expense_subjects: tuple[Subject, ...]
    income_subjects: tuple[Subject, ...]
    fund_subjects: tuple[Subject, ...]
    soe_subjects: tuple[Subject, ...]
    basic_personnel: Decimal
    basic_public: Decimal
    personnel_items: tuple[str, ...]
    public_items: tuple[str, ...]
    three_public: tuple[ThreePublicItem, ...]
    fund_total: Decimal
    soe_total: Decimal
    running_cost: Figure
    procurement: tuple[Part, ...]
    procurement_sme: Decimal
    procurement_micro: Decimal
    projects: tuple[Project, ...]
    performance: Performance

    def three(self, key: str) -> ThreePublicItem:
        return next(i for i in self.three_public if i.key == key)

    @property
    def three_public_parts(self) -> tuple[Part, ...]:
        """The three items of “三公” spending, as the text and the chart both show them."""
        return (Part("因公出国（境）费", self.three("abroad").actual),
                Part("公务用车购置及运行维护费", self.three("car").actual),
                Part("公务接待费", self.three("reception").actual))

    @property
    def procurement_total(self) -> Decimal:
        return sum((p.amount for p in self.procurement), ZERO)


INCOME_SOURCES = (
    ("gp_income", "一般公共预算财政拨款收入"),
    ("fund_income", "政府性基金预算财政拨款收入"),
    ("soe_income", "国有资本经营预算财政拨款收入"),
    ("superior_grant", "上级补助收入"),
    ("business_income", "事业收入"),
    ("operating_income", "经营收入"),
    ("affiliate_income", "附属单位上缴收入"),
    ("other_income", "其他收入"),
)
EXPENSE_PARTS = (
    ("basic", "基本支出"), ("project", "项目支出"), ("remit", "上缴上级支出"),
    ("operating", "经营支出"), ("subsidy", "对附属单位补助支出"),
)


def total(values: Iterable[Decimal]) -> Decimal:
    return sum(values, ZERO)


def typed_or_sum(typed: Decimal, parts: Iterable[Decimal]) -> Decimal:
    """A total the workbook states, or the sum of its parts when the total was left blank."""
    return typed if typed != 0 else total(parts)


def _figure(row: Row, cur: str = "current", prev: str = "previous") -> Figure:
    return Figure(row.num(cur), row.num(prev), row.text("reason"))


def subjects(table: Table) -> tuple[Subject, ...]:
    """Rows of a coded table with their level (1 类, 2 款, 3 项) and 类/款/项 name path."""
    names = {r.text("code"): r.text("name") for r in table.rows}
    out = []
    for row in table.rows:
        code = row.text("code")
        level = {3: 1, 5: 2, 7: 3}[len(code)]
        chain = [code[:n] for n in (3, 5, 7)[:level]]
        path = "".join(f"{names.get(c, '')}（{'类款项'[i]}）" for i, c in enumerate(chain) if names.get(c))
        out.append(Subject(code, row.text("name"), path, level, row))
    return tuple(out)


def top_sum(subs: Iterable[Subject], key: str) -> Decimal:
    """Sum of a column over the 类 rows (each 类 row already holds its 款 and 项)."""
    return total(s.row.num(key) for s in subs if s.level == 1)


def by_class(subs: tuple[Subject, ...]) -> tuple[Part, ...]:
    """The 决算数 of each 类 row, named by the 类."""
    return tuple(Part(s.name, s.row.num("total")) for s in subs if s.level == 1)


def leaves(subs: tuple[Subject, ...]) -> tuple[Subject, ...]:
    """The lowest rows: those no other row sits under (usually the 项 rows)."""
    codes = [s.code for s in subs]
    return tuple(s for s in subs if not any(c != s.code and c.startswith(s.code) for c in codes))


def _stated(row: Row, parts: Iterable[Figure]) -> Figure:
    """A total row: the values the workbook states, or the sum of its parts where it left them blank."""
    parts = list(parts)
    return Figure(typed_or_sum(row.num("current"), (p.current for p in parts)),
                  typed_or_sum(row.num("previous"), (p.previous for p in parts)), row.text("reason"))


def _summary(data: UnitData) -> tuple[tuple[Part, ...], Figure, Figure, Figure, Figure]:
    t = data.table("summary")
    sources = tuple(Part(name, t.get(key).num("current")) for key, name in INCOME_SOURCES)
    income = _stated(t.get("income_total"), (_figure(t.get(key)) for key, _ in INCOME_SOURCES))
    expense = _figure(t.get("expense_total"))
    in_grand = _stated(t.get("income_grand_total"),
                       (income, _figure(t.get("use_nonfiscal_balance")), _figure(t.get("opening_balance"))))
    out_grand = _stated(t.get("expense_grand_total"),
                        (expense, _figure(t.get("surplus_distribution")), _figure(t.get("closing_balance"))))
    return sources, income, expense, in_grand, out_grand


def _fiscal(data: UnitData) -> tuple[Figure, Figure]:
    t = data.table("fiscal")

    def funds(row: Row) -> Decimal:
        return row.num("gp") + row.num("fund") + row.num("soe")

    def figure(total_key: str, parts: tuple[str, str]) -> Figure:
        row = t.get(total_key)
        cur = typed_or_sum(funds(row), (funds(t.get(p)) for p in parts))
        prev = typed_or_sum(row.num("previous"), (t.get(p).num("previous") for p in parts))
        reason = row.text("reason") or t.get(parts[0]).text("reason")
        return Figure(cur, prev, reason)

    return figure("income_total", ("income", "opening")), figure("expense_total", ("expense", "closing"))


def basic_split(data: UnitData) -> tuple[Decimal, Decimal, tuple[str, ...], tuple[str, ...]]:
    """06: 人员经费 and 公用经费 (sums of the 类 rows), and the names of the items each covers."""
    rows = data.table("basic").rows
    classes = [r for r in rows if len(r.text("code")) == 3]
    items = [r for r in rows if len(r.text("code")) == 5]
    personnel = total(r.num("personnel") for r in classes)
    public = total(r.num("public") for r in classes)
    return (personnel, public,
            tuple(r.text("name") for r in items if r.num("personnel") != 0),
            tuple(r.text("name") for r in items if r.num("public") != 0))


_THREE = (
    ("abroad", "因公出国（境）费"), ("car_purchase", "公务用车购置费"), ("car_running", "公务用车运行维护费"),
    ("reception", "公务接待费"), ("foreign_reception", "外事接待费"),
)


def _three_public(data: UnitData) -> tuple[ThreePublicItem, ...]:
    t = data.table("three_public")

    def item(key: str, name: str, row: Row, parts: tuple[Row, ...] = ()) -> ThreePublicItem:
        def val(col: str) -> Decimal:
            return total(p.num(col) for p in parts) if parts else row.num(col)
        return ThreePublicItem(key, name, val("actual"), val("budget"), val("previous"),
                               row.text("reason"), row.text("budget_reason"))

    items = [item(k, n, t.get(k)) for k, n in _THREE]
    car = item("car", "公务用车购置及运行维护费", t.get("car"), (t.get("car_purchase"), t.get("car_running")))
    whole = item("total", "“三公”经费", t.get("total"), (t.get("abroad"), t.get("car_purchase"), t.get("car_running"), t.get("reception")))
    return (whole, car, *items)


def _projects(data: UnitData) -> tuple[Project, ...]:
    return tuple(Project(r.text("name"), r.num("budget"), r.num("spent"), r.num("fiscal_budget"), r.num("fiscal_spent"), r)
                 for r in data.table("projects").rows)


def build_report(data: UnitData) -> Report:
    """Compute every figure of the 决算公开 from one unit's data."""
    sources, income, expense, in_grand, out_grand = _summary(data)
    exp_subs = subjects(data.table("expense"))
    expense_parts = tuple(Part(name, top_sum(exp_subs, key)) for key, name in EXPENSE_PARTS)
    fiscal_in, fiscal_out = _fiscal(data)
    gp_subs = subjects(data.table("gp"))
    gp_total = Figure(top_sum(gp_subs, "total"), top_sum(gp_subs, "previous"),
                      data.table("fiscal").get("expense").text("reason"))
    gp_lines = tuple(BudgetLine(s.path, s.row.num("total"), s.row.num("budget"), s.row.text("reason"), s.code)
                     for s in leaves(gp_subs))
    personnel, public, p_items, c_items = basic_split(data)
    other = data.table("other")
    fund_subs, soe_subs = subjects(data.table("fund")), subjects(data.table("soe"))
    return Report(
        data=data,
        year=int(data.info("year")),
        income_sources=sources,
        income_total=income,
        expense_parts=expense_parts,
        expense_total=expense,
        income_grand_total=in_grand,
        expense_grand_total=out_grand,
        fiscal_income_total=fiscal_in,
        fiscal_expense_total=fiscal_out,
        gp_total=gp_total,
        gp_budget=top_sum(gp_subs, "budget"),
        gp_by_class=by_class(gp_subs),
        gp_lines=gp_lines,
        gp_subjects=gp_subs,
        expense_subjects=exp_subs,
        income_subjects=subjects(data.table("income")),
        fund_subjects=fund_subs,
        soe_subjects=soe_subs,
        basic_personnel=personnel,
        basic_public=public,
        personnel_items=p_items,
        public_items=c_items,
        three_public=_three_public(data),
        fund_total=top_sum(fund_subs, "total"),
        soe_total=top_sum(soe_subs, "total"),
        running_cost=Figure(other.get("running_cost").num("current"), other.get("running_cost").num("previous"),
                            other.get("running_cost").text("note")),
        procurement=(Part("货物", other.get("proc_goods").num("current")),
                     Part("工程", other.get("proc_works").num("current")),
                     Part("服务", other.get("proc_services").num("current"))),
        procurement_sme=other.get("proc_sme").num("current"),
        procurement_micro=other.get("proc_micro").num("current"),
        projects=_projects(data),
        performance=build_performance(data, expense.current),
    )
