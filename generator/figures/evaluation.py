"""绩效 content computed from the data: project fund blocks, indicator scores, totals and grades, the scoring grid.

Pure: Decimals in, Decimals out; the rules are in scores.py and rules.md.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from generator.figures import scores
from generator.workbook.model import Frozen, Row, Table, UnitData
from generator.workbook.schema import DEPARTMENT

ZERO = Decimal(0)
DEFAULT_EXEC_WEIGHT = Decimal(10)
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Funds:
    """One row of a 项目资金 block: 年初预算数, 全年预算数 (A), 全年执行数 (B)."""

    name: str
    initial: Decimal | None
    budget: Decimal
    spent: Decimal

    @property
    def rate(self) -> Decimal | None:
        return scores.execution_rate(self.spent, self.budget)


@dataclass(frozen=True)
class Indicator:
    """One indicator (or scoring-grid line) with its levels filled down and its score resolved."""

    level1: str
    level2: str
    level3: str
    direction: str
    target: str
    actual: str
    weight: Decimal
    score: Decimal
    computed: bool
    reason: str
    standard: str
    row: Row

    @property
    def coefficient(self) -> Decimal | None:
        """得分系数 = 得分 / 分值."""
        return None if self.weight == 0 else self.score / self.weight


@dataclass(frozen=True)
class Scored:
    """A self-assessment: budget execution (when the form has it), indicators, 总分 and 等级."""

    exec_weight: Decimal
    exec_score: Decimal
    indicators: tuple[Indicator, ...]
    total: scores.Total | None

    @property
    def possible(self) -> Decimal:
        return self.exec_weight + sum((i.weight for i in self.indicators), ZERO)


@dataclass(frozen=True)
class ProjectPerformance:
    name: str
    row: Row  # where the project was read, for the checks' locations
    funds: tuple[Funds, ...]  # 年度资金总额, 其中当年财政拨款, 上年结转资金, 其他资金
    scored: Scored
    previous: Decimal | None  # 上年执行数; None when not given (a new project)
    texts: Mapping[str, str]  # the project's text columns by key

    def text(self, key: str) -> str:
        return self.texts.get(key, "")

    @property
    def whole(self) -> Funds:
        return self.funds[0]


@dataclass(frozen=True)
class Performance:
    projects: tuple[ProjectPerformance, ...]
    department: Scored  # 部门整体: budget execution of the whole department + its own indicators
    dept_funds: Funds
    grid: Scored  # 部门整体支出绩效评价评分表 (no budget-execution line)

    @property
    def dept_score(self) -> scores.Total | None:
        """The department's overall self-assessment score: the scoring grid when filled, else the 自评表's."""
        return self.grid.total or self.department.total


def first_number(text: str) -> Decimal | None:
    """The first number in an indicator value ('≥100宗' → 100, '=99.5%' → 99.5); None when there is none."""
    found = _NUMBER.search(text.replace(",", "").replace("，", ""))
    return Decimal(found.group()) if found else None


def computed_score(direction: str, target: str, actual: str, weight: Decimal) -> Decimal | None:
    """A quantitative indicator's score from its values, or None when it cannot be computed."""
    if direction not in ("≥", "≤", "="):
        return None
    goal, done = first_number(target), first_number(actual)
    if goal is None or done is None:
        return None
    return scores.indicator_score(direction, goal, done, weight)


def _indicators(rows: list[Row], standard_key: str = "") -> tuple[Indicator, ...]:
    """Rows become indicators: blank 一级/二级 continue the row above; scores capped at their 分值."""
    out: list[Indicator] = []
    level1 = level2 = ""
    for row in rows:
        new1 = row.text("level1")
        if new1 and new1 != level1:
            level1, level2 = new1, ""
        level2 = row.text("level2") or level2
        weight = row.optional("weight") or ZERO
        typed = row.optional("score")
        score, computed = typed, False
        if typed is None:
            score = computed_score(row.text("direction"), row.text("target"), row.text("actual"), weight)
            computed = score is not None
        out.append(Indicator(level1, level2, row.text("level3"), row.text("direction"), row.text("target"),
                             row.text("actual"), weight, min(score or ZERO, weight), computed, row.text("reason"),
                             row.text(standard_key) if standard_key else "", row))
    return tuple(out)


