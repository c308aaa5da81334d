"""The computing layer: UnitData → Report, every figure the layouts need, as exact Decimals.

Knows the domain only: no openpyxl, no docx, no text formatting.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from generator.figures import scores
from generator.figures.evaluation import Performance, ProjectPerformance, build_performance
from generator.workbook.model import Frozen, Row, Table, UnitData
from generator.workbook.schema import TEXTS

ZERO = Decimal(0)


@dataclass(frozen=True)
class Figure:
    """A figure with last year's value and the reason for its change."""

    current: Decimal
    previous: Decimal | None = ZERO  # None: last year's figure is not given (a blank cell), which is not zero
    reason: str = ""


@dataclass(frozen=True)
class Part:
    """One named part of a whole (an income source, a 类, a “三公” item)."""

    name: str
    amount: Decimal


@dataclass(frozen=True)
class Subject:
    """A row of a 功能分类 table with its level, full name path and amounts by column."""

    code: str
    name: str
    path: str
    level: int
    row: Row  # where the figures were read, for the checks' locations
    amounts: Mapping[str, Decimal] = field(default_factory=Frozen)

    def num(self, column: str) -> Decimal:
        return self.amounts.get(column, ZERO)


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
    previous: Decimal | None
    reason: str
    budget_reason: str


@dataclass(frozen=True)
class Project:
    name: str
    budget: Decimal
    spent: Decimal
    fiscal_budget: Decimal
    fiscal_spent: Decimal
    texts: Mapping[str, str]  # the project's text columns (flags 是/否, reasons, results) by key

    def text(self, key: str) -> str:
        return self.texts.get(key, "")


@dataclass(frozen=True)
class FiscalRow:
    """A row of 04 财政拨款收入支出决算总表: the three kinds of 财政拨款 and last year's total."""

    gp: Decimal
    fund: Decimal
    soe: Decimal
    previous: Decimal | None
    reason: str

    @property
    def total(self) -> Decimal:
        return self.gp + self.fund + self.soe


@dataclass(frozen=True)
class EconomicItem:
    """A row of 06 基本支出决算表 (经济分类), split into 人员经费 and 公用经费."""

    code: str
    name: str
    personnel: Decimal
    public: Decimal
    previous: Decimal | None

    @property
    def level(self) -> int:
        return 1 if len(self.code) == 3 else 2


@dataclass(frozen=True)
class UnitInfo:
    """Who the unit is (基本信息): names, contact, dates, and the counts of units and staff."""

    name: str
    short: str
    kind: str
    code: str
    scope: str
    contact: str
    phone: str
    address: str
    publish_date: str
    evaluation_date: str
    counts: Mapping[str, int]


@dataclass(frozen=True)
class Evaluator:
    name: str
    title: str
    unit: str


@dataclass(frozen=True)
class Institution:
    """One institution's row of the Hunan 收入 / 支出和结余 / 三公 / 固定资产 tables, in 元."""

    name: str
    income: tuple[Decimal, ...]
    expense: tuple[Decimal, ...]
    three: tuple[Decimal, ...]
    assets: tuple[Decimal, ...]


