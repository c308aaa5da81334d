"""Scores and grades of the 绩效自评 forms (rules.md), pure functions on Decimal."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

ZERO, ONE = Decimal(0), Decimal(1)
FULL_MARKS = Decimal(100)
GRADES = ((Decimal(90), "优"), (Decimal(80), "良"), (Decimal(60), "中"), (ZERO, "差"))
GRADE_WORDS = {"优": "优秀", "良": "良好", "中": "合格", "差": "不合格"}


def execution_rate(spent: Decimal, budget: Decimal) -> Decimal | None:
    """执行率 = 全年执行数 / 全年预算数; None when there was no budget."""
    return None if budget == 0 else spent / budget


def execution_score(spent: Decimal, budget: Decimal, weight: Decimal = Decimal(10)) -> Decimal:
    """Budget-execution score = 分值 × 执行率, capped at 分值 (no budget and no spending: full marks)."""
    rate = execution_rate(spent, budget)
    if rate is None:
        return weight if spent == 0 else ZERO
    return min(weight * rate, weight)


def indicator_score(direction: str, target: Decimal, actual: Decimal, weight: Decimal) -> Decimal:
    """A quantitative indicator's score: '≥' actual/target × 分值, '≤' target/actual × 分值, '=' all or nothing;
    always between 0 and 分值."""
    if direction in ("≥", ">=", ">"):
        score = weight if target == 0 else weight * actual / target
    elif direction in ("≤", "<=", "<"):
        score = weight if actual <= target else (ZERO if actual == 0 else weight * target / actual)
    elif direction in ("=", "＝"):
        score = weight if actual == target else ZERO
    else:
        raise ValueError(f"指标方向应为 ≥、≤ 或 =，读到的是“{direction}”")
    return max(ZERO, min(score, weight))


@dataclass(frozen=True)
class Total:
    """总分 and 等级 of a self-assessment."""

    score: Decimal
    possible: Decimal
    grade: str

    @property
    def grade_word(self) -> str:
        return GRADE_WORDS[self.grade]


def grade(score: Decimal) -> str:
    """优 90–100, 良 80–89.99, 中 60–79.99, 差 below 60."""
    return next(name for floor, name in GRADES if score >= floor)


def total(execution: Decimal, indicators: list[Decimal], possible: Decimal = FULL_MARKS) -> Total:
    """总分 = budget-execution score + indicator scores; it can never exceed the 分值 available."""
    score = execution + sum(indicators, ZERO)
    if score > possible:
        raise ValueError(f"总分 {score} 超过了各项分值之和 {possible}")
    return Total(score, possible, grade(score))


def control_rate(actual_staff: Decimal, quota: Decimal) -> Decimal | None:
    """控制率 = 实际在职人数 / 编制数."""
    return None if quota == 0 else actual_staff / quota


def per_head(amount_yuan: Decimal, people: Decimal) -> Decimal | None:
    """Per-capita (人均接待费) or per-vehicle (车均运行维护费) in 元; None when there is nobody to divide by."""
    return None if people == 0 else amount_yuan / people