def _scored(exec_weight: Decimal, exec_score: Decimal, indicators: tuple[Indicator, ...],
            typed_total: Decimal | None = None) -> Scored:
    if indicators:
        possible = exec_weight + sum((i.weight for i in indicators), ZERO)
        total = scores.total(exec_score, [i.score for i in indicators], possible)
    elif typed_total is not None:
        total = scores.Total(typed_total, scores.FULL_MARKS, scores.grade(typed_total))
    else:
        total = None
    return Scored(exec_weight, exec_score, indicators, total)


def project_funds(row: Row) -> tuple[Funds, ...]:
    """The 项目资金 rows; when neither 财政拨款 nor 上年结转 is given, the whole budget is 当年财政拨款."""
    budget, spent = row.num("budget"), row.num("spent")
    split = any(row.num(k) for k in ("fiscal_budget", "fiscal_spent", "carry_budget", "carry_spent"))
    fiscal = (row.num("fiscal_budget"), row.num("fiscal_spent")) if split else (budget, spent)
    carry = (row.num("carry_budget"), row.num("carry_spent"))
    initial = row.optional("initial_budget")
    return (
        Funds("年度资金总额", budget if initial is None else initial, budget, spent),
        Funds("其中：当年财政拨款", None, *fiscal),
        Funds("上年结转资金", None, *carry),
        Funds("其他资金", None, budget - fiscal[0] - carry[0], spent - fiscal[1] - carry[1]),
    )


def _by_project(table: Table) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = {}
    for row in table.rows:
        out.setdefault(row.text("project"), []).append(row)
    return out


def _project(row: Row, indicator_rows: list[Row]) -> ProjectPerformance:
    funds = project_funds(row)
    weight = row.optional("exec_weight")
    weight = DEFAULT_EXEC_WEIGHT if weight is None else weight
    exec_score = scores.execution_score(funds[0].spent, funds[0].budget, weight)
    scored = _scored(weight, exec_score, _indicators(indicator_rows), row.optional("self_score"))
    return ProjectPerformance(row.text("name"), row, funds, scored, row.optional("previous"),
                              Frozen({key: row.text(key) for key in row.cells}))


def build_performance(data: UnitData, expense_total: Decimal) -> Performance:
    """Every project's and the department's self-assessment from the 项目绩效, 绩效指标 and 整体绩效评分 sheets."""
    by_project = _by_project(data.table("indicators"))
    projects = tuple(_project(r, by_project.get(r.text("name"), [])) for r in data.table("projects").rows)
    other = data.table("other")
    dept_budget = other.get("dept_budget").num("current")
    dept_funds = Funds("年度资金总额", other.get("dept_initial_budget").num("current"), dept_budget, expense_total)
    exec_score = scores.execution_score(expense_total, dept_budget, DEFAULT_EXEC_WEIGHT)
    department = _scored(DEFAULT_EXEC_WEIGHT, exec_score, _indicators(by_project.get(DEPARTMENT, [])))
    grid = _scored(ZERO, ZERO, _indicators(list(data.table("grid").rows), "standard"))
    return Performance(projects, department, dept_funds, grid)


def groups(values: list[tuple[str, ...]]) -> list[tuple[bool, ...]]:
    """For each row, whether each level continues the cell above (same value, and the outer levels continue too).

    [('产出','数量'), ('产出','数量'), ('产出','质量'), ('效益','社会')] →
    [(False, False), (True, True), (True, False), (False, False)]
    """
    out: list[tuple[bool, ...]] = []
    previous: tuple[str, ...] | None = None
    for value in values:
        flags: list[bool] = []
        outer = True
        for i, v in enumerate(value):
            same = previous is not None and outer and v == previous[i] and v != ""
            flags.append(same)
            outer = same
        out.append(tuple(flags))
        previous = value
    return out