@dataclass(frozen=True)
class Report:
    """Everything computed for one unit; the templates only place what is here."""

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
    unit: UnitInfo
    texts: Mapping[str, str]  # every 文字材料 item by key ("" when not given)
    summary_rows: Mapping[str, Figure]  # 01 rows by key
    other_rows: Mapping[str, Figure]  # 其他事项 rows by key (reason = the row's note)
    fiscal_rows: Mapping[str, FiscalRow]  # 04 rows by key
    economic_items: tuple[EconomicItem, ...]
    basic_personnel_previous: Decimal | None
    basic_public_previous: Decimal | None
    office_cost: Figure  # 办公费 (06 30201)
    utilities_travel: Figure  # 水费、电费、差旅费 (06 30205, 30206, 30211)
    glossary_own: tuple[tuple[str, str], ...]  # the unit's own 名词解释 (term, text)
    evaluators: tuple[Evaluator, ...]
    institutions: tuple[Institution, ...]  # the unit itself, or for a 部门汇总 each member (本级 first)

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

    @property
    def procurement_figure(self) -> Figure:
        """政府采购 total with last year's (the sum of last year's 货物, 工程, 服务; None when any is not given)."""
        rows = [self.other_rows[key] for key in _PROCUREMENT_ROWS]
        return Figure(self.procurement_total, sum_or_none(r.previous for r in rows))

    @property
    def large_projects(self) -> tuple[ProjectPerformance, ...]:
        """The projects of 50万元 and more (全年预算数), which the Sichuan self-assessment report details."""
        return tuple(p for p in self.performance.projects if p.whole.budget >= LARGE_PROJECT)

    def fiscal_initial(self, project: ProjectPerformance) -> Decimal | None:
        """年初预算数 of a project's 当年财政拨款: the project's 年初预算数 when it is given and the project has no
        其他资金 (上年结转 is never part of a 年初预算); otherwise it cannot be told apart, and is None."""
        initial = project.row.optional("initial_budget")
        other = project.funds[3]
        return initial if initial is not None and other.budget == 0 else None

    @property
    def projects_spent(self) -> Decimal:
        """全年执行数 of all projects of the 项目绩效 sheet."""
        return total(p.whole.spent for p in self.performance.projects)

    def other(self, key: str) -> Decimal:
        """This year's value of a 其他事项 row (an amount in 元 or a count)."""
        return self.other_rows[key].current

    def projects_with(self, flag: str) -> int:
        """How many projects say 是 in a flag column (事前评估, 绩效目标, 绩效监控, 自评)."""
        return sum(1 for p in self.projects if p.text(flag) == "是")

    @property
    def domestic_reception(self) -> Decimal:
        """公务接待费 less its 外事接待 part."""
        return self.three("reception").actual - self.three("foreign_reception").actual

    @property
    def income_other(self) -> Decimal:
        """本年收入 other than 一般公共预算 and 政府性基金 财政拨款."""
        return self.income_total.current - self.income_sources[0].amount - self.income_sources[1].amount

    @property
    def meeting_and_training(self) -> Figure:
        meeting, training = self.other_rows["meeting"], self.other_rows["training"]
        return Figure(meeting.current + training.current, sum_or_none((meeting.previous, training.previous)))

    @property
    def reception_per_head(self) -> Decimal | None:
        """人均接待费 in 元: 公务接待费 / (国内 + 外事) 接待人次."""
        people = self.other("reception_people") + self.other("foreign_people")
        return scores.per_head(self.three("reception").actual, people)

    @property
    def purchase_per_car(self) -> Decimal | None:
        return scores.per_head(self.three("car_purchase").actual, self.other("cars_bought"))

    @property
    def running_per_car(self) -> Decimal | None:
        return scores.per_head(self.three("car_running").actual, self.other("cars_held"))


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
_PROCUREMENT_ROWS = ("proc_goods", "proc_works", "proc_services")
LARGE_PROJECT = Decimal(500000)  # 50万元, in 元: the Sichuan report's “50万元以上项目”
EXPENSE_PARTS = (
    ("basic", "基本支出"), ("project", "项目支出"), ("remit", "上缴上级支出"),
    ("operating", "经营支出"), ("subsidy", "对附属单位补助支出"),
)


def total(values: Iterable[Decimal]) -> Decimal:
    return sum(values, ZERO)


def typed_or_sum(typed: Decimal, parts: Iterable[Decimal]) -> Decimal:
    """A total the workbook states, or the sum of its parts when the total was left blank."""
    return typed if typed != 0 else total(parts)


def prior(previous: Decimal | None, current: Decimal) -> Decimal | None:
    """Last year's value as given; zero when left blank for an item that is zero this year too (it did not
    occur); None — not given — when this year has a figure and last year's cell is blank."""
    if previous is not None:
        return previous
    return ZERO if current == 0 else None


def sum_or_none(values: Iterable[Decimal | None]) -> Decimal | None:
    """The sum of last year's parts, or None when any part is not given (a total cannot be guessed)."""
    values = list(values)
    return None if any(v is None for v in values) else total(v for v in values if v is not None)


def _figure(row: Row, cur: str = "current", prev: str = "previous", reason: str = "reason") -> Figure:
    return Figure(row.num(cur), prior(row.optional(prev), row.num(cur)), row.text(reason))


_SUBJECTS: dict[int, tuple[Table, tuple[Subject, ...]]] = {}  # by the table's id; the table is kept, so the id is its own


def subjects(table: Table) -> tuple[Subject, ...]:
    """Rows of a coded table with their level (1 类, 2 款, 3 项) and 类/款/项 name path.

    A table is immutable and its subjects are asked for some twenty times per document (checks and figures):
    they are made once."""
    kept = _SUBJECTS.get(id(table))
    if kept is not None and kept[0] is table:
        return kept[1]
    if len(_SUBJECTS) >= 16:  # a document asks for some six tables
        _SUBJECTS.clear()
    made = _subjects(table)
    _SUBJECTS[id(table)] = (table, made)
    return made


def _subjects(table: Table) -> tuple[Subject, ...]:
    names = {r.text("code"): r.text("name") for r in table.rows}
    out = []
    for row in table.rows:
        code = row.text("code")
        level = {3: 1, 5: 2, 7: 3}[len(code)]
        chain = [code[:n] for n in (3, 5, 7)[:level]]
        path = "".join(f"{names.get(c, '')}（{'类款项'[i]}）" for i, c in enumerate(chain) if names.get(c))
        amounts = Frozen({k: c.value for k, c in row.cells.items() if isinstance(c.value, Decimal)})
        out.append(Subject(code, row.text("name"), path, level, row, amounts))
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
    current = typed_or_sum(row.num("current"), (p.current for p in parts))
    typed = row.optional("previous")
    previous = typed if typed else sum_or_none(p.previous for p in parts)
    return Figure(current, prior(typed if previous is None else previous, current), row.text("reason"))


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
        typed = row.optional("previous")
        prev = typed if typed else sum_or_none(prior(t.get(p).optional("previous"), funds(t.get(p))) for p in parts)
        reason = row.text("reason") or t.get(parts[0]).text("reason")
        return Figure(cur, prior(typed if prev is None else prev, cur), reason)

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
        actual = val("actual")
        previous = (sum_or_none(prior(p.optional("previous"), p.num("actual")) for p in parts) if parts
                    else prior(row.optional("previous"), actual))
        return ThreePublicItem(key, name, actual, val("budget"), previous, row.text("reason"), row.text("budget_reason"))

    items = [item(k, n, t.get(k)) for k, n in _THREE]
    car = item("car", "公务用车购置及运行维护费", t.get("car"), (t.get("car_purchase"), t.get("car_running")))
    whole = item("total", "“三公”经费", t.get("total"), (t.get("abroad"), t.get("car_purchase"), t.get("car_running"), t.get("reception")))
    return (whole, car, *items)


def _texts(row: Row) -> Frozen:
    return Frozen({key: row.text(key) for key in row.cells})


def _projects(data: UnitData) -> tuple[Project, ...]:
    return tuple(Project(r.text("name"), r.num("budget"), r.num("spent"), r.num("fiscal_budget"), r.num("fiscal_spent"),
                         _texts(r))
                 for r in data.table("projects").rows)


_COUNTS = ("sub_admin", "sub_civil", "sub_other", "sub_budget_units", "staff_quota", "staff_actual", "staff_retired",
           "staff_civil_servants", "staff_institution", "staff_workers")


def _unit(data: UnitData) -> UnitInfo:
    info = data.table("info")
    return UnitInfo(
        name=data.info("name"), short=data.info("short_name") or data.info("name"), kind=data.info("unit_kind"),
        code=data.info("code"), scope=data.scope, contact=data.info("contact"), phone=data.info("phone"),
        address=data.info("address"), publish_date=data.info("publish_date"),
        evaluation_date=data.info("evaluation_date"),
        counts=Frozen({k: int(info.get(k).num("value")) for k in _COUNTS}))


def _rows(table: Table, note: str = "reason") -> Frozen:
    return Frozen({key: _figure(row, reason=note) for key, row in table.by_key.items()})


def _fiscal_rows(table: Table) -> Frozen:
    def row(r: Row) -> FiscalRow:
        current = r.num("gp") + r.num("fund") + r.num("soe")
        return FiscalRow(r.num("gp"), r.num("fund"), r.num("soe"), prior(r.optional("previous"), current), r.text("reason"))

    return Frozen({key: row(r) for key, r in table.by_key.items()})


def _economic(data: UnitData) -> tuple[tuple[EconomicItem, ...], Decimal, Decimal]:
    """06 rows, and last year's 人员经费 (301 and 303) and 公用经费 (the other 类), the only split last year's column allows."""
    items = tuple(EconomicItem(r.text("code"), r.text("name"), r.num("personnel"), r.num("public"),
                               prior(r.optional("previous"), r.num("personnel") + r.num("public")))
                  for r in data.table("basic").rows)
    personnel = sum_or_none(i.previous for i in items if i.code in ("301", "303"))
    public = sum_or_none(i.previous for i in items if i.level == 1 and i.code not in ("301", "303"))
    return items, personnel, public


_OFFICE, _UTILITIES_TRAVEL = ("30201",), ("30205", "30206", "30211")


def _economic_figure(items: tuple[EconomicItem, ...], codes: tuple[str, ...], fallback: Row) -> Figure:
    """Spending on some 06 items (办公费; 水费、电费、差旅费); the 其他事项 row only when 06 has none of them."""
    found = [i for i in items if i.code in codes]
    if not found:
        return _figure(fallback, reason="note")
    return Figure(total(i.personnel + i.public for i in found), sum_or_none(i.previous for i in found))


def _institution(data: UnitData) -> Institution:
    """One row of the Hunan institution tables (收入, 支出和结余, 三公, 固定资产)."""
    s, o, t = data.table("summary"), data.table("other"), data.table("three_public")
    exp = subjects(data.table("expense"))
    cur = lambda key: s.get(key).num("current")  # noqa: E731
    income = typed_or_sum(cur("income_total"), (cur(k) for k, _ in INCOME_SOURCES))
    nontax = o.get("special_nontax").num("current")
    personnel, public = basic_split(data)[:2]
    expense = typed_or_sum(cur("expense_total"), (top_sum(exp, "total"),))
    assets = [o.get(k).num("current") for k in ("assets_in_use", "assets_leased", "assets_other")]
    three = [t.get(k).num("actual") for k in ("reception", "car_running", "car_purchase", "abroad")]
    return Institution(
        name=data.info("short_name") or data.info("name"),
        income=(cur("opening_balance") + income, cur("opening_balance"), cur("gp_income"), cur("fund_income"), nontax,
                income - cur("gp_income") - cur("fund_income") - nontax),
        expense=(expense, personnel + public, personnel, public, top_sum(exp, "project"), income - expense,
                 cur("closing_balance")),
        three=(total(three), *three),
        assets=(total(assets), *assets))


def build_report(data: UnitData) -> Report:
    """Compute every figure of the 决算公开 from one unit's data."""
    sources, income, expense, in_grand, out_grand = _summary(data)
    exp_subs = subjects(data.table("expense"))
    expense_parts = tuple(Part(name, top_sum(exp_subs, key)) for key, name in EXPENSE_PARTS)
    fiscal_in, fiscal_out = _fiscal(data)
    gp_subs = subjects(data.table("gp"))
    gp_current = top_sum(gp_subs, "total")
    gp_previous = sum_or_none(prior(s.amounts.get("previous"), s.num("total")) for s in gp_subs if s.level == 1)
    gp_total = Figure(gp_current, prior(gp_previous, gp_current), data.table("fiscal").get("expense").text("reason"))
    gp_lines = tuple(BudgetLine(s.path, s.row.num("total"), s.row.num("budget"), s.row.text("reason"), s.code)
                     for s in leaves(gp_subs))
    personnel, public, p_items, c_items = basic_split(data)
    other = data.table("other")
    fund_subs, soe_subs = subjects(data.table("fund")), subjects(data.table("soe"))
    economic, personnel_prev, public_prev = _economic(data)
    return Report(
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
        running_cost=_figure(other.get("running_cost"), reason="note"),
        procurement=(Part("货物", other.get("proc_goods").num("current")),
                     Part("工程", other.get("proc_works").num("current")),
                     Part("服务", other.get("proc_services").num("current"))),
        procurement_sme=other.get("proc_sme").num("current"),
        procurement_micro=other.get("proc_micro").num("current"),
        projects=_projects(data),
        performance=build_performance(data, expense.current),
        unit=_unit(data),
        texts=Frozen({row.key: data.text(row.key) for row in TEXTS.rows}),
        summary_rows=_rows(data.table("summary")),
        other_rows=_rows(other, note="note"),
        fiscal_rows=_fiscal_rows(data.table("fiscal")),
        economic_items=economic,
        basic_personnel_previous=personnel_prev,
        basic_public_previous=public_prev,
        office_cost=_economic_figure(economic, _OFFICE, other.get("office_cost")),
        utilities_travel=_economic_figure(economic, _UTILITIES_TRAVEL, other.get("utilities_travel")),
        glossary_own=tuple((r.text("term"), r.text("text")) for r in data.table("glossary").rows),
        evaluators=tuple(Evaluator(e.text("name"), e.text("title"), e.text("unit")) for e in data.table("evaluators").rows),
        institutions=tuple(_institution(m) for m in (data.members or (data,))),
    )
